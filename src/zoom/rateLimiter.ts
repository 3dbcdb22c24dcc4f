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
 * window of one second (plus a small margin for loopback and event-loop jitter),
 * first come first served, shared by the tree, exports and everything else.
 */
export class RateLimiter {
  private readonly starts: number[] = [];
  private tail: Promise<void> = Promise.resolve();
  private perSecond: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock = realClock,
    private readonly windowMs = 1050,
  ) {
    this.perSecond = RateLimiter.clamp(perSecond);
  }

  setRate(perSecond: number): void {
    this.perSecond = RateLimiter.clamp(perSecond);
  }

  get rate(): number {
    return this.perSecond;
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
      while (this.starts.length && this.starts[0] <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.perSecond) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0] + this.windowMs - now, signal);
    }
  }

  private static clamp(n: number): number {
    return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
  }
}
