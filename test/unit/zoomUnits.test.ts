/**
 * Exact values of the pure parts of src/zoom (dates, Retry-After, backoff, the rate limiter,
 * categories, errors, log lines): what the simulator suites pass through without pinning down.
 */
import assert from 'node:assert/strict';
import { CATEGORIES } from '../../src/zoom/types';
import { CATEGORY_LABELS, categoryKey, categoryLabel, isKnownCategory } from '../../src/zoom/categories';
import {
  addDays,
  addMonths,
  checkDate,
  checkRange,
  endOfMonth,
  monthWindows,
  parseDate,
  startOfMonth,
} from '../../src/zoom/dates';
import { cancelled, stripUrls, toZoomError, ZoomError } from '../../src/zoom/errors';
import { withRetries } from '../../src/zoom/retrying';
import { formatSummary, redactQuery, silentLogger } from '../../src/zoom/logger';
import { RateLimiter, realClock, type Clock } from '../../src/zoom/rateLimiter';
import {
  backoffDelay,
  MAX_TIMER_MS,
  parseHttpOrIsoDate,
  parseRetryAfter,
  retryAfterAt,
  sleep,
} from '../../src/zoom/retry';

describe('Zoom units: dates', () => {
  const today = '2026-11-26';

  it('says exactly what is wrong with a date or a range', () => {
    assert.equal(checkDate('  ', today, 'start'), 'Enter the start date as yyyy-mm-dd.');
    assert.equal(
      checkDate('26/11/2026', today, 'end'),
      '"26/11/2026" is not a date in the form yyyy-mm-dd (for example 2026-11-26).',
    );
    assert.equal(
      checkDate('x'.repeat(41), today, 'end'),
      `"${'x'.repeat(37)}..." is not a date in the form yyyy-mm-dd (for example 2026-11-26).`,
      'long input is shortened',
    );
    assert.equal(
      checkDate('x'.repeat(40), today, 'end'),
      `"${'x'.repeat(40)}" is not a date in the form yyyy-mm-dd (for example 2026-11-26).`,
    );
    assert.equal(checkDate('2026-02-29', today, 'end'), '2026-02-29 is not a real calendar date.');
    assert.equal(
      checkDate('2026-11-27', today, 'end'),
      '2026-11-27 is in the future; the latest date is today (2026-11-26, UTC).',
    );
    assert.equal(
      checkDate('2026-05-25', today, 'start'),
      '2026-05-25 is more than 6 months ago; Zoom keeps operation logs for 6 months, so the earliest date is 2026-05-26.',
    );
    assert.equal(checkDate(' 2026-05-26 ', today, 'start'), undefined, 'the horizon day itself is fine');
    assert.equal(checkDate(today, today, 'end'), undefined, 'today is fine');
    assert.equal(checkRange('', today, today), 'Start date: Enter the start date as yyyy-mm-dd.');
    assert.equal(checkRange(today, '', today), 'End date: Enter the end date as yyyy-mm-dd.');
    assert.equal(
      checkRange(' 2026-11-20', '2026-11-10 ', today),
      'The start date 2026-11-20 is after the end date 2026-11-10; swap them.',
    );
  });

  it('month arithmetic and windows', () => {
    assert.equal(startOfMonth('2026-11-26'), '2026-11-01');
    assert.equal(endOfMonth('2026-02-10'), '2026-02-28');
    assert.equal(endOfMonth('2024-02-10'), '2024-02-29');
    assert.equal(endOfMonth('2026-12-31'), '2026-12-31');
    assert.equal(addMonths('2026-03-31', -1), '2026-02-28');
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2026-11-15', 2), '2027-01-15');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.throws(() => addDays('2026-02-30', 1), /Not a yyyy-mm-dd date: "2026-02-30"/);
    assert.throws(() => monthWindows('2026-11-02', '2026-11-01'), /from 2026-11-02 is after to 2026-11-01/);
    assert.deepEqual(monthWindows('2026-09-30', '2026-11-01'), [
      { from: '2026-11-01', to: '2026-11-01' },
      { from: '2026-10-01', to: '2026-10-31' },
      { from: '2026-09-30', to: '2026-09-30' },
    ]);
    for (const bad of ['2026-00-10', '2026-11-00', '2026-11-31', '0000-00-00']) {
      assert.equal(parseDate(bad), undefined, bad);
    }
    assert.equal(parseDate('2024-02-29'), Date.UTC(2024, 1, 29));
  });
});

