import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS, FINDINGS_VIEW_ID } from './ids';
import type { SettingsStore } from '../config/settings';
import { collectQuery } from '../export/collect';
import { collectWithProgress } from './collectProgress';
import { showErrorWithLog } from './showLog';
import { output } from '../services/output';
import type { Severity, Finding } from '../insights';
import { insights as insightsCore } from '../services/insights';
import { describeRange } from '../model/ranges';
import type { LogSession } from '../model/session';
import type { InsightsService } from '../services/insightsService';
import { countBySeverity } from '../views/findingsModel';
import { FindingsView } from '../views/findingsView';
import type { LogView } from '../views/logView';

import { toZoomError } from '../zoom';

/** Severities, most severe first (as src/insights orders them; kept here so nothing loads insights for it). */
const SEVERITY_ORDER: readonly Severity[] = ['high', 'medium', 'low'];

/** What a scan found, for tests and callers. */
export interface ScanResult {
  readonly entries: number;
  readonly findings: number;
  readonly counts: Record<'high' | 'medium' | 'low', number>;
  readonly refusedBefore?: string;
}

export type ReportFormat = 'markdown' | 'csv';

export interface ExportFindingsResult {
  /** The editor tab, or the file the report was saved to when too large for a tab. */
  readonly document?: vscode.TextDocument;
  readonly file?: string;
  readonly findings: number;
}

/**
 * The Findings feature: the Findings view (fed by InsightsService), severity colours on the Operation Logs
 * tree's entries, `Zoom: Scan Range for Risky Changes` (fetches the whole query through the export's
 * collectQuery: the shared rate limiter, parallel windows, progress and cancel) and `Zoom: Export Findings
 * Report` (Markdown or CSV of the range's findings; scans first when the range was not scanned yet).
 */
