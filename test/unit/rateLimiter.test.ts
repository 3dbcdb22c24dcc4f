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

  it("keeps its pace when timers fire late: the rate is the window's, not the pace plus the lateness", async () => {
    // Timers fire a little late (2 ms here) and requests leave a little after their slot (1 ms): counted on every
    // 26 ms pace at 40 requests/s, that lateness slowed a whole export by a tenth.
    const clock = new FakeClock(0);
    const late: typeof clock.sleep = (ms, signal) => FakeClock.prototype.sleep.call(clock, ms + 2, signal);
    const limiter = new RateLimiter(40, { now: () => clock.now(), sleep: late });
    const starts: number[] = [];
    for (let i = 0; i < 200; i++) {
      const slot = await limiter.acquireSlot();
      starts.push(clock.now());
      clock.t += 1;
      slot.sent();
    }
    const window = limiter.windowMs; // 1040
    for (let i = 40; i < starts.length; i++) {
      assert.ok(starts[i] - starts[i - 40] >= window, `request ${i}: at most 40 in any window`);
    }
    // 20 at once from idle and 20 paced fill the first window; the 41st waits for the window, then one per 26 ms:
    // the 200th at 1,040 + 159 x 26 = 5,174 ms, give or take a few wake-ups' lateness. With 2 ms lost on every
    // slot (28-29 ms apart) it came past 5,450 ms.
    const steady = window + 159 * (window / 40);
    assert.ok(starts[199] <= steady + 60, `the 200th slot at ${starts[199]} ms`);
    assert.ok(starts[199] >= steady, `and not sooner than the pace allows: ${starts[199]} ms`);
  });

  it('a slot granted long after its pace (nobody asked) earns no burst: the next one is a whole pace later', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(10, clock);
    for (let i = 0; i < 6; i++) await limiter.acquire(); // 5 at once, the 6th paced at 104 ms
    assert.equal(clock.now(), 104);
    clock.t = 500; // idle for a while
    await limiter.acquire();
    assert.equal(clock.now(), 500, 'granted at once');
    await limiter.acquire();
    assert.equal(clock.now(), 604, 'then a whole pace after it, not after the pace it missed');
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
