import type { CategoryLog } from '../model/categoryLog';
import type { LogSession } from '../model/session';
import {
  CATEGORIES,
  collectAll,
  sortNewestFirst,
  type CursorQuery,
  type OperationLogEntry,
  type ZoomClient,
} from '../zoom';

export interface ExportProgress {
  entries: number;
  pages: number;
}

/**
 * Every entry of the session's query, newest first, each once. Categories
 * already fully loaded in the tree are reused; when every category is selected
 * and none is loaded, one `category_type=all` query takes the fewest requests
 * (and also brings entries of categories Zoom adds later). Windows download in
 * parallel under the client's rate limiter.
 */
export async function collectQuery(
  session: LogSession,
  client: ZoomClient,
  opts: { signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {},
): Promise<OperationLogEntry[]> {
  const { from, to } = session.query;
  const pageSize = session.options.pageSize;
  const logs = [...session.logs.values()];
  const loaded = logs.filter((l) => l.done);
  const missing = logs.filter((l) => !l.done);
  const everything = session.query.categories.length === CATEGORIES.length;
  const base: ExportProgress = { entries: loaded.reduce((n, l) => n + l.total, 0), pages: 0 };
  const report = (p: ExportProgress): void => opts.onProgress?.({ entries: base.entries + p.entries, pages: p.pages });

  if (everything && loaded.length === 0) {
    return collectAll(client, [{ from, to, categoryType: 'all', pageSize }], {
      signal: opts.signal,
      onProgress: report,
    });
  }
  const queries: CursorQuery[] = missing.map((l) => ({
    from,
    to,
    categoryType: l.category as CursorQuery['categoryType'],
    pageSize,
  }));
  const fetched = queries.length ? await collectAll(client, queries, { signal: opts.signal, onProgress: report }) : [];
  return sortNewestFirst([...loaded.flatMap((l) => l.allEntries()), ...fetched]);
}

/** Every entry of one category, continuing the tree's own paging. */
export async function collectCategory(
  log: CategoryLog,
  opts: { signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {},
): Promise<OperationLogEntry[]> {
  await log.loadAll(opts.signal, () => opts.onProgress?.({ entries: log.total, pages: log.pages }));
  return log.allEntries();
}

/** Every entry of one date of a category, loading until the date is complete. */
export async function collectDate(
  log: CategoryLog,
  dateKey: string,
  opts: { signal?: AbortSignal; onProgress?: (p: ExportProgress) => void } = {},
): Promise<OperationLogEntry[]> {
  while (!log.isDateComplete(dateKey)) {
    await log.loadNextPage(opts.signal);
    opts.onProgress?.({ entries: log.entries(dateKey).length, pages: log.pages });
  }
  return [...log.entries(dateKey)];
}
