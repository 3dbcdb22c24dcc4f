import { l10n } from '../l10n';
/**
 * What loading the whole range costs and whether it is already loaded, mirroring what collectQuery
 * (src/export/collect.ts) will fetch. Plain Node: no `vscode`.
 */
import type { GroupKey } from '../insights/aggregate';
import type { LogSession } from '../model/session';
import { CATEGORIES, monthWindows } from '../zoom';

export interface WholeRangeCost {
  /** Requests at least: one per month window of each query collectQuery sends; 0 when nothing is missing. */
  minRequests: number;
  /** Queries (categories, or one all-categories query) still to fetch. */
  queries: number;
  windows: number;
}

/** The requests collectQuery will need at least, counting what the tree already loaded completely. */
export function wholeRangeCost(session: LogSession): WholeRangeCost {
  const windows = monthWindows(session.query.from, session.query.to).length;
  const everything = session.query.categories.length === CATEGORIES.length;
  const queries = everything
    ? session.others?.done
      ? [...session.logs.values()].filter((l) => !l.done).length
      : 1
    : [...session.logs.values()].filter((l) => !l.done).length;
  // With every category selected and "Other categories" loaded, collectQuery fetches the missing categories.
  return { minRequests: queries * windows, queries, windows };
}

/** Whether any page of the session is still on Zoom (the filter then sees only part of the range). */
export function hasUnloadedPages(session: LogSession): boolean {
  return [...session.logs.values()].some((l) => !l.done) || (session.others ? !session.others.done : false);
}

export const GROUP_KEYS: readonly GroupKey[] = ['category', 'operator', 'target', 'action'];

/** A grouping's name as people read it (translated). */
export function groupLabel(key: GroupKey): string {
  switch (key) {
    case 'category':
      return l10n.t('Category');
    case 'operator':
      return l10n.t('Operator');
    case 'target':
      return l10n.t('Target');
    case 'action':
      return l10n.t('Action');
  }
}

export function isGroupKey(v: unknown): v is GroupKey {
  return v === 'category' || v === 'operator' || v === 'target' || v === 'action';
}

/**
 * "at least 12 requests: ...", in plain words for the confirm dialog.
 * @userFacing
 */
export function describeCost(cost: WholeRangeCost, pageSize: number): string {
  const n = cost.minRequests;
  const requests = n === 1 ? l10n.t('at least 1 request') : l10n.t('at least {0} requests', n);
  return cost.queries === 1
    ? l10n.t('{0}: one per month and query, plus one per {1} entries', requests, pageSize)
    : l10n.t('{0}: one per month and each of {1} queries, plus one per {2} entries', requests, cost.queries, pageSize);
}
