import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { collectQuery } from '../export/collect';
import type { GroupKey } from '../insights/aggregate';
import { describeRange } from '../model/ranges';
import type { LogSession } from '../model/session';
import type { AccountView } from '../views/accountView';
import type { LogView } from '../views/logView';
import { insights } from '../services/insights';
import { collectWithProgress } from './collectProgress';
import { showErrorWithLog } from './showLog';
import { describeCost, GROUP_KEYS, groupLabel, isGroupKey, wholeRangeCost } from '../views/wholeRangeModel';
import { describeRefusal, toZoomError, type OperationLogEntry } from '../zoom';

/** Arguments of Group By, Search the Whole Range and Show Activity Overview; `confirm: false` skips the question. */
export interface WholeRangeArgs {
  /** The account (id or name) with several accounts. */
  account?: string;
  by?: GroupKey;
  confirm?: boolean;
}

/** Told when the whole range of a session has been loaded (the Findings view takes it as a scan of that range). */
export type WholeRangeListener = (
  session: LogSession,
  entries: readonly OperationLogEntry[],
  refusedBefore: string | undefined,
) => void;
const listeners = new Set<WholeRangeListener>();

/** Calls `listener` each time Group By, Search the Whole Range or the overview loads a session's whole range. */
export function onWholeRangeLoaded(listener: WholeRangeListener): vscode.Disposable {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}

/**
 * The whole range of the view's session: what is loaded already, else (after saying what it costs) every
 * entry through collectQuery, under the shared rate limiter, with progress and Cancel. Undefined when
 * there is no query, the person declines or cancels, or Zoom fails (a message says which and what to do).
 * Each page is checked by the rules as it arrives; with `parseDetails` (the overview, Group by Target: they need
 * every entry's target) its details are parsed then too, which keeps a parsed detail per entry in memory.
 */
export async function ensureWholeRange(
  view: AccountView,
  purpose: string,
  confirm = true,
  parseDetails = false,
): Promise<{ session: LogSession; entries: readonly OperationLogEntry[] } | undefined> {
  const session = view.session;
  if (!session) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No query yet: run "Zoom: Fetch Operation Logs" first.'));
    return undefined;
  }
  const known = view.provider.wholeRange(session);
  if (known) return { session, entries: known };
  const cost = wholeRangeCost(session);
  if (confirm && cost.minRequests > 0) {
    const go = vscode.l10n.t('Load the Whole Range');
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'This loads the whole range from Zoom ({0}; {1}) to {2}. Continue?',
        describeRange(session.query),
        describeCost(cost, session.options.pageSize),
        purpose,
      ),
      { modal: true, detail: vscode.l10n.t('It shares the rate limit with everything else; you can cancel it.') },
      go,
    );
    if (pick !== go) return undefined;
  }
  let got;
  try {
    got = await collectWithProgress(
      vscode.l10n.t('Loading the whole range from Zoom ({0})', describeRange(session.query)),
      async (signal, onProgress) =>
        collectQuery(session, await view.zoom.getClient(), {
          signal,
          onProgress,
          // Each page is checked by the rules (and its details parsed, when asked) while the next pages are on
          // their way: the scan, the Findings view, the overview and Group by then find the whole range ready
          // instead of working through it when it is in (200,000 entries: ~0.2 s to check, ~0.4 s to parse).
          onEntries: (es) => {
            const parsedOf = parseDetails ? insights().parsedOf : undefined;
            for (const e of es) {
              view.findings.of(e);
              parsedOf?.(e);
            }
          },
        }),
    );
  } catch (e) {
    showErrorWithLog(vscode.l10n.t('Could not load the whole range: {0}', toZoomError(e).message));
    return undefined;
  }
  if (got === 'cancelled') {
    vscode.window.setStatusBarMessage(vscode.l10n.t('Loading the whole range was cancelled; nothing changed.'), 5000);
    return undefined;
  }
  const { result: entries, refusedBefore } = got;
  if (view.session !== session) return undefined;
  view.provider.setWholeRange(session, entries);
  for (const l of listeners) l(session, entries, refusedBefore);
  if (refusedBefore) void vscode.window.showWarningMessage(describeRefusal(refusedBefore));
  return { session, entries };
}

/** Group By... (the view's title menu) and Search the Whole Range (the filter's notice). */
export function registerWholeRangeCommands(context: vscode.ExtensionContext, logView: LogView): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.groupBy, async (args?: WholeRangeArgs): Promise<boolean> => {
      const view = await logView.pick(args, vscode.l10n.t('Group by'));
      if (!view) return false;
      let by = args && typeof args === 'object' && isGroupKey(args.by) ? args.by : undefined;
      if (!by) {
        const current = view.provider.groupKey;
        const pick = await vscode.window.showQuickPick(
          GROUP_KEYS.map((key) => ({
            label: groupLabel(key),
            description: key === current ? vscode.l10n.t('current') : undefined,
            detail:
              key === 'category'
                ? vscode.l10n.t('The default: loads pages as you expand them.')
                : vscode.l10n.t('Needs the whole range; loads it first (you are asked before).'),
            key,
          })),
          { title: vscode.l10n.t('Group by'), placeHolder: vscode.l10n.t('Group the operation logs by...') },
        );
        if (!pick) return false;
        by = pick.key;
      }
      if (by !== 'category') {
        const whole = await ensureWholeRange(
          view,
          vscode.l10n.t('group by {0}', groupLabel(by).toLowerCase()),
          args?.confirm !== false,
          by === 'target',
        );
        if (!whole) return false;
      }
      view.provider.setGroupBy(by);
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.searchWholeRange, async (args?: WholeRangeArgs): Promise<boolean> => {
      const view = await logView.pick(args, vscode.l10n.t('Search the Whole Range'));
      if (!view) return false;
      const whole = await ensureWholeRange(
        view,
        vscode.l10n.t('search it with the filter'),
        !(args && typeof args === 'object' && args.confirm === false),
      );
      return !!whole;
    }),
  );
}
