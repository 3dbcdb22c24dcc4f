import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { collectCategory, collectDate, collectOthers, collectQuery, type ExportProgress } from '../export/collect';
import type { ExportFormat } from '../export/formats';
import { collectWithProgress } from './collectProgress';
import { showErrorWithLog } from './showLog';
import { fileNamePart } from '../output/fileNames';
import { output } from '../services/output';
import { PARSED_COLUMNS } from './parsedColumns';
import { describeRange } from '../model/ranges';
import { describeCategories } from '../model/session';
import { DateKeyer } from '../model/timeZones';
import type { SettingsStore } from '../config/settings';
import type { LogView } from '../views/logView';
import type { AccountView } from '../views/accountView';
import type { AccountArg } from './query';
import type { CategoryNode, DateNode, OthersNode } from '../views/nodes';
import { describeRefusal, toZoomError, type OperationLogEntry } from '../zoom';

export interface ExportArgs extends AccountArg {
  format?: ExportFormat;
  /** Add the parsed change after Zoom's fields (default: the `exportParsedColumns` setting). */
  parsed?: boolean;
  /**
   * A file to save to when the export is too large for an editor tab (see the `maxExportInEditorMB` setting),
   * without asking; for tests and callers.
   */
  saveTo?: string;
}

/** What an export produced, for tests and callers: the editor tab, or the file it was saved to. */
export interface ExportResult {
  readonly document?: vscode.TextDocument;
  readonly file?: string;
  readonly entries: number;
  /** When Zoom refused older days as outside six months: the first day it answered for. */
  readonly refusedBefore?: string;
  /** The name of the account the entries belong to. */
  readonly account: string;
}

/**
 * `Zoom: Export Operation Logs` (the whole current query) and Export... on a
 * category or date node. A cancellable notification counts entries and pages;
 * cancelling stops network activity at once and opens nothing. The result
 * opens in a new untitled editor tab, newest first, each entry once; one too
 * large for a tab is saved to a file the person chooses (./openOrSave.ts).
 */
