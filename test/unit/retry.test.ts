import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay, MAX_TIMER_MS, parseRetryAfter } from '../../src/zoom/retry';

describe('Retry-After and backoff', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);

  it('reads seconds, HTTP-dates and ISO dates', () => {
    assert.equal(parseRetryAfter('3', now, 60_000), 3000);
    assert.equal(parseRetryAfter('0', now, 60_000), 0);
    assert.equal(parseRetryAfter(new Date(now + 5000).toUTCString(), now, 60_000), 5000);
    assert.equal(parseRetryAfter(new Date(now + 7000).toISOString(), now, 60_000), 7000);
    assert.equal(parseRetryAfter('120', now, 60_000), 60_000, 'capped');
    assert.equal(parseRetryAfter(new Date(now - 5000).toUTCString(), now, 60_000), 0, 'past dates mean now');
    assert.equal(parseRetryAfter(undefined, now, 60_000), undefined);
    assert.equal(parseRetryAfter('soon', now, 60_000), undefined);
  });

  it('property: never throws, stays within [0, cap] and a legal timer, for any input', () => {
    const anyValue = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.double().map(String),
      fc.bigInt().map(String),
      fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toUTCString()),
      fc.constantFrom(
        '1e400',
        '-1',
        '99999999999999999999',
        'NaN',
        'Infinity',
        '',
        ' ',
        '\u0000',
        'Thu, 01 Jan 275760 00:00:00 GMT',
      ),
      fc.anything(),
    );
    const capArb = fc.oneof(fc.integer({ min: -10, max: 2 ** 33 }), fc.constantFrom(Infinity, NaN, -Infinity));
    fc.assert(
      fc.property(anyValue, capArb, (v, cap) => {
        const d = parseRetryAfter(v, now, cap);
        if (d === undefined) return;
        assert.ok(Number.isInteger(d) && d >= 0, `delay ${d}`);
        assert.ok(d <= MAX_TIMER_MS);
        if (Number.isFinite(cap) && cap >= 0) assert.ok(d <= cap, `${d} > cap ${cap}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: full jitter stays within [0, min(cap, base * 2^attempt)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, base, cap, r) => {
          const d = backoffDelay(attempt, base, cap, () => r);
          assert.ok(d >= 0 && d <= Math.min(cap, base * 2 ** attempt));
        },
      ),
    );
  });
});