describe('Zoom units: Retry-After, backoff and sleep', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);

  it('reads the three HTTP-date forms and zoned ISO dates exactly', () => {
    const at = Date.UTC(2026, 10, 26, 12, 0, 30);
    assert.equal(parseHttpOrIsoDate('Thu, 26 Nov 2026 12:00:30 GMT', now), at);
    assert.equal(parseHttpOrIsoDate('Thursday, 26-Nov-26 12:00:30 GMT', now), at);
    assert.equal(parseHttpOrIsoDate('Thu Nov 26 12:00:30 2026', now), at);
    assert.equal(parseHttpOrIsoDate('Thu Nov  6 12:00:30 2026', now), Date.UTC(2026, 10, 6, 12, 0, 30));
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    months.forEach((mon, i) => {
      assert.equal(parseHttpOrIsoDate(`Mon, 05 ${mon} 2026 01:02:03 GMT`, now), Date.UTC(2026, i, 5, 1, 2, 3), mon);
    });
    // RFC 850 two-digit years: more than 50 years ahead means the past century.
    assert.equal(parseHttpOrIsoDate('Sunday, 06-Nov-94 08:49:37 GMT', now), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpOrIsoDate('Monday, 06-Nov-76 08:49:37 GMT', now), Date.UTC(2076, 10, 6, 8, 49, 37));
    assert.equal(parseHttpOrIsoDate('Tuesday, 06-Nov-77 08:49:37 GMT', now), Date.UTC(1977, 10, 6, 8, 49, 37));
    assert.equal(parseHttpOrIsoDate('2026-11-26T12:00:30Z', now), at);
    assert.equal(parseHttpOrIsoDate('2026-11-26t12:00:30z', now), at, 'case-insensitive T and Z');
    assert.equal(parseHttpOrIsoDate('2026-11-26T13:30:30+01:30', now), at);
    assert.equal(parseHttpOrIsoDate('2026-11-26T10:00:30-0200', now), at);
    assert.equal(parseHttpOrIsoDate('2026-11-26T12:00Z', now), Date.UTC(2026, 10, 26, 12, 0, 0));
    assert.equal(parseHttpOrIsoDate('2026-11-26T12:00:30.250Z', now), at + 250);
    assert.equal(parseHttpOrIsoDate('2026-11-26T13:30:30.250+01:30', now), at + 250, 'a fraction with an offset');
    assert.equal(parseHttpOrIsoDate('2026-11-26T12:00:60Z', now), Date.UTC(2026, 10, 26, 12, 0, 59), 'leap second');
    for (const bad of [
      '2026-11-26T12:00:30+24:00',
      '2026-11-26T12:00:30+01:60',
      '2026-11-26T12:00:30',
      '2026-02-30T12:00:00Z',
      '2026-13-01T12:00:00Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26T12:60:00Z',
      '2026-11-26T12:00:61Z',
      '2026-00-26T12:00:00Z',
      '2026-11-00T12:00:00Z',
      '2026-11-32T12:00:00Z',
      'Thu, 31 Feb 2026 12:00:30 GMT',
      'Thu, 26 Nov 2026 12:00:30 UTC',
      'Thu, 26 Foo 2026 12:00:30 GMT',
      'Thu 26 Nov 2026 12:00:30 GMT',
      'x2026-11-26T12:00:30Z',
      '2026-11-26T12:00:30Z, 5',
    ]) {
      assert.equal(parseHttpOrIsoDate(bad, now), undefined, bad);
    }
  });

  it('the longest timer Node keeps is 2^31 - 1 ms', () => {
    assert.equal(MAX_TIMER_MS, 2_147_483_647);
  });

  it('Retry-After: the first of a list counts, dates keep their comma, odd values fall back', () => {
    assert.equal(parseRetryAfter('5, 10', now, 60_000), 5000);
    assert.equal(parseRetryAfter(' 7 ', now, 60_000), 7000);
    assert.equal(parseRetryAfter('Thu, 26 Nov 2026 12:00:30 GMT, 5', now, 60_000), 30_000);
    assert.equal(parseRetryAfter('Thursday, 26-Nov-26 12:00:30 GMT', now, 60_000), 30_000);
    for (const odd of ['+5', '5s', '1e3', '-1', '', '   ', '5'.repeat(201), 5, null]) {
      assert.equal(parseRetryAfter(odd, now, 60_000), undefined, String(odd));
    }
    assert.equal(parseRetryAfter('9'.repeat(200), now, 60_000), 60_000, 'an endless number of seconds is the cap');
    assert.equal(parseRetryAfter('10', now, -5), 0, 'a negative cap is 0');
    assert.equal(parseRetryAfter('10', now, NaN), 0);
    assert.equal(parseRetryAfter('9999999', now, 2 ** 40), MAX_TIMER_MS, 'never more than a legal timer');
    assert.equal(parseRetryAfter('2026-11-26T12:00:00.0001Z', now, 60_000), 0);
    assert.equal(retryAfterAt('30', now), now + 30_000);
    assert.equal(retryAfterAt('soon', now), undefined);
    assert.equal(retryAfterAt(undefined, now), undefined);
  });

  it('backoff: full jitter of base * 2^attempt under the cap', () => {
    assert.equal(
      backoffDelay(0, 100, 10_000, () => 0.5),
      50,
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 0.5),
      400,
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(10, 100, 10_000, () => 1),
      10_000,
      'capped',
    );
    assert.equal(
      backoffDelay(-3, 100, 10_000, () => 1),
      100,
      'negative attempts count as the first',
    );
    assert.equal(
      backoffDelay(2000, 1, 2 ** 40, () => 1),
      MAX_TIMER_MS,
      'huge exponents stay a legal timer',
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 7),
      800,
      'random above 1 is 1',
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => -7),
      0,
      'random below 0 is 0',
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => NaN),
      0,
    );
    assert.equal(
      backoffDelay(3, 100, -1, () => 1),
      0,
      'a negative cap is 0',
    );
  });

  it('sleep waits, and rejects at once when aborted before or during the wait', async () => {
    const t0 = Date.now();
    await sleep(30, undefined, cancelled);
    assert.ok(Date.now() - t0 >= 25, 'waited');
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(sleep(10_000, pre.signal, cancelled), (e: ZoomError) => e.kind === 'cancelled');
    const ac = new AbortController();
    const t1 = Date.now();
    const p = sleep(10_000, ac.signal, cancelled);
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(p, (e: ZoomError) => e.kind === 'cancelled' && e.message === 'Cancelled.');
    assert.ok(Date.now() - t1 < 2000, 'did not wait the full time');
    const done = new AbortController();
    await sleep(1, done.signal, cancelled);
    done.abort(); // after the sleep ended: no late rejection, nothing to observe but no crash
    await realClock.sleep(1);
    assert.ok(Math.abs(realClock.now() - Date.now()) < 50);
  });
});

