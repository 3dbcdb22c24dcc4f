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
/**
 * Chains in flight at once when splitting. Steady paging needs about rate x round trip of them (12 at 40
 * requests/s and 300 ms), but the first split starts them all at once and they come back together: with 16, the
 * limiter sat idle for a quarter of a second after the first burst at Business. The client's HTTP agent keeps
 * more sockets per host than this (MAX_SOCKETS, http.ts): a request the limiter let go never queues for one and
 * then reaches Zoom in a burst (429s). Chains waiting for the limiter hold no socket.
 */
export const MAX_CHAINS = 24;
/** Chains in flight per request the limiter could start during one round trip (more keep it busy through jitter). */
const SATURATE = 1.3;
/** Pages whose days a chain keeps counting; the planner never splits a chain that read more. */
const MAX_TRACKED_PAGES = 8;

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

/**
 * Splits an inclusive day range into at most `parts` contiguous whole-day ranges of about equal weight
 * (`weights[i]`: estimated entries of the i-th day, oldest first), newest first. A heavy day gets a range
 * of its own; light days are grouped.
 */
export function splitByWeight(from: string, to: string, weights: readonly number[], parts: number): DateWindow[] {
  const days = dayCount(from, to);
  if (weights.length !== days) return splitDays(from, to, parts);
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return splitDays(from, to, parts);
  let target = total / Math.max(1, parts);
  for (let attempt = 0; attempt < 20; attempt++) {
    const out: DateWindow[] = [];
    let end = days - 1; // index of the newest day of the open group
    let sum = 0;
    for (let i = days - 1; i >= 0; i--) {
      if (i < end && sum + weights[i] > target) {
        out.push({ from: addDays(from, i + 1), to: addDays(from, end) });
        end = i;
        sum = 0;
      }
      sum += weights[i];
    }
    out.push({ from, to: addDays(from, end) });
    if (out.length <= parts) return out;
    target *= 1.25;
  }
  return splitDays(from, to, parts);
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
   * rest of the download (default 1): lower means more, shorter chains (more seams, a few more requests).
   */
  share?: number;
  /** Fixed pages per chain instead of the timing model (tests: deterministic splits). */
  pagesPerChain?: number;
  /** Most sub-ranges one split makes (default 31: a month's days). */
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
  /**
   * Per UTC day (days since the epoch): the entries seen, and the most any page that touched the day says a
   * whole day holds at that page's density. Zoom's own day boundaries may differ (its time zone is unknown):
   * this only shapes the split, never decides which entries are kept.
   */
  private readonly seen = new Map<number, number>();
  private readonly dense = new Map<number, number>();
  private readonly firstDay: number;
  constructor(
    readonly from: string,
    readonly to: string,
    readonly pageSize: number,
    /** Remaining pages before any page arrived (a split parent's share), else undefined. */
    private readonly prior?: number,
  ) {
    this.days = dayCount(from, to);
    this.firstDay = Math.round((parseDate(from) ?? 0) / DAY_MS);
  }
  readonly days: number;

  /** Records one batch of entries from `pages` requests. */
  observe(entries: readonly { timeMs: number }[], pages: number): void {
    this.entriesRead += entries.length;
    this.pagesRead += pages;
    if (this.pagesRead > MAX_TRACKED_PAGES) return;
    const touched = new Set<number>();
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of entries) {
      if (Number.isNaN(e.timeMs)) continue;
      const day = Math.floor(e.timeMs / DAY_MS);
      this.seen.set(day, (this.seen.get(day) ?? 0) + 1);
      touched.add(day);
      if (e.timeMs < lo) lo = e.timeMs;
      if (e.timeMs > hi) hi = e.timeMs;
    }
    // A page that is less than half full says little about the density (Zoom may send short pages).
    if (pages !== 1 || entries.length < Math.max(2, this.pageSize / 2) || hi < lo) return;
    // Entries come in whole seconds: a page within one second is as dense as it gets.
    const d = entries.length / Math.max(1000, hi - lo + 1000);
    if (this.density === undefined || d > this.density) this.density = d;
    for (const day of touched) this.dense.set(day, Math.max(this.dense.get(day) ?? 0, d * DAY_MS));
  }

  /**
   * Estimated entries per day of the range, oldest first: days seen on a page at that page's density (at least
   * what was seen), days not seen yet at the highest density seen (a dense stretch may be anywhere).
   */
  dayWeights(): number[] {
    const unseen = (this.density ?? 0) * DAY_MS;
    return Array.from({ length: this.days }, (_, i) => {
      const day = this.firstDay + i;
      const seen = this.seen.get(day);
      return seen === undefined ? unseen : Math.max(seen, this.dense.get(day) ?? 0);
    });
  }

  /** Estimated entries in the whole range. */
  get totalEntries(): number {
    const floor = this.entriesRead + this.pageSize;
    if (this.density === undefined) return this.prior === undefined ? floor : this.prior * this.pageSize;
    return Math.max(
      floor,
      this.dayWeights().reduce((a, b) => a + b, 0),
    );
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
    this.share = opts.share ?? 1;
    this.maxParts = opts.maxParts ?? 31;
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
    const totalPages = Math.ceil(c.totalEntries / c.pageSize);
    let perChain: number;
    if (this.opts.pagesPerChain !== undefined) {
      if (remaining <= this.opts.pagesPerChain) return 0;
      perChain = this.opts.pagesPerChain;
    } else {
      if (!Number.isFinite(this.latencyMs) || remaining < 2 * MIN_PAGES_PER_CHAIN) return 0;
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
      // Chains it takes to keep the limiter busy (one request per chain per round trip); once some are
      // missing, split to that many with room for jitter.
      const busy = perMs * this.latencyMs;
      const needed = Math.min(MAX_CHAINS, busy * SATURATE);
      const straggler = aloneMs > this.share * jobMs + costMs;
      const idle = this.chains.size < Math.min(MAX_CHAINS, busy);
      if (!straggler && !idle) return 0;
      perChain = Math.max(
        MIN_PAGES_PER_CHAIN,
        Math.floor(Math.min((this.share * jobMs) / this.latencyMs, all / needed)),
      );
    }
    const k = Math.min(c.days, this.maxParts, Math.ceil(totalPages / perChain));
    return k >= 2 ? k : 0;
  }
}
