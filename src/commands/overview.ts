import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { ensureWholeRange, type WholeRangeArgs } from './wholeRange';
import { describeRange } from '../model/ranges';
import type { LogView } from '../views/logView';
import { withTerm } from '../views/filterQuery';
import type { CoverageSource } from '../webview/overviewModel';
import type { OverviewPanel } from '../webview/overviewPanel';
import { panels, panelsIfLoaded } from '../services/panels';
import type { AccountView } from '../views/accountView';

/** Zoom: Show Activity Overview: the whole range's activity in a webview; clicks filter the tree. */
export function registerOverviewCommands(
  context: vscode.ExtensionContext,
  logView: LogView,
  log: vscode.LogOutputChannel,
  /** The account's archive coverage, when it has an archive (for the coverage strip). */
  coverageOf?: (account: AccountView) => CoverageSource | undefined,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(
      COMMANDS.showOverview,
      async (args?: WholeRangeArgs): Promise<OverviewPanel | undefined> => {
        const view = await logView.pick(args, vscode.l10n.t('Zoom: Show Activity Overview'));
        if (!view) return undefined;
        const whole = await ensureWholeRange(
          view,
          vscode.l10n.t('show the activity overview'),
          !(args && typeof args === 'object' && args.confirm === false),
          true, // its top targets need every entry's parsed detail
        );
        if (!whole) return undefined;
        const { session, entries } = whole;
        const { buildOverviewModel, overviewCoverage, OverviewPanel } = panels();
        const built = buildOverviewModel(entries, view.findings.ofAll(entries), {
          dateKey: (ms) => session.keyer.dateKey(ms),
          from: session.query.from,
          to: session.query.to,
          range:
            (logView.accounts.several ? `${view.account.name}: ` : '') +
            (session.keyer.zone === 'UTC'
              ? vscode.l10n.t('{0} (UTC dates)', describeRange(session.query))
              : vscode.l10n.t('{0} (local dates)', describeRange(session.query))),
        });
        const cov = coverageOf?.(view);
        const model = cov ? { ...built, coverage: overviewCoverage(cov, session.query.from, session.query.to) } : built;
        return OverviewPanel.show(context.extensionUri, model, {
          log: (m) => log.warn(m),
          onFilter: (field, value) => {
            if (view.session !== session) return;
            const problems = view.setFilter(withTerm(session.filter, field, value));
            if (problems.length) void vscode.window.showWarningMessage(problems.join(' '));
            void logView.reveal(view);
          },
        });
      },
    ),
    { dispose: () => panelsIfLoaded()?.OverviewPanel.current?.dispose() },
  );
}