describe('Zoom units: rate limiter', () => {
  function fakeClock(): Clock & { t: number; sleeps: number[] } {
    const c = {
      t: 1_000_000,
      sleeps: [] as number[],
      now: () => c.t,
      sleep: (ms: number) => {
        c.sleeps.push(ms);
        c.t += ms;
        return Promise.resolve();
      },
    };
    return c;
  }

  it('rate is clamped to a whole number of at least 1; acquire reports the wait', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(2.7, clock);
    assert.equal(limiter.rate, 2);
    for (const bad of [0, -5, NaN, Infinity, 0.5]) {
      limiter.setRate(bad);
      assert.equal(limiter.rate, 1, String(bad));
    }
    limiter.setRate(3);
    assert.equal(limiter.rate, 3);
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await limiter.acquire());
    // From idle one (half of 3, rounded down) starts at once; then a pace apart (346.67 ms: the schedule keeps the
    // fraction, each sleep rounds up to a whole ms); the 4th waits for the window.
    const pace = limiter.windowMs / 3;
    const second = Math.ceil(pace);
    const third = Math.ceil(2 * pace);
    assert.deepEqual(
      waits,
      [0, second, third - second, limiter.windowMs - third],
      'the 4th waits until one window after the 1st',
    );
    assert.deepEqual(waits, [0, 347, 347, 346]);
    assert.deepEqual(clock.sleeps, [second, third - second, limiter.windowMs - third]);
    // A start exactly one window ago no longer counts.
    clock.t += limiter.windowMs;
    assert.equal(await limiter.acquire(), 0);
  });
});

