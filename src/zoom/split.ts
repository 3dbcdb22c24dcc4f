/**
 * Adaptive window splitting for whole-range downloads (`collectAll`).
 *
 * A month window is one chain of page tokens: one request in flight at a time. When the rate limiter could
 * finish the whole download sooner than one chain can page through its window alone, the rest of that window
 * is split into shorter day ranges that page in parallel, sized from the density the chain has seen.
 *
 * Exactly-once at the seams: Zoom's `from`/`to` are whole days in a time zone we do not know, so a sub-range
 * is a set of whole days and no day goes to two chains. Which day an entry belongs to is Zoom's business: a
 * split chain does not guess. Its children cover all of its days again, and the entries it already read
 * (its pages so far, as Zoom sent them) are skipped as a multiset shared by all its children: whichever child
 * meets such an entry first skips it. Splits nest; an entry a child skips at its own level (its parent read it)
 * is not passed on; an entry it keeps is checked against the grandparent's multiset, and so on.
 *
 * Nothing here imports `vscode`; the scheduler lives in paging.ts (`collectAll`).
 */
import { addDays, parseDate, type DateWindow } from './dates';

const DAY_MS = 86_400_000;
/**
 * Each extra chain costs about half a page (its last page is part-full) and the split its first page again:
 * chains shorter than this would spend more on seams than they save.
 */
const MIN_PAGES_PER_CHAIN = 4;

/** Inclusive number of days from `from` to `to`. */
export function dayCount(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  if (a === undefined || b === undefined || a > b) return 0;
  return Math.round((b - a) / DAY_MS) + 1;
}

/**
 * Splits an inclusive day range into `parts` contiguous ranges of whole days (sizes differ by at most one),
 * newest first. Fewer parts when there are fewer days.
 */
export function splitDays(from: string, to: string, parts: number): DateWindow[] {
  const days = dayCount(from, to);
  const k = Math.max(1, Math.min(days, Math.floor(parts)));
  const out: DateWindow[] = [];
  let end = to;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(days / k) + (i < days % k ? 1 : 0);
    const start = addDays(end, -(size - 1));
    out.push({ from: start, to: end });
    end = addDays(start, -1);
  }
  return out;
}

/** A multiset of 53-bit entry hashes; `take` removes one occurrence. Shared by the children of one split. */
export class SkipSet {
  private readonly counts = new Map<number, number>();
  private left = 0;
  constructor(hashes: Iterable<number>) {
    for (const h of hashes) {
      this.counts.set(h, (this.counts.get(h) ?? 0) + 1);
      this.left++;
    }
  }
  get size(): number {
    return this.left;
  }
  take(h: number): boolean {
    const n = this.counts.get(h);
    if (!n) return false;
    if (n === 1) this.counts.delete(h);
    else this.counts.set(h, n - 1);
    this.left--;
    return true;
  }
}

/** What the planner reads of the client's rate limiter. */
export interface RateSource {
  readonly rate: number;
  readonly windowMs: number;
}

export interface SplitOptions {
  /**
   * Splitting aims to end every chain within this share of the time the rate limiter needs for the whole
   * rest of the download (default 0.7): lower means more, shorter chains (more seams, a few more requests).
   */
  share?: number;
  /** Fixed pages per chain instead of the timing model (tests: deterministic splits). */
  pagesPerChain?: number;
  /** Most sub-ranges one split makes (default 16). */
  maxParts?: number;
  /** Pages a chain may have read and still split (default 3): later, re-reading them costs more than it saves. */
  maxPagesRead?: number;
}

/** One chain's view of its range, for the planner. */
export class ChainEstimate {
  /** Entries Zoom sent this chain (its own restarts de-duplicated). */
  entriesRead = 0;
  pagesRead = 0;
  /** Highest density seen on a well-filled page, entries per ms; undefined until one arrives. */
  private density?: number;
  /** Remaining pages before any page arrived (a split parent's share), else undefined. */
  constructor(
    readonly days: number,
    readonly pageSize: number,
    private readonly prior?: number,
  ) {}

  /** Records one batch of entries from `pages` requests. */
  observe(entries: readonly { timeMs: number }[], pages: number): void {
    this.entriesRead += entries.length;
    this.pagesRead += pages;
    // A page that is less than half full says little about the density (Zoom may send short pages).
    if (pages !== 1 || entries.length < Math.max(2, this.pageSize / 2)) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of entries) {
      if (Number.isNaN(e.timeMs)) continue;
      if (e.timeMs < lo) lo = e.timeMs;
      if (e.timeMs > hi) hi = e.timeMs;
    }
    if (hi < lo) return;
    // Entries come in whole seconds: a page within one second is as dense as it gets.
    const d = entries.length / Math.max(1000, hi - lo + 1000);
    if (this.density === undefined || d > this.density) this.density = d;
  }

  /** Estimated entries in the whole range. */
  get totalEntries(): number {
    const seen = this.entriesRead + this.pageSize;
    if (this.density === undefined) return this.prior === undefined ? seen : this.prior * this.pageSize;
    return Math.max(seen, this.density * this.days * DAY_MS);
  }

  /** Estimated requests still needed if the chain goes on as it is. */
  get remainingPages(): number {
    return Math.max(1, Math.ceil((this.totalEntries - this.entriesRead) / this.pageSize));
  }

  get known(): boolean {
    return this.density !== undefined || this.prior !== undefined;
  }

  /** A whole month window (not a split's part). */
  get isWindow(): boolean {
    return this.prior === undefined;
  }

  /** Set once the planner counted this window's estimate. */
  counted = false;
}

