import type { CategoryLog } from '../model/categoryLog';
import type { OtherCategoriesLog } from '../model/otherCategories';
import type { LogSession } from '../model/session';
import {
  CATEGORIES,
  collectAll,
  sortNewestFirst,
  type CursorQuery,
  type OperationLogEntry,
  type PageSource,
} from '../zoom';

export interface ExportProgress {
  entries: number;
  pages: number;
  /** Set once Zoom refused older days as outside six months: the first day it answered for. */
  refusedBefore?: string;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  return a && b ? (a > b ? a : b) : (a ?? b);
}

/**
 * Every entry of the session's query, newest first, each once. Categories
 * already fully loaded in the tree are reused. When every category is selected,
 * the export also holds the categories outside the eleven (`User Group`, ...):
 * unless the tree's "Other categories" is fully loaded, that takes one
 * `category_type=all` query, which is then also the fewest requests for the
 * rest. Windows download in parallel under the client's rate limiter. Windows
 * Zoom refuses as older than six months are skipped and reported in progress
 * (`refusedBefore`); everything else is kept.
 */
export async function collectQuery(
  session: LogSession,
  client: PageSource,
  opts: {
    signal?: AbortSignal;
    onProgress?: (p: ExportProgress) => void;
    /** Each entry of the result, once: those reused from the tree and the archive first, then each page's. */
    onEntries?: (entries: readonly OperationLogEntry[]) => void;
  } = {},
): Promise<OperationLogEntry[]> {
  const { to } = session.query;
  const pageSize = session.options.pageSize;
  const logs = [...session.logs.values()];
  const everything = session.query.categories.length === CATEGORIES.length;
  const others = everything ? session.others : undefined;
  const reuseOthers = !!others?.done;
  const useAll = everything && !reuseOthers;
  const loaded = useAll ? [] : logs.filter((l) => l.done);
  const missing = useAll ? [] : logs.filter((l) => !l.done);
  // The days the archive serves are read from disk (0 requests); Zoom is asked only for the rest.
  const part = session.archive;
  if (part) await part.loadAll(opts.signal);
  const archived = (list: OperationLogEntry[]): OperationLogEntry[] =>
    part ? list.filter((e) => e.timeMs < part.endMs) : [];
  const reused: OperationLogEntry[] = [
    ...loaded.flatMap((l) => l.allEntries()),
    ...(reuseOthers ? others.allEntries() : []),
    ...(useAll ? logs : missing).flatMap((l) => archived(l.allEntries())),
    ...(useAll && others ? archived(others.allEntries()) : []),
  ];
  let refused = useAll ? undefined : [...loaded.map((l) => l.refusedBefore), others?.feed.refusedBefore].reduce(later);
  const base = reused.length;
  const report = (p: ExportProgress): void => {
    refused = later(refused, p.refusedBefore);
    opts.onProgress?.({ entries: base + p.entries, pages: p.pages, refusedBefore: refused });
  };
  report({ entries: 0, pages: 0 });
  if (reused.length) opts.onEntries?.(reused);

  const zoomFrom = session.zoomFrom;
  const queries: CursorQuery[] =
    zoomFrom === undefined
      ? []
      : useAll
        ? [{ from: zoomFrom, to, categoryType: 'all', pageSize }]
        : missing.map((l) => ({
            from: zoomFrom,
            to,
            categoryType: l.category as CursorQuery['categoryType'],
            pageSize,
          }));
  const fetched = queries.length
    ? await collectAll(client, queries, { signal: opts.signal, onProgress: report, onEntries: opts.onEntries })
    : [];
  return sortNewestFirst([...reused, ...fetched]);
}

/** Every entry of one category, continuing the tree's own paging. */
export async function collectCategory(
  log: CategoryLog,
  opts: { signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {},
): Promise<OperationLogEntry[]> {
  const report = (): void =>
    opts.onProgress?.({ entries: log.total, pages: log.pages, refusedBefore: log.refusedBefore });
  report();
  await log.loadAll(opts.signal, report);
  return log.allEntries();
}

/** Every entry outside the eleven categories, continuing the tree's "Other categories" paging. */
export async function collectOthers(
  others: OtherCategoriesLog,
  opts: { signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {},
): Promise<OperationLogEntry[]> {
  const report = (): void =>
    opts.onProgress?.({ entries: others.total, pages: others.feed.pages, refusedBefore: others.feed.refusedBefore });
  report();
  await others.loadAll(opts.signal, report);
  return sortNewestFirst(others.allEntries());
}

/** Every entry of one date of a category, loading until the date is complete. */
export async function collectDate(
  log: CategoryLog,
  dateKey: string,
  opts: { signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {},
): Promise<OperationLogEntry[]> {
  // completeDate reads the date's archived days first: asking Zoom alone never completes an archived date.
  await log.completeDate(dateKey, opts.signal, () =>
    opts.onProgress?.({ entries: log.entries(dateKey).length, pages: log.pages, refusedBefore: log.refusedBefore }),
  );
  return [...log.entries(dateKey)];
}
