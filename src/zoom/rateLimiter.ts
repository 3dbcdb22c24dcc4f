import { cancelled } from './errors';
import { sleep } from './retry';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal, cancelled),
};

/** A slot the limiter handed out: `sent()` moves its start to the moment the request left on a connected socket. */
export interface Slot {
  /** Ms waited for the slot. */
  readonly waitedMs: number;
  sent(): void;
}

/**
 * One limiter for the whole client, shared by the tree, exports and everything else, first come first
 * served. Two rules: at most `perSecond` requests start in any window of one second plus a margin, and
 * once half of them are in the window, starts are paced window / perSecond apart (no bursts beyond the
 * first half from idle). Pacing costs no throughput under load
 * (the window allows the same rate) and keeps the requests `perSecond` places apart from reaching Zoom
 * closer than a second: a burst is handled one after the other on the far side, and its last request is
 * counted later than its first, while the request one window behind the first is not.
 *
 * A request starts when it leaves on a connected socket (`Slot.sent`), not when it got its slot: a first
 * request that waits for a TLS handshake (or for node-fetch to load) reaches Zoom that much later, and
 * counting from the slot would let the request `perSecond` places behind it arrive less than a second
 * after it. What remains is the jitter between leaving and Zoom's count (the network's, our event
 * loop's); the margin absorbs it, and each per-second 429 Zoom still answers widens it by 50 ms, up to
 * half a second.
 */
export class RateLimiter {
  /**
   * The export bench (section 1 of bench/run.ts; the simulator counts in the same process, on a 2-core
   * machine shared with other work) needs 25-40 ms with pacing: 10 ms let a 429 through at 10 requests/s,
   * 25 ms once at 1 request/s under load; 40 ms none. Without pacing even 75 ms let 429s through at
   * 10 requests/s when the machine was busy. Zoom's own jitter is unknown: a 429 widens the margin.
   */
  static readonly BASE_MARGIN_MS = 40;
  static readonly MAX_MARGIN_MS = 500;
  /** How late a paced slot may be granted and still keep the pace's schedule (timer and event-loop lateness). */
  static readonly PACE_SLACK_MS = 10;
  private readonly starts: { t: number }[] = [];
  /** The scheduled time of the last slot granted (see waitForSlot). */
  private paceFrom = -Infinity;
  private tail: Promise<void> = Promise.resolve();
  private perSecond: number;
  private marginMs: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock = realClock,
    baseMarginMs: number = RateLimiter.BASE_MARGIN_MS,
  ) {
    this.perSecond = RateLimiter.clamp(perSecond);
    this.marginMs = Number.isFinite(baseMarginMs)
      ? Math.min(Math.max(0, Math.floor(baseMarginMs)), RateLimiter.MAX_MARGIN_MS)
      : RateLimiter.BASE_MARGIN_MS;
  }

  setRate(perSecond: number): void {
    this.perSecond = RateLimiter.clamp(perSecond);
  }

  get rate(): number {
    return this.perSecond;
  }

  /** The window in which at most `rate` requests start. */
  get windowMs(): number {
    return 1000 + this.marginMs;
  }

  /** Zoom answered a per-second 429 although we kept to the rate: leave more room. Returns the new window. */
  slowDown(): number {
    this.marginMs = Math.min(RateLimiter.MAX_MARGIN_MS, this.marginMs + 50);
    return this.windowMs;
  }

  /** Waits for a slot; returns the ms waited. Rejects at once when the signal aborts. */
  async acquire(signal?: AbortSignal): Promise<number> {
    return (await this.acquireSlot(signal)).waitedMs;
  }

  /**
   * Waits for a slot, which starts now; call `sent()` when the request leaves on a connected socket to move
   * its start there (later calls, or one after the slot left the window, change nothing).
   * Rejects at once when the signal aborts.
   */
  acquireSlot(signal?: AbortSignal): Promise<Slot> {
    const started = this.clock.now();
    const turn = this.tail.then(() => this.waitForSlot(signal));
    // A cancelled waiter must not hold up the queue behind it.
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn.then((entry) => {
      let moved = false;
      return {
        waitedMs: this.clock.now() - started,
        sent: () => {
          if (moved) return;
          moved = true;
          this.moveToNow(entry);
        },
      };
    });
  }

  private moveToNow(entry: { t: number }): void {
    const i = this.starts.indexOf(entry);
    if (i < 0) return;
    const now = this.clock.now();
    if (now <= entry.t) return;
    this.starts.splice(i, 1);
    entry.t = now;
    let j = this.starts.length;
    while (j > 0 && this.starts[j - 1].t > now) j--;
    this.starts.splice(j, 0, entry);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<{ t: number }> {
    for (;;) {
      if (signal?.aborted) throw cancelled();
      const now = this.clock.now();
      const window = this.windowMs;
      while (this.starts.length && this.starts[0].t <= now - window) this.starts.shift();
      const full = this.starts.length >= this.perSecond;
      // From idle, half the rate may start at once (a short export's month windows, the tree's first pages);
      // then starts are paced window / rate apart. The window rule is the exact one (over the times requests
      // left); the pace only spreads them, and counts from the slot it last granted, not from when that
      // request left or from a late wake-up: timers fire a millisecond or two late and a request leaves a
      // little after its slot, and adding that to every 26 ms pace (40 requests/s) slowed an export by 10%.
      const paced = this.starts.length >= Math.max(1, Math.floor(this.perSecond / 2));
      const paceAt = paced ? this.paceFrom + window / this.perSecond : now;
      if (!full && now >= paceAt) {
        // A slot granted within a few ms of its pace keeps the schedule; one granted later (the window was full,
        // or nobody asked) starts a new one from now, so waiting earns no burst.
        this.paceFrom = paced && now - paceAt <= RateLimiter.PACE_SLACK_MS ? paceAt : now;
        const entry = { t: now };
        this.starts.push(entry);
        return entry;
      }
      await this.clock.sleep(Math.max(full ? this.starts[0].t + window - now : 0, Math.ceil(paceAt - now)), signal);
    }
  }

  private static clamp(n: number): number {
    return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
  }
}