export function registerExportCommands(context: vscode.ExtensionContext, view: LogView, settings: SettingsStore): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.export, async (args?: ExportArgs): Promise<ExportResult | undefined> => {
      const target = await view.pick(args, vscode.l10n.t('Zoom: Export Operation Logs'));
      if (!target) return undefined;
      const session = target.session;
      if (!session) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Nothing to export yet: run "Zoom: Fetch Operation Logs" first.'),
        );
        return undefined;
      }
      const chosen = await chooseFormat(args, settings.current.exportParsedColumns);
      if (!chosen) return undefined;
      const what = `${describeRange(session.query)}, ${describeCategories(session.query.categories)}`;
      const { from, to } = session.query;
      return run(target, what, `${from}_${to}`, chosen, args, async (signal, progress) =>
        collectQuery(session, await target.zoom.getClient(), { signal, onProgress: progress }),
      );
    }),
    vscode.commands.registerCommand(
      COMMANDS.exportNode,
      async (node?: CategoryNode | DateNode | OthersNode, args?: ExportArgs): Promise<ExportResult | undefined> => {
        if (node?.kind !== 'category' && node?.kind !== 'date' && node?.kind !== 'others') return undefined;
        const target = view.ownerOf(node) ?? view.active;
        const chosen = await chooseFormat(args, settings.current.exportParsedColumns);
        if (!chosen) return undefined;
        const { from, to } = (node.kind === 'date' ? node.parent : node).session.query;
        if (node.kind === 'others') {
          return run(
            target,
            vscode.l10n.t('Other categories, {0}', describeRange(node.session.query)),
            `other-${from}_${to}`,
            chosen,
            args,
            (signal, progress) => collectOthers(node.others, { signal, onProgress: progress }),
            () => target.provider.rerender(),
          );
        }
        if (node.kind === 'category') {
          return run(
            target,
            `${node.log.label}, ${describeRange(node.session.query)}`,
            `${fileNamePart(node.log.category, 'category')}-${from}_${to}`,
            chosen,
            args,
            (signal, progress) => collectCategory(node.log, { signal, onProgress: progress }),
            () => target.provider.rerender(),
          );
        }
        const log = node.parent.log;
        return run(
          target,
          `${log.label}, ${DateKeyer.label(node.key)}`,
          `${fileNamePart(log.category, 'category')}-${node.key}`,
          chosen,
          args,
          (signal, progress) => collectDate(log, node.key, { signal, onProgress: progress }),
          () => target.provider.rerender(),
        );
      },
    ),
  );

  async function run(
    target: AccountView,
    range: string,
    /** The file name's part that says what is in it (`user-2026-11-01_2026-11-26`). */
    stem: string,
    { format, parsed }: { format: ExportFormat; parsed: boolean },
    args: ExportArgs | undefined,
    collect: (signal: AbortSignal, progress: (p: ExportProgress) => void) => Promise<OperationLogEntry[]>,
    after?: () => void,
  ): Promise<ExportResult | undefined> {
    // With several accounts, every title, notice and status line names the account.
    const what = view.accounts.several ? `${target.account.name}: ${range}` : range;
    let got;
    try {
      got = await collectWithProgress(vscode.l10n.t('Exporting Zoom operation logs ({0})', what), collect);
    } catch (e) {
      showErrorWithLog(vscode.l10n.t('Export failed, nothing was opened: {0}', toZoomError(e).message));
      return undefined;
    } finally {
      after?.();
    }
    if (got === 'cancelled') return undefined;
    const { result: entries, refusedBefore } = got;
    const opts = { formulaGuard: settings.current.csvFormulaGuard, extra: parsed ? PARSED_COLUMNS : undefined };
    const count = entries.length.toLocaleString('en-US');
    const kind = format.toUpperCase();
    const saved = await output().openOrSave({
      chunks: () => output().formatChunks(entries, format, opts),
      language: format,
      fileName: `zoom-operation-logs-${view.accounts.several ? `${fileNamePart(target.account.name, target.account.id)}-` : ''}${stem}.${format}`,
      filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] }, // l10n-ignore: format names
      what: vscode.l10n.t('{0} entries ({1}) as {2}', count, what, kind),
      limitMB: settings.current.maxExportInEditorMB,
      saveTo: typeof args?.saveTo === 'string' ? args.saveTo : undefined,
    });
    if (!saved) return undefined;
    const done = saved.file
      ? vscode.l10n.t('Saved {0} entries ({1}) as {2} to {3}', count, what, kind, saved.file)
      : vscode.l10n.t('Exported {0} entries ({1}) as {2}', count, what, kind);
    vscode.window.setStatusBarMessage(done, 5000);
    if (refusedBefore) {
      // Not an error: every day Zoom answered for is in the export; say which days it did not.
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0}. {1} The export holds every entry from {2} on; choose a later start date to hide this.',
          done,
          describeRefusal(refusedBefore),
          refusedBefore,
        ),
      );
    }
    return { ...saved, entries: entries.length, refusedBefore, account: target.account.name };
  }
}

async function chooseFormat(
  args: ExportArgs | undefined,
  parsedByDefault: boolean,
): Promise<{ format: ExportFormat; parsed: boolean } | undefined> {
  if (args?.format === 'json' || args?.format === 'csv') {
    return { format: args.format, parsed: args.parsed ?? parsedByDefault };
  }
  const plain = [
    {
      label: 'JSON', // l10n-ignore: a format's name
      description: vscode.l10n.t("pretty array, Zoom's field names"),
      format: 'json' as const,
      parsed: false,
    },
    {
      label: 'CSV', // l10n-ignore: a format's name
      description: vscode.l10n.t('RFC 4180: time, operator, category_type, action, operation_detail'),
      format: 'csv' as const,
      parsed: false,
    },
  ];
  const withParsed = plain.map((p) => ({
    label: vscode.l10n.t('{0} with parsed changes', p.label),
    description: vscode.l10n.t("Zoom's fields, then target, setting, from, to, changes"),
    format: p.format,
    parsed: true,
  }));
  const pick = await vscode.window.showQuickPick(
    parsedByDefault ? [...withParsed, ...plain] : [...plain, ...withParsed],
    {
      title: vscode.l10n.t('Export format'),
      placeHolder: vscode.l10n.t('Export as...'),
    },
  );
  return pick && { format: pick.format, parsed: pick.parsed };
}
