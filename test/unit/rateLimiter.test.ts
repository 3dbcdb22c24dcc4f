import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/zoom';
import { FakeClock } from './support/helpers';

/** A clock that only moves when someone sleeps on it (or the test moves it). */
const fakeClock = (): FakeClock => new FakeClock(0);

describe('RateLimiter', () => {
  it('starts at most `rate` requests in any window, paced, first come first served', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    const starts: number[] = [];
    // Everyone asks at 0, so a request's start is the time it waited.
    starts.push(...(await Promise.all(Array.from({ length: 35 }, () => limiter.acquire()))));
    assert.equal(starts.length, 35);
    for (let i = 10; i < starts.length; i++) assert.ok(starts[i] - starts[i - 10] >= limiter.windowMs, `request ${i}`);
    const pace = Math.floor(limiter.windowMs / 10);
    assert.deepEqual(starts.slice(0, 5), [0, 0, 0, 0, 0], 'half the rate at once from idle');
    for (let i = 5; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= pace, `request ${i} paced`);
    assert.equal(starts[9], 5 * pace, 'then paced, not in a burst');
    assert.ok(
      starts[34] <= 3 * limiter.windowMs + 5 * pace,
      `no slower than the window and the pace allow: ${starts[34]}`,
    );
  });

  it('widens its window after a per-second 429, up to half a second', () => {
    const limiter = new RateLimiter(10, fakeClock());
    assert.equal(limiter.windowMs, 1000 + RateLimiter.BASE_MARGIN_MS);
    assert.equal(limiter.slowDown(), 1000 + RateLimiter.BASE_MARGIN_MS + 50);
    for (let i = 0; i < 20; i++) limiter.slowDown();
    assert.equal(limiter.windowMs, 1000 + RateLimiter.MAX_MARGIN_MS);
  });

  it('a cancelled waiter rejects at once and does not hold up the queue', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1, clock);
    await limiter.acquire();
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(limiter.acquire(ac.signal), /Cancelled/);
    await limiter.acquire();
    assert.equal(clock.now(), limiter.windowMs);
  });
});