/**
 * Decides when and how far to split. A chain with more pages to go is split when, paging alone at the
 * request latency, it would end after the rate limiter could have finished everything that is left
 * (all chains' estimated pages at the limiter's rate): then the limiter has spare capacity at the end
 * that only more chains can use. It is split into as many day ranges as keep each one within that time,
 * counting the pages it already read, which its children read again. At Zoom's 1 request/s, or 10 with
 * six month windows and 300 ms latency, the windows alone keep the limiter busy and nothing is split.
 */
export class SplitPlanner {
  private latencyMs = Infinity;
  private readonly chains = new Set<ChainEstimate>();
  private readonly share: number;
  private readonly maxParts: number;
  private readonly maxPagesRead: number;
  /** Splits made (for logs and tests). */
  splits = 0;
  /** Month windows whose first page arrived, and their estimated pages in all. */
  private windowsSeen = 0;
  private windowPages = 0;

  constructor(
    private readonly limiter: RateSource,
    private readonly opts: SplitOptions = {},
  ) {
    this.share = opts.share ?? 0.7;
    this.maxParts = opts.maxParts ?? 16;
    this.maxPagesRead = opts.maxPagesRead ?? 3;
  }

  /** The planner for a page source with a rate limiter (a `ZoomClient`), else undefined: no splitting. */
  static forSource(source: object, opts?: SplitOptions | false): SplitPlanner | undefined {
    if (opts === false) return undefined;
    const limiter = (source as { limiter?: Partial<RateSource> }).limiter;
    if (!limiter || typeof limiter.rate !== 'number' || typeof limiter.windowMs !== 'number') return undefined;
    return new SplitPlanner(limiter as RateSource, opts);
  }

  add(c: ChainEstimate): void {
    this.chains.add(c);
  }

  remove(c: ChainEstimate): void {
    this.chains.delete(c);
  }

  /** One request's round trip (limiter wait included); the fastest one stands for the latency. */
  observeLatency(ms: number): void {
    if (ms >= 0 && ms < this.latencyMs) this.latencyMs = Math.max(1, ms);
  }

  /** False once the chain has read too much to split: its hashes need not be kept. */
  mayStillSplit(c: ChainEstimate): boolean {
    return c.days >= 2 && c.pagesRead <= this.maxPagesRead;
  }

  /** How many day ranges to split the chain into now; 0 or 1 = keep paging. */
  parts(c: ChainEstimate): number {
    if (c.isWindow && c.pagesRead > 0 && !c.counted) {
      c.counted = true;
      this.windowsSeen++;
      this.windowPages += Math.ceil(c.totalEntries / c.pageSize);
    }
    if (!this.mayStillSplit(c) || c.pagesRead === 0) return 0;
    const remaining = c.remainingPages;
    if (remaining < 2 * MIN_PAGES_PER_CHAIN) return 0;
    const totalPages = Math.ceil(c.totalEntries / c.pageSize);
    let perChain: number;
    if (this.opts.pagesPerChain !== undefined) {
      if (remaining <= this.opts.pagesPerChain) return 0;
      perChain = this.opts.pagesPerChain;
    } else {
      if (!Number.isFinite(this.latencyMs)) return 0;
      const perMs = this.limiter.rate / this.limiter.windowMs;
      // Chains without an estimate yet are month windows whose first page is on its way: they count as the
      // average window seen so far (this one, if none).
      let all = 0;
      let unknown = 0;
      for (const x of this.chains) {
        if (x.known) all += x.remainingPages;
        else unknown++;
      }
      const perWindow = this.windowsSeen ? this.windowPages / this.windowsSeen : remaining;
      all += perWindow * unknown;
      const jobMs = all / perMs;
      const aloneMs = remaining * this.latencyMs;
      // Splitting costs the pages read again plus one round trip for the children's first pages.
      const costMs = c.pagesRead / perMs + this.latencyMs;
      if (aloneMs <= this.share * jobMs + costMs) return 0;
      perChain = Math.max(MIN_PAGES_PER_CHAIN, Math.floor((this.share * jobMs) / this.latencyMs));
    }
    const k = Math.min(c.days, this.maxParts, Math.ceil(totalPages / perChain));
    return k >= 2 ? k : 0;
  }
}
