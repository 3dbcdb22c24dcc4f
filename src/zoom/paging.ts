import { MAX_PAGE_SIZE, type ZoomClient } from './client';
import { addDays, monthWindows, type DateWindow } from './dates';
import { l10n } from '../l10n';
import { ZoomError } from './errors';
import { ChainEstimate, dayCount, MAX_CHAINS, SkipSet, splitByWeight, SplitPlanner, type SplitOptions } from './split';
import type { CategoryQuery, OperationLogEntry } from './types';

/** What a cursor needs of a client: one page per call. `ZoomClient` is one; tests may pass a fake. */
export type PageSource = Pick<ZoomClient, 'fetchPage'>;

/** Bounds that keep a misbehaving server from making one expansion or export page forever. */
export interface PagingLimits {
  /** Consecutive pages with no entries but a new page token, before giving up (default 5). */
  maxEmptyPages?: number;
  /** Successful pages one month window may take, restarts included (default 10,000). */
  maxPagesPerWindow?: number;
}

export interface CursorQuery {
  from: string;
  to: string;
  categoryType: CategoryQuery;
  pageSize: number;
  limits?: PagingLimits;
}

/** How many times one window may start over after Zoom rejects its page token. */
const MAX_RESTARTS_PER_WINDOW = 3;
export const MAX_EMPTY_PAGES = 5;
/**
 * A third of a Pro account's daily cap (30,000 requests, shared by all its apps): a runaway window
 * stops long before it uses up the day. At page size 300 that is 3,000,000 entries in one month,
 * three times the largest month we test (1,000,000 entries), so a real month with a restart or two
 * fits; at a small page size the message says to raise it.
 */
export const MAX_PAGES_PER_WINDOW = 10_000;

/**
 * The entries one window may bring: its page budget of full pages. Zoom's pages hold at most 300 entries; a server
 * that sends pages of thousands is stopped here, before the entries it keeps sending fill the memory.
 */
export function maxEntriesPerWindow(q: Pick<CursorQuery, 'limits'>): number {
  return (q.limits?.maxPagesPerWindow ?? MAX_PAGES_PER_WINDOW) * MAX_PAGE_SIZE;
}

/** The error that stops a window past its budget of pages or entries. */
function overBudget(what: 'pages' | 'entries', budget: number, w: DateWindow): ZoomError {
  const n = budget.toLocaleString('en-US');
  return new ZoomError(
    'badResponse',
    what === 'pages'
      ? l10n.t(
          'Zoom sent more than {0} pages for {1} to {2}; stopped so the download ends. Try a shorter range or a larger page size ("zoomOperationLogs.pageSize").',
          n,
          w.from,
          w.to,
        )
      : l10n.t(
          'Zoom sent more than {0} entries for {1} to {2}; stopped so the download ends. Try a shorter range.',
          n,
          w.from,
          w.to,
        ),
  );
}

/**
 * A 53-bit hash of an entry's five fields (two 32-bit FNV-1a-style lanes with different primes,
 * fields separated), exact in a double. With a million entries in one window the chance that
 * any two distinct entries collide is about 1 in 18,000; a collision could only make a restart
 * skip one entry it should have kept.
 */
export function entryHash(e: OperationLogEntry): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    a = Math.imul(a ^ 0xffff, 0x01000193);
    b = Math.imul(b ^ 0xffff, 0x5bd1e995);
  };
  mix(e.time);
  mix(e.operator);
  mix(e.categoryType);
  mix(e.action);
  mix(e.operationDetail);
  b ^= b >>> 15;
  b = Math.imul(b, 0x2c1b3c6d);
  b ^= b >>> 12;
  return (a >>> 0) * 0x200000 + (b >>> 11);
}

/** Append-only list of hashes: 8 bytes per entry, outside the JS object heap. */
class HashList {
  private data = new Float64Array(1024);
  length = 0;
  push(h: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = h;
  }
  /** A multiset of the hashes: sorted distinct values and their counts. */
  toMultiset(): HashMultiset {
    return new HashMultiset(this.data.slice(0, this.length));
  }
}

