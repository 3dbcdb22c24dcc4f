import type { ZoomClient } from './client';
import { monthWindows, type DateWindow } from './dates';
import { ZoomError } from './errors';
import type { CategoryQuery, OperationLogEntry } from './types';

export interface CursorQuery {
  from: string;
  to: string;
  categoryType: CategoryQuery;
  pageSize: number;
}

/** How many times one window may start over after Zoom rejects its page token. */
const MAX_RESTARTS_PER_WINDOW = 3;

/** Identity of an entry for de-duplication when a window starts over. */
export function entryKey(e: OperationLogEntry): string {
  return `${e.time}\u0000${e.operator}\u0000${e.categoryType}\u0000${e.action}\u0000${e.operationDetail}`;
}

/**
 * Walks one query page by page: its month windows newest first, each window's
 * pages in order. When Zoom says a page token is invalid or expired (15 minutes
 * after issue), the window starts over and the entries already handed out are
 * skipped, counted as a multiset so legitimately identical entries survive.
 * A token Zoom repeats within a window ends the walk with an error, not a loop.
 */
export class QueryCursor {
  readonly windows: readonly DateWindow[];
  private windowIndex = 0;
  private token = '';
  /** Entries handed out from the current window (references only; keys are built on restart). */
  private windowEntries: OperationLogEntry[] = [];
  /** Entries of an earlier pass still to be skipped after a restart. */
  private toSkip?: Map<string, number>;
  private tokensSeen = new Set<string>();
  private restarts = 0;
  /** Successful page responses. */
  pages = 0;

  constructor(
    private readonly client: ZoomClient,
    readonly query: CursorQuery,
    windows?: readonly DateWindow[],
  ) {
    this.windows = windows ?? monthWindows(query.from, query.to);
  }

  get done(): boolean {
    return this.windowIndex >= this.windows.length;
  }

  /** The window the next page comes from. */
  get currentWindow(): DateWindow | undefined {
    return this.windows[this.windowIndex];
  }

  /**
   * Fetches pages until at least one new entry arrives or the query ends.
   * Usually one request; an empty month costs one more.
   */
  async nextPage(signal?: AbortSignal): Promise<OperationLogEntry[]> {
    while (!this.done) {
      const fresh = await this.fetchOne(signal);
      if (fresh.length) return fresh;
    }
    return [];
  }

  private async fetchOne(signal?: AbortSignal): Promise<OperationLogEntry[]> {
    const w = this.windows[this.windowIndex];
    let page;
    try {
      page = await this.client.fetchPage(
        {
          from: w.from,
          to: w.to,
          categoryType: this.query.categoryType,
          pageSize: this.query.pageSize,
          nextPageToken: this.token || undefined,
        },
        signal,
      );
    } catch (e) {
      if (e instanceof ZoomError && e.kind === 'pageToken' && this.token) {
        this.restartWindow(e);
        return [];
      }
      throw e;
    }
    this.pages++;
    const fresh = this.toSkip ? page.entries.filter((e) => !this.skip(e)) : page.entries;
    for (const e of fresh) this.windowEntries.push(e);
    const next = page.nextPageToken;
    if (!next) {
      this.nextWindow();
    } else {
      if (this.tokensSeen.has(next) || next === this.token) {
        throw new ZoomError(
          'badResponse',
          `Zoom sent the same page token twice for ${w.from} to ${w.to}; stopped so the download does not loop. Try again later.`,
        );
      }
      this.tokensSeen.add(next);
      this.token = next;
    }
    return fresh;
  }

  private skip(e: OperationLogEntry): boolean {
    const k = entryKey(e);
    const n = this.toSkip?.get(k) ?? 0;
    if (n <= 0) return false;
    if (n === 1) this.toSkip?.delete(k);
    else this.toSkip?.set(k, n - 1);
    return true;
  }

  private restartWindow(cause: ZoomError): void {
    if (++this.restarts > MAX_RESTARTS_PER_WINDOW) {
      const w = this.windows[this.windowIndex];
      throw new ZoomError(
        'pageToken',
        `Zoom kept rejecting page tokens for ${w.from} to ${w.to} (${MAX_RESTARTS_PER_WINDOW} fresh starts). Try again later.`,
        { status: cause.status, code: cause.code, cause },
      );
    }
    const skip = new Map<string, number>();
    for (const e of this.windowEntries) {
      const k = entryKey(e);
      skip.set(k, (skip.get(k) ?? 0) + 1);
    }
    this.toSkip = skip;
    this.token = '';
    this.tokensSeen = new Set();
  }

  private nextWindow(): void {
    this.windowIndex++;
    this.token = '';
    this.windowEntries = [];
    this.toSkip = undefined;
    this.tokensSeen = new Set();
    this.restarts = 0;
  }
}

/** Every entry of a query, window by window, page by page; each exactly once. */
export async function* iterateEntries(
  client: ZoomClient,
  query: CursorQuery,
  signal?: AbortSignal,
): AsyncGenerator<OperationLogEntry, void, undefined> {
  const cursor = new QueryCursor(client, query);
  while (!cursor.done) {
    for (const e of await cursor.nextPage(signal)) yield e;
  }
}

export interface CollectProgress {
  entries: number;
  pages: number;
}

/**
 * Downloads whole queries with their month windows in parallel (the client's
 * rate limiter paces them), and returns the entries newest first.
 */
export async function collectAll(
  client: ZoomClient,
  queries: CursorQuery[],
  opts: { signal?: AbortSignal; concurrency?: number; onProgress?: (p: CollectProgress) => void } = {},
): Promise<OperationLogEntry[]> {
  const cursors = queries.flatMap((q) => monthWindows(q.from, q.to).map((w) => new QueryCursor(client, q, [w])));
  const results: OperationLogEntry[][] = cursors.map(() => []);
  const progress: CollectProgress = { entries: 0, pages: 0 };
  // One failure stops the other workers' network activity at once.
  const failed = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cursors.length) {
      const i = next++;
      const c = cursors[i];
      while (!c.done) {
        const before = c.pages;
        const got = await c.nextPage(signal);
        for (const e of got) results[i].push(e);
        progress.entries += got.length;
        progress.pages += c.pages - before;
        opts.onProgress?.(progress);
      }
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 8, cursors.length));
  await Promise.all(
    Array.from({ length: n }, () =>
      worker().catch((e: unknown) => {
        failed.abort();
        throw e;
      }),
    ),
  );
  return sortNewestFirst(results.flat());
}

/** Stable sort, newest first; entries without a usable time go last. */
export function sortNewestFirst<T extends { timeMs: number }>(entries: T[]): T[] {
  return entries.sort((a, b) => {
    const x = Number.isNaN(a.timeMs) ? -Infinity : a.timeMs;
    const y = Number.isNaN(b.timeMs) ? -Infinity : b.timeMs;
    return y - x;
  });
}
