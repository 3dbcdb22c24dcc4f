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

/**
 * One limiter for the whole client: at most `perSecond` requests start in any
 * window of one second plus a margin, first come first served, shared by the
 * tree, exports and everything else. The margin absorbs the jitter between
 * our clock and Zoom's arrival times; each per-second 429 Zoom still answers
 * widens it a little, up to half a second.
 */
export class RateLimiter {
  static readonly BASE_MARGIN_MS = 75;
  static readonly MAX_MARGIN_MS = 500;
  private readonly starts: number[] = [];
  private tail: Promise<void> = Promise.resolve();
  private perSecond: number;
  private marginMs = RateLimiter.BASE_MARGIN_MS;

  constructor(
    perSecond: number,
    private readonly clock: Clock = realClock,
  ) {
    this.perSecond = RateLimiter.clamp(perSecond);
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
  acquire(signal?: AbortSignal): Promise<number> {
    const started = this.clock.now();
    const turn = this.tail.then(() => this.waitForSlot(signal));
    // A cancelled waiter must not hold up the queue behind it.
    this.tail = turn.catch(() => undefined);
    return turn.then(() => this.clock.now() - started);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw cancelled();
      const now = this.clock.now();
      const window = this.windowMs;
      while (this.starts.length && this.starts[0] <= now - window) this.starts.shift();
      if (this.starts.length < this.perSecond) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0] + window - now, signal);
    }
  }

  private static clamp(n: number): number {
    return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
  }
}