export function registerFindings(
  context: vscode.ExtensionContext,
  view: LogView,
  insights: InsightsService,
  settings: SettingsStore,
): FindingsView {
  const findingsView = new FindingsView(insights);
  // Every account's tree colours its entries by their highest finding.
  const colour = (): void => {
    for (const v of view.all) v.provider.severityOf = (e) => insights.severityOf(e);
  };
  // The Findings view shows the active account's findings (the selection's, or the only one) and names it.
  const follow = (): void => {
    insights.attach(view.session);
    findingsView.treeView.description = view.accounts.several ? view.active.account.name : undefined;
  };
  colour();
  follow();
  context.subscriptions.push(
    findingsView,
    view.accounts.onDidChange(() => {
      colour();
      follow();
    }),
    view.accounts.onDidChangeActive(follow),
    // A new query or a refresh shows a new session: follow it (a no-op for the same session).
    view.onDidChangeTreeData(follow),
    vscode.commands.registerCommand(COMMANDS.scanRange, (arg?: unknown) => scan(arg)),
    vscode.commands.registerCommand(
      COMMANDS.exportFindings,
      async (args?: {
        format?: ReportFormat;
        account?: string;
        saveTo?: string;
      }): Promise<ExportFindingsResult | undefined> => {
        const target = await view.pick(args, vscode.l10n.t('Zoom: Export Findings Report'));
        if (!target) return undefined;
        follow();
        const session = target.session;
        if (!session) return nothingYet();
        if (!insights.scan && !(await scan(args))) return undefined;
        const format = await chooseFormat(args);
        if (!format) return undefined;
        const rank = (f: Finding): number => SEVERITY_ORDER.indexOf(f.severity);
        const findings = insights.findings().sort((a, b) => rank(a) - rank(b) || b.entry.timeMs - a.entry.timeMs);
        // In pieces, never one string: a million findings is more Markdown than one string can hold.
        const meta = { range: session.query, account: target.account.name, generatedAt: new Date() };
        const formulaGuard = settings.current.csvFormulaGuard;
        const { from, to } = session.query;
        const saved = await output().openOrSave({
          chunks: () =>
            format === 'markdown'
              ? insightsCore().findingsMarkdownChunks(findings, meta)
              : insightsCore().findingsCsvChunks(findings, { formulaGuard }),
          language: format,
          fileName: `zoom-findings-${from}_${to}.${format === 'markdown' ? 'md' : 'csv'}`,
          filters: format === 'markdown' ? { Markdown: ['md'] } : { CSV: ['csv'] }, // l10n-ignore: format names
          what: vscode.l10n.t(
            '{0} findings ({1})',
            findings.length.toLocaleString('en-US'),
            describeRange(session.query),
          ),
          limitMB: settings.current.maxExportInEditorMB,
          saveTo: typeof args?.saveTo === 'string' ? args.saveTo : undefined,
        });
        return saved && { ...saved, findings: findings.length };
      },
    ),
  );
  return findingsView;

  function nothingYet(): undefined {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Nothing to scan yet: run "Zoom: Fetch Operation Logs" first, then scan its range.'),
    );
    return undefined;
  }

  async function scan(arg?: unknown): Promise<ScanResult | undefined> {
    const target = await view.pick(arg, vscode.l10n.t('Zoom: Scan Range for Risky Changes'));
    if (!target) return undefined;
    follow();
    const session: LogSession | undefined = target.session;
    if (!session) return nothingYet();
    const range = view.accounts.several
      ? `${target.account.name}: ${describeRange(session.query)}`
      : describeRange(session.query);
    let refusedBefore: string | undefined;
    let entries;
    // The whole range is loaded already (Group By, Search the Whole Range, the overview): check that, ask Zoom
    // nothing. Its refused days, if any, were recorded when it loaded (onWholeRangeLoaded, extension.ts).
    const known = target.provider.wholeRange(session);
    if (known) {
      entries = [...known];
      refusedBefore = insights.scan?.sessionId === session.id ? insights.scan.refusedBefore : undefined;
    } else {
      let got;
      try {
        got = await collectWithProgress(
          vscode.l10n.t('Scanning {0} for risky changes', range),
          async (signal, onProgress) =>
            collectQuery(session, await target.zoom.getClient(), {
              signal,
              onProgress,
              // Each page is checked as it arrives, while the next ones are on their way.
              onEntries: (es) => {
                for (const e of es) insights.findingsOf(e);
              },
            }),
        );
      } catch (e) {
        showErrorWithLog(
          vscode.l10n.t('The scan stopped, the Findings view is unchanged: {0}', toZoomError(e).message),
        );
        return undefined;
      }
      if (got === 'cancelled') return undefined;
      entries = got.result;
      refusedBefore = got.refusedBefore;
    }
    if (!insights.setScan(session, entries, refusedBefore)) return undefined;
    findingsView.update();
    // The walkthrough's "Scan for risky changes" step completes on this.
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.scanned, true);
    const findings = insights.findings();
    const counts = countBySeverity(findings);
    void vscode.commands.executeCommand(`${FINDINGS_VIEW_ID}.focus`);
    vscode.window.setStatusBarMessage(
      vscode.l10n.t(
        'Scanned {0} entries: {1} high, {2} medium, {3} low findings',
        entries.length.toLocaleString('en-US'),
        counts.high,
        counts.medium,
        counts.low,
      ),
      5000,
    );
    return { entries: entries.length, findings: findings.length, counts, refusedBefore };
  }
}

async function chooseFormat(args?: { format?: ReportFormat }): Promise<ReportFormat | undefined> {
  if (args?.format === 'markdown' || args?.format === 'csv') return args.format;
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: 'Markdown', // l10n-ignore: a format's name
        description: vscode.l10n.t('for a ticket or an audit: each finding with its rule, entry and what to check'),
        format: 'markdown' as const,
      },
      {
        label: 'CSV', // l10n-ignore: a format's name
        description: vscode.l10n.t(
          'severity, rule, title, time, operator, category_type, action, operation_detail, check, trusted',
        ),
        format: 'csv' as const,
      },
    ],
    { title: vscode.l10n.t('Findings report format'), placeHolder: vscode.l10n.t('Export the findings as...') },
  );
  return pick?.format;
}