/** Sorted distinct hashes with counts; `take` removes one occurrence (binary search). */
class HashMultiset {
  private readonly keys: Float64Array;
  private readonly counts: Uint32Array;
  private left: number;
  constructor(hashes: Float64Array) {
    hashes.sort();
    let n = 0;
    const counts = new Uint32Array(hashes.length);
    for (let i = 0; i < hashes.length; i++) {
      if (n > 0 && hashes[n - 1] === hashes[i]) counts[n - 1]++;
      else {
        hashes[n] = hashes[i];
        counts[n++] = 1;
      }
    }
    this.keys = hashes.slice(0, n);
    this.counts = counts.slice(0, n);
    this.left = hashes.length;
  }
  get empty(): boolean {
    return this.left === 0;
  }
  take(h: number): boolean {
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid];
      if (k < h) lo = mid + 1;
      else if (k > h) hi = mid - 1;
      else {
        if (this.counts[mid] === 0) return false;
        this.counts[mid]--;
        this.left--;
        return true;
      }
    }
    return false;
  }
}

/** True when Zoom refused a window as older than its horizon: HTTP 300, or a 400 that says six months. */
export function isHorizonRefusal(e: unknown): e is ZoomError {
  if (!(e instanceof ZoomError)) return false;
  if (e.kind === 'horizon') return true;
  return e.status === 400 && e.kind !== 'pageToken' && /\b(6|six)\s*months?\b/i.test(e.zoomMessage ?? '');
}

/** The first day Zoom answered for, given the windows it refused: the day after the newest refused `to`. */
export function refusedBefore(refused: readonly DateWindow[]): string | undefined {
  let last: string | undefined;
  for (const w of refused) if (last === undefined || w.to > last) last = w.to;
  return last === undefined ? undefined : addDays(last, 1);
}

/** What the tree, the view and exports say about refused days. */
export function describeRefusal(before: string): string {
  return `Zoom returned nothing before ${before}: it refused the older days as outside its six-month limit.`;
}

/**
 * Walks one query page by page: its month windows newest first, each window's
 * pages in order. When Zoom says a page token is invalid or expired (15 minutes
 * after issue), the window starts over and the entries already handed out are
 * skipped, counted as a multiset (of 53-bit hashes, 8 bytes per entry) so
 * legitimately identical entries survive. When Zoom refuses a window as older
 * than six months, that window and the older ones are recorded in `refused`
 * and skipped; the newer windows' entries stand. A token Zoom repeats, a run of
 * empty pages with tokens, or a window that never ends stops with an error, not a loop.
 */
export class QueryCursor {
  readonly windows: readonly DateWindow[];
  /** Windows Zoom refused as outside its horizon (and the older ones, not asked), newest first. */
  readonly refused: DateWindow[] = [];
  private windowIndex = 0;
  private token = '';
  /** Hashes of the entries handed out from the current window. */
  private seen = new HashList();
  /** Entries of an earlier pass still to be skipped after a restart. */
  private toSkip?: HashMultiset;
  private tokensSeen = new Set<string>();
  private restarts = 0;
  private emptyRun = 0;
  private windowPages = 0;
  /** Entries the current window brought, restarts included (bounded by maxEntriesPerWindow). */
  private windowEntries = 0;
  private readonly maxEmptyPages: number;
  private readonly maxPagesPerWindow: number;
  /** Successful page responses. */
  pages = 0;

  constructor(
    private readonly client: PageSource,
    readonly query: CursorQuery,
    windows?: readonly DateWindow[],
  ) {
    this.windows = windows ?? monthWindows(query.from, query.to);
    this.maxEmptyPages = query.limits?.maxEmptyPages ?? MAX_EMPTY_PAGES;
    this.maxPagesPerWindow = query.limits?.maxPagesPerWindow ?? MAX_PAGES_PER_WINDOW;
  }

  get done(): boolean {
    return this.windowIndex >= this.windows.length;
  }

  /** The window the next page comes from. */
  get currentWindow(): DateWindow | undefined {
    return this.windows[this.windowIndex];
  }