describe('Zoom units: categories, errors and log lines', () => {
  it('categories: separators, labels and unknown strings', () => {
    assert.equal(categoryKey('zoom-rooms'), 'zoom_rooms');
    assert.equal(categoryKey('Sub  Account'), 'sub_account');
    assert.equal(categoryKey(' User Group '), 'other:user group');
    assert.equal(categoryKey(' User Group '), 'other:user group', 'same answer from the cache');
    assert.equal(isKnownCategory('user'), true);
    assert.equal(isKnownCategory('User'), false);
    assert.equal(isKnownCategory('other:user'), false);
    assert.deepEqual(
      CATEGORIES.map((c) => CATEGORY_LABELS[c]),
      [
        'User',
        'User Settings',
        'Account',
        'Billing',
        'IM',
        'Recording',
        'Phone Contacts',
        'Webinar',
        'Sub Account',
        'Role',
        'Zoom Rooms',
      ],
    );
    assert.equal(categoryLabel('im', 'ignored hint'), 'IM');
    assert.equal(categoryLabel('other:user group'), 'user group');
    assert.equal(categoryLabel('other:user group', '  '), 'user group', 'a blank hint is no hint');
    assert.equal(categoryLabel('other:user group', ' User Group '), 'User Group');
    assert.equal(categoryLabel('mystery'), 'mystery');
    assert.equal(categoryLabel(''), '(no category)');
  });

  it('errors: every detail kept; anything thrown becomes a ZoomError without URLs', () => {
    const cause = new Error('inner');
    const e = new ZoomError('server', 'Zoom failed.', {
      status: 503,
      code: 7,
      zoomMessage: 'busy',
      retryAt: 5,
      attempts: 3,
      missingScope: true,
      retryable: true,
      cause,
    });
    assert.deepEqual(
      [e.name, e.kind, e.message, e.status, e.code, e.zoomMessage, e.retryAt, e.attempts, e.missingScope, e.retryable],
      ['ZoomError', 'server', 'Zoom failed.', 503, 7, 'busy', 5, 3, true, true],
    );
    assert.equal(e.cause, cause);
    assert.equal('cause' in new ZoomError('server', 'x'), false, 'no cause property without a cause');
    assert.equal(toZoomError(e), e);
    const wrapped = toZoomError(new TypeError('fetch https://api.zoom.us/v2/report?next_page_token=SECRET failed'));
    assert.equal(wrapped.kind, 'badResponse');
    assert.equal(wrapped.message, 'Unexpected error: fetch api.zoom.us failed');
    assert.equal(toZoomError('plain https://x.example/a?b=c').message, 'Unexpected error: plain x.example');
    assert.equal(stripUrls('see file:///etc/passwd and HTTP://Example.COM/x'), 'see (an address) and example.com');
    assert.equal(stripUrls('see http://[::1/ then'), 'see (an address) then');
    assert.equal(stripUrls('no address here: a://'), 'no address here: a://');
    const c = cancelled();
    assert.equal(c.kind, 'cancelled');
    assert.equal(c.message, 'Cancelled.');
  });

  it('log lines: credentials redacted, page tokens shortened, status and attempt shown', () => {
    const q = redactQuery(
      new URLSearchParams({
        from: '2026-11-01',
        account_id: 'acct',
        access_token: 'tok',
        client_secret: 'sec',
        client_id: 'cid',
        next_page_token: 'abcdefghijk',
      }),
    );
    assert.deepEqual(q, {
      from: '2026-11-01',
      account_id: '***',
      access_token: '***',
      client_secret: '***',
      client_id: '***',
      next_page_token: 'abcdef…',
    });
    assert.deepEqual(redactQuery(new URLSearchParams({ next_page_token: '12345678' })), {
      next_page_token: '12345678',
    });
    const line = formatSummary({
      method: 'GET',
      path: '/v2/report/operationlogs',
      query: { from: '2026-11-01', to: '2026-11-02' },
      status: 200,
      ms: 12,
      attempt: 1,
      outcome: 'ok',
    });
    assert.equal(line, 'GET /v2/report/operationlogs?from=2026-11-01&to=2026-11-02 → 200 in 12 ms (attempt 1) ok');
    assert.equal(
      formatSummary({
        method: 'POST',
        path: '/oauth/token',
        query: {},
        status: 0,
        ms: 5,
        attempt: 2,
        outcome: 'network',
      }),
      'POST /oauth/token → no response in 5 ms (attempt 2) network',
    );
    assert.equal(silentLogger.request({} as never), undefined);
    assert.equal(silentLogger.info('x'), undefined);
    assert.equal(silentLogger.warn('x'), undefined);
  });
});