  /** The first day Zoom answered for when it refused older windows, else undefined. */
  get refusedBefore(): string | undefined {
    return refusedBefore(this.refused);
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
      if (isHorizonRefusal(e)) {
        // Zoom's horizon is a point in time: every older window is outside it too.
        this.refused.push(...this.windows.slice(this.windowIndex));
        this.windowIndex = this.windows.length;
        this.nextWindow();
        return [];
      }
      throw e;
    }
    this.pages++;
    const next = page.nextPageToken;
    if (++this.windowPages > this.maxPagesPerWindow) throw overBudget('pages', this.maxPagesPerWindow, w);
    this.windowEntries += page.entries.length;
    if (this.windowEntries > maxEntriesPerWindow(this.query)) {
      throw overBudget('entries', maxEntriesPerWindow(this.query), w);
    }
    if (page.entries.length === 0 && next) {
      if (++this.emptyRun >= this.maxEmptyPages) {
        throw new ZoomError(
          'badResponse',
          l10n.t(
            'Zoom kept sending empty pages for {0} to {1}; stopped after {2}. Try again later.',
            w.from,
            w.to,
            this.maxEmptyPages,
          ),
        );
      }
    } else this.emptyRun = 0;
    let fresh = page.entries;
    if (this.toSkip) {
      const skip = this.toSkip;
      fresh = page.entries.filter((e) => !skip.take(entryHash(e)));
      if (skip.empty) this.toSkip = undefined;
    }
    for (const e of fresh) this.seen.push(entryHash(e));
    if (!next) {
      this.windowIndex++;
      this.nextWindow();
    } else {
      if (this.tokensSeen.has(next) || next === this.token) {
        throw new ZoomError(
          'badResponse',
          l10n.t(
            'Zoom sent the same page token twice for {0} to {1}; stopped so the download does not loop. Try again later.',
            w.from,
            w.to,
          ),
        );
      }
      this.tokensSeen.add(next);
      this.token = next;
    }
    return fresh;
  }

  private restartWindow(cause: ZoomError): void {
    if (++this.restarts > MAX_RESTARTS_PER_WINDOW) {
      const w = this.windows[this.windowIndex];
      throw new ZoomError(
        'pageToken',
        l10n.t(
          'Zoom kept rejecting page tokens for {0} to {1} ({2} fresh starts). Try again later.',
          w.from,
          w.to,
          MAX_RESTARTS_PER_WINDOW,
        ),
        { status: cause.status, code: cause.code, cause },
      );
    }
    this.toSkip = this.seen.toMultiset();
    this.token = '';
    this.tokensSeen = new Set();
    this.emptyRun = 0;
  }

  /** Clears the per-window state; the caller has moved windowIndex. */
  private nextWindow(): void {
    this.token = '';
    this.seen = new HashList();
    this.toSkip = undefined;
    this.tokensSeen = new Set();
    this.restarts = 0;
    this.emptyRun = 0;
    this.windowPages = 0;
    this.windowEntries = 0;
  }
}

/** Every entry of a query, window by window, page by page; each exactly once. */
export async function* iterateEntries(
  client: PageSource,
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
  /** Set once Zoom refused a window as outside its horizon: the first day it answered for. */
  refusedBefore?: string;
}

/**
 * Downloads whole queries with their month windows in parallel (the client's
 * rate limiter paces them), and returns the entries newest first. A window Zoom
 * refuses as older than six months is skipped and reported (`onRefused`,
 * `refusedBefore` in progress); the other windows' entries are all returned.
 *
 * With a client that has a rate limiter (a `ZoomClient`), a window whose chain of
 * page tokens would still be paging after the limiter could have finished the rest
 * is split into day ranges that page in parallel (split.ts); every entry still
 * arrives exactly once. `split: false` turns that off; `concurrency` caps the chains
 * in flight (default 8 without splitting, else MAX_CHAINS: one per socket the client keeps to Zoom).
 */
export async function collectAll(
  client: PageSource,
  queries: CursorQuery[],
  opts: {
    signal?: AbortSignal;
    concurrency?: number;
    onProgress?: (p: CollectProgress) => void;
    /** Each entry of the result, once, as its page arrives (before the next page is asked for). */
    onEntries?: (entries: readonly OperationLogEntry[]) => void;
    onRefused?: (window: DateWindow, query: CursorQuery) => void;
    split?: SplitOptions | false;
  } = {},
): Promise<OperationLogEntry[]> {
  const planner = SplitPlanner.forSource(client, opts.split);
  interface Root {
    readonly window: DateWindow;
    readonly results: OperationLogEntry[];
    pages: number;
    entries: number;
  }
  interface Chain {
    readonly root: Root;
    readonly query: CursorQuery;
    readonly cursor: QueryCursor;
    readonly estimate: ChainEstimate;
    /** Multisets of what the ancestors read, the parent's first; an entry one of them takes is skipped. */
    readonly skips: readonly SkipSet[];
    /** Hashes of every entry Zoom sent this chain (kept while it may still split). */
    read?: number[];
  }
  const chain = (root: Root, query: CursorQuery, w: DateWindow, skips: SkipSet[], prior?: number): Chain => {
    const estimate = new ChainEstimate(w.from, w.to, Math.min(Math.max(1, query.pageSize), 300), prior);
    // Queued chains count too: the planner weighs a chain against everything still to fetch.
    planner?.add(estimate);
    return {
      root,
      query,
      cursor: new QueryCursor(client, query, [w]),
      estimate,
      skips,
      read: planner ? [] : undefined,
    };
  };
  const roots: Root[] = [];
  const queue: Chain[] = [];
  for (const q of queries) {
    for (const w of monthWindows(q.from, q.to)) {
      const root: Root = { window: w, results: [], pages: 0, entries: 0 };
      roots.push(root);
      queue.push(chain(root, q, w, []));
    }
  }
  /**
   * Longest first: month windows (size unknown until their first page) in order, then split parts by their
   * estimated pages, so the long ones are not left to run alone at the end.
   */
  const enqueue = (c: Chain): void => {
    const pages = c.estimate.remainingPages;
    let i = queue.length;
    while (i > 0 && queue[i - 1].estimate.known && queue[i - 1].estimate.remainingPages < pages) i--;
    queue.splice(i, 0, c);
  };
  const progress: CollectProgress = { entries: 0, pages: 0 };
  const refused: DateWindow[] = [];
  // One failure stops the other chains' network activity at once.
  const failed = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
  const budget = (q: CursorQuery): number => q.limits?.maxPagesPerWindow ?? MAX_PAGES_PER_WINDOW;

  const run = async (c: Chain): Promise<void> => {
    try {
      while (!c.cursor.done) {
        const before = c.cursor.pages;
        const started = Date.now();
        const got = await c.cursor.nextPage(signal);
        const pages = c.cursor.pages - before;
        if (pages === 1) planner?.observeLatency(Date.now() - started);
        c.root.pages += pages;
        c.root.entries += got.length;
        if (c.root.pages > budget(c.query)) throw overBudget('pages', budget(c.query), c.root.window);
        if (c.root.entries > maxEntriesPerWindow(c.query)) {
          throw overBudget('entries', maxEntriesPerWindow(c.query), c.root.window);
        }
        c.estimate.observe(got, pages);
        let fresh = got;
        for (const skip of c.skips) {
          if (skip.size) fresh = fresh.filter((e) => !skip.take(entryHash(e)));
        }
        if (c.read) for (const e of got) c.read.push(entryHash(e));
        for (const e of fresh) c.root.results.push(e);
        if (fresh.length) opts.onEntries?.(fresh);
        progress.entries += fresh.length;
        progress.pages += pages;
        for (const w of c.cursor.refused.splice(0)) {
          refused.push(w);
          progress.refusedBefore = refusedBefore(refused);
          opts.onRefused?.(w, c.query);
        }
        opts.onProgress?.(progress);
        if (!planner || c.cursor.done || !c.read) continue;
        const parts = planner.parts(c.estimate);
        if (parts >= 2) {
          // The children cover every day of this chain again; what it read is skipped once, by whichever meets it.
          const w = c.cursor.windows[0];
          const skips = [new SkipSet(c.read), ...c.skips];
          const weights = c.estimate.dayWeights();
          const ranges = splitByWeight(w.from, w.to, weights, parts);
          planner.splits++;
          for (const d of ranges) {
            const i = dayCount(w.from, d.from) - 1;
            const share = weights.slice(i, i + dayCount(d.from, d.to)).reduce((a, b) => a + b, 0);
            enqueue(chain(c.root, c.query, d, skips, Math.max(1, share / c.estimate.pageSize)));
          }
          return;
        }
        if (!planner.mayStillSplit(c.estimate)) c.read = undefined;
      }
    } finally {
      planner?.remove(c.estimate);
    }
  };

  const cap = Math.max(1, opts.concurrency ?? (planner ? MAX_CHAINS : 8));
  await new Promise<void>((resolve, reject) => {
    let active = 0;
    let stopped = false;
    const launch = (): void => {
      while (!stopped && active < cap && queue.length) {
        const c = queue.shift() as Chain;
        active++;
        run(c).then(
          () => {
            active--;
            if (!stopped && active === 0 && queue.length === 0) resolve();
            else launch();
          },
          (e: unknown) => {
            active--;
            if (stopped) return;
            stopped = true;
            failed.abort();
            reject(e);
          },
        );
      }
    };
    if (queue.length === 0) resolve();
    else launch();
  });
  return sortNewestFirst(roots.flatMap((r) => r.results));
}

/** Stable sort, newest first; entries without a usable time go last. */
export function sortNewestFirst<T extends { timeMs: number }>(entries: T[]): T[] {
  return entries.sort((a, b) => {
    const x = Number.isNaN(a.timeMs) ? -Infinity : a.timeMs;
    const y = Number.isNaN(b.timeMs) ? -Infinity : b.timeMs;
    return y - x;
  });
}