describe('Zoom units: the retry loop', () => {
  const clock = (): Clock & { sleeps: number[] } => {
    const c = { sleeps: [] as number[], now: () => 0, sleep: (ms: number) => (c.sleeps.push(ms), Promise.resolve()) };
    return c;
  };

  it('tries a whole number of times, at least once; the last error keeps every detail and says how many tries', async () => {
    for (const [maxAttempts, tries] of [
      [0, 1],
      [0.5, 1],
      [2.9, 2],
      [3, 3],
    ] as const) {
      let n = 0;
      const waits: string[] = [];
      const c = clock();
      const first = new ZoomError('server', 'Zoom failed.', {
        status: 503,
        code: 9,
        zoomMessage: 'busy',
        retryAt: 77,
        missingScope: false,
      });
      const err: ZoomError = await withRetries<never>(
        { maxAttempts, backoffBaseMs: 100, backoffCapMs: 1000, random: () => 0.5, clock: c },
        (k) => {
          n++;
          return Promise.resolve(k === 2 ? { retry: first, delayMs: 7, reason: 'Retry-After' } : { retry: first });
        },
        (k, delay, e, reason) => waits.push(`${k}:${delay}:${e.kind}:${reason ?? '-'}`),
      ).catch((e: unknown) => e as ZoomError);
      assert.equal(n, tries, `maxAttempts ${maxAttempts}`);
      assert.equal(err.message, `Zoom failed. Gave up after ${tries} attempt${tries === 1 ? '' : 's'}.`);
      assert.deepEqual(
        [err.kind, err.status, err.code, err.zoomMessage, err.attempts, err.retryAt, err.missingScope, err.cause],
        ['server', 503, 9, 'busy', tries, 77, false, first],
      );
      assert.deepEqual(waits, ['1:50:server:-', '2:7:server:Retry-After'].slice(0, tries - 1));
      assert.deepEqual(c.sleeps, [50, 7].slice(0, tries - 1));
    }
  });

  it('returns the first success; a thrown error is final', async () => {
    const c = clock();
    let n = 0;
    const policy = { maxAttempts: 5, backoffBaseMs: 100, backoffCapMs: 1000, random: () => 1, clock: c };
    const v = await withRetries(
      policy,
      (k) => Promise.resolve(k < 3 ? { retry: cancelled() } : { ok: k }),
      () => n++,
    );
    assert.equal(v, 3);
    assert.equal(n, 2);
    assert.deepEqual(c.sleeps, [100, 200]);
    await assert.rejects(
      withRetries(
        policy,
        () => Promise.reject(new Error('final')),
        () => n++,
      ),
      /^Error: final$/,
    );
    assert.equal(n, 2);
  });
});
