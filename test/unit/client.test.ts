/**
 * Issue "Foundation": ZoomClient + paging against the simulator. Every figure the
 * tests depend on (request counts, statuses, error kinds) is read from the
 * simulator's own request log, not from the client's counters.
 */
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../simulator/index';
import { ServerToServerTokenSource, StaticTokenSource } from '../../src/zoom/auth';
import { formatResetTime, ZoomClient } from '../../src/zoom/client';
import { checkRange, horizonStart, monthWindows, todayUtc, addDays } from '../../src/zoom/dates';
import { silentLogger } from '../../src/zoom/logger';
import { QueryCursor, iterateEntries } from '../../src/zoom/paging';
import { realClock, type Clock } from '../../src/zoom/rateLimiter';
import type { OperationLogEntry } from '../../src/zoom/types';
import {
  assertSameMultiset,
  staticClient,
  FakeClock,
  RecordingLogger,
  rejectsZoom,
  reportRequests,
  scriptedRandom,
  simClock,
  tokenRequests,
  REPORT_PATH,
} from './support/helpers';

const MIN = 60_000;

function s2sSource(
  sim: Simulator,
  over: { clientId?: string; clientSecret?: string; clock?: Clock } = {},
): ServerToServerTokenSource {
  return new ServerToServerTokenSource({
    ...sim.s2s,
    ...(over.clientId ? { clientId: over.clientId } : {}),
    ...(over.clientSecret ? { clientSecret: over.clientSecret } : {}),
    oauthBaseUrl: sim.oauthBaseUrl,
    retry: { maxAttempts: 3, backoffBaseMs: 1, backoffCapMs: 10, random: Math.random, clock: realClock },
    logger: silentLogger,
    clock: over.clock,
  });
}

async function drain(it: AsyncIterable<OperationLogEntry>): Promise<OperationLogEntry[]> {
  const out: OperationLogEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

function today(sim: Simulator): string {
  return todayUtc(sim.clock.now());
}

describe('Foundation: ZoomClient and paging against the simulator', function () {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  describe('six-month query returns every entry exactly once', () => {
    for (const pageSize of [300, 37]) {
      it(`3,500 entries, category all, page size ${pageSize}`, async () => {
        sim = await startSimulator({ seed: 11, entries: 3500, rps: 0 });
        const to = today(sim);
        const from = horizonStart(to);
        assert.equal(checkRange(from, to, to), undefined, 'the six-month range is valid');
        const client = staticClient(sim);
        const got = await drain(iterateEntries(client, { from, to, categoryType: 'all', pageSize }));
        const expected = sim.expected({ from, to, category: 'all' });
        assert.equal(expected.length, 3500, 'every seeded entry lies in the six-month range');
        assertSameMultiset(got, expected, 'vs sim.expected');
        assertSameMultiset(got, sim.data, 'vs sim.data');
        const windows = monthWindows(from, to).length;
        assert.ok(reportRequests(sim) >= Math.ceil(3500 / pageSize), 'at least one request per page');
        assert.equal(reportRequests(sim), reportRequests(sim, 200), 'no failed requests');
        assert.ok(windows >= 6);
      });
    }
  });

  it('page tokens expiring (clock +16 min after the 2nd page of a window) restart that window; entries still exactly once', async () => {
    sim = await startSimulator({ seed: 12, entries: 3500, rps: 0 });
    const to = today(sim);
    const from = horizonStart(to);
    const client = staticClient(sim);
    const cursor = new QueryCursor(client, { from, to, categoryType: 'all', pageSize: 50 });
    const first = cursor.windows[0];
    const got: OperationLogEntry[] = [];
    got.push(...(await cursor.nextPage()));
    got.push(...(await cursor.nextPage()));
    assert.equal(cursor.currentWindow, first, 'still inside the first window after two pages');
    assert.equal(reportRequests(sim), 2);
    sim.clock.advance(16 * MIN);
    while (!cursor.done) got.push(...(await cursor.nextPage()));

    assertSameMultiset(got, sim.expected({ from, to }), 'after a restart');
    const r = sim.requests.filter((x) => x.path === REPORT_PATH);
    assert.equal(r[2].status, 400, 'the third request (expired token) got 400');
    assert.ok(r[2].query.next_page_token, 'the 400 was for a page-token request');
    assert.equal(r[3].status, 200);
    assert.equal(r[3].query.next_page_token, undefined, 'the window restarted from its first page');
    assert.equal(r[3].query.from, first.from);
    assert.equal(r[3].query.to, first.to);
    assert.equal(sim.count({ path: REPORT_PATH, status: 400 }), 1, 'exactly one expired-token answer');
  });

  describe('429 handling', () => {
    it('Retry-After: 0 is honoured and the request retried', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      const clock = new FakeClock();
      const client = staticClient(sim, { clock, random: () => 0.9, backoffBaseMs: 1000, backoffCapMs: 10_000 });
      sim.script({ kind: '429', retryAfter: '0' });
      const page = await client.fetchPage({
        from: addDays(today(sim), -3),
        to: today(sim),
        categoryType: 'all',
        pageSize: 300,
      });
      assert.ok(Array.isArray(page.entries));
      assert.equal(reportRequests(sim, 429), 1);
      assert.equal(reportRequests(sim), 2);
      assert.deepEqual(clock.sleeps, [0], 'waited Retry-After (0), not backoff (would be 900 ms)');
    });

    it('Retry-After as an HTTP-date is honoured', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      const clock = new FakeClock(Date.now());
      const client = staticClient(sim, { clock, maxRetryAfterMs: 60_000, random: () => 0, backoffBaseMs: 1000 });
      // HTTP-dates have whole seconds: the wait is between 29 and 30 s of (fake) time.
      sim.script({ kind: '429', retryAfter: new Date(clock.now() + 30_000).toUTCString() });
      await client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 });
      assert.equal(reportRequests(sim), 2);
      assert.equal(clock.sleeps.length, 1);
      assert.ok(clock.sleeps[0] > 29_000 - 1 && clock.sleeps[0] <= 30_000, `slept ${clock.sleeps[0]} ms`);
    });

    it('429 without Retry-After uses backoff with full jitter', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      const clock = new FakeClock();
      const client = staticClient(sim, {
        clock,
        random: scriptedRandom([0.5, 0.25]),
        backoffBaseMs: 100,
        backoffCapMs: 10_000,
      });
      sim.script({ kind: '429' }, { kind: '429' });
      await client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 });
      assert.equal(reportRequests(sim), 3);
      assert.deepEqual(clock.sleeps, [50, 50], '0.5 * 100 * 2^0, then 0.25 * 100 * 2^1');
    });

    it('after maxAttempts 429s the error is kind rateLimit', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      sim.script(...Array.from({ length: 5 }, () => ({ kind: '429' as const, retryAfter: '0' })));
      const err = await rejectsZoom(
        staticClient(sim).fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'rateLimit');
      assert.equal(err.attempts, 5);
      assert.equal(reportRequests(sim), 5);
      assert.match(err.message, /rate limit/i);
    });
  });

  it('daily limit: the 4th request stops at once with kind dailyLimit, retryAt = next UTC midnight, message with the reset time', async () => {
    sim = await startSimulator({ entries: 50, rps: 0, dailyLimit: 3 });
    const client = staticClient(sim);
    const req = { from: today(sim), to: today(sim), categoryType: 'all' as const, pageSize: 300 };
    for (let i = 0; i < 3; i++) await client.fetchPage(req);
    assert.equal(reportRequests(sim), 3);
    const err = await rejectsZoom(client.fetchPage(req));
    assert.equal(reportRequests(sim), 4, 'exactly one request for the 4th page: no retries');
    assert.equal(err.kind, 'dailyLimit');
    const now = new Date(sim.clock.now());
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    assert.equal(err.retryAt, midnight);
    assert.ok(err.message.includes(formatResetTime(midnight)), err.message);
    assert.match(err.message, /UTC/);
  });

  describe('401 with a static token', () => {
    for (const which of ['revoked', 'wrong'] as const) {
      it(`${which} token: one request, kind auth, asks for a new token, never shows the token`, async () => {
        sim = await startSimulator({ entries: 50, rps: 0 });
        const token = which === 'revoked' ? sim.token : 'wrong-token-Xq93kLmP0';
        if (which === 'revoked') sim.revokeToken(token);
        const client = new ZoomClient({
          apiBaseUrl: sim.apiBaseUrl,
          tokens: new StaticTokenSource(token),
          requestsPerSecond: 1000,
          backoffBaseMs: 2,
          maxAttempts: 5,
        });
        const err = await rejectsZoom(
          client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 }),
        );
        assert.equal(err.kind, 'auth');
        assert.equal(reportRequests(sim), 1);
        assert.equal(tokenRequests(sim), 0);
        assert.match(err.message, /Set a new token/);
        assert.ok(!err.message.includes(token), 'token not in message');
      });
    }
  });

  describe('Server-to-Server OAuth', () => {
    it('five concurrent get() callers share one token request', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      const src = s2sSource(sim);
      const before = sim.issuedTokens();
      const got = await Promise.all(Array.from({ length: 5 }, () => src.get()));
      assert.equal(sim.issuedTokens() - before, 1);
      assert.equal(new Set(got.map((t) => t.token)).size, 1);
      assert.equal(tokenRequests(sim), 1);
    });

    it('a new token is requested once the cached one reaches its TTL (sim clock)', async () => {
      sim = await startSimulator({ entries: 50, rps: 0, tokenTtlSeconds: 120 });
      const src = s2sSource(sim, { clock: simClock(sim) });
      const a = await src.get();
      await src.get();
      assert.equal(sim.issuedTokens(), 1, 'reused while fresh');
      sim.clock.advance(120_000);
      const b = await src.get();
      assert.equal(sim.issuedTokens(), 2);
      assert.notEqual(a.token, b.token);
    });

    it('an expired access token: exactly one token request and one replay (2 report requests)', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      const src = s2sSource(sim);
      const client = new ZoomClient({
        apiBaseUrl: sim.apiBaseUrl,
        tokens: src,
        requestsPerSecond: 1000,
        backoffBaseMs: 2,
        maxAttempts: 5,
      });
      await src.get();
      sim.resetLog();
      sim.expireAccessTokens();
      const page = await client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 });
      assert.ok(page.entries.length >= 0);
      assert.equal(tokenRequests(sim), 1);
      assert.equal(reportRequests(sim), 2);
      assert.equal(reportRequests(sim, 401), 1);
      assert.equal(reportRequests(sim, 200), 1);
    });

    it('wrong client secret: kind oauth, names the client secret, never contains it', async () => {
      sim = await startSimulator({ entries: 50, rps: 0, oauthErrorStyle: 'numeric' });
      const secret = 'WrongSecret-9zQ4pL7vX2';
      const err = await rejectsZoom(s2sSource(sim, { clientSecret: secret }).get());
      assert.equal(err.kind, 'oauth');
      assert.equal(err.code, 4704);
      assert.match(err.message, /client secret/);
      assert.ok(!err.message.includes(secret) && !err.message.includes(sim.s2s.clientSecret));
      assert.equal(tokenRequests(sim), 1, 'not retried');
    });

    it('unknown client ID (4702): kind oauth, names the client ID, never contains the secret', async () => {
      sim = await startSimulator({ entries: 50, rps: 0, oauthErrorStyle: 'numeric' });
      const err = await rejectsZoom(s2sSource(sim, { clientId: 'NoSuchClient' }).get());
      assert.equal(err.kind, 'oauth');
      assert.equal(err.code, 4702);
      assert.match(err.message, /client ID/);
      assert.ok(!err.message.includes(sim.s2s.clientSecret));
      assert.equal(tokenRequests(sim), 1);
    });
  });

  describe('bad 5xx pages and cut-off bodies', () => {
    it('an HTML 502 page every time: kind server, mentions HTML, exactly maxAttempts requests', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      sim.script(...Array.from({ length: 5 }, () => ({ kind: 'html' as const })));
      const err = await rejectsZoom(
        staticClient(sim).fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'server');
      assert.match(err.message, /HTML/);
      assert.equal(err.status, 502);
      assert.equal(reportRequests(sim), 5);
    });

    it('truncated JSON every time: kind badResponse, says cut off, exactly maxAttempts requests', async () => {
      sim = await startSimulator({ entries: 500, rps: 0 });
      sim.script(...Array.from({ length: 5 }, () => ({ kind: 'truncated' as const })));
      const err = await rejectsZoom(
        staticClient(sim).fetchPage({
          from: addDays(today(sim), -20),
          to: today(sim),
          categoryType: 'all',
          pageSize: 300,
        }),
      );
      assert.equal(err.kind, 'badResponse');
      assert.match(err.message, /cut off/);
      assert.equal(reportRequests(sim), 5);
    });

    for (const kind of ['html', 'truncated', '500', '503'] as const) {
      it(`one transient '${kind}' then OK succeeds`, async () => {
        sim = await startSimulator({ entries: 500, rps: 0 });
        sim.script({ kind });
        const from = addDays(today(sim), -20);
        const page = await staticClient(sim).fetchPage({ from, to: today(sim), categoryType: 'all', pageSize: 300 });
        assert.equal(page.entries.length, Math.min(300, sim.expected({ from, to: today(sim) }).length));
        assert.equal(reportRequests(sim), 2);
      });
    }
  });

  describe('six-month horizon', () => {
    it('a range older than six months is refused before any request', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      const t = today(sim);
      const from = addDays(horizonStart(t), -1);
      const problem = checkRange(from, t, t);
      assert.ok(problem, 'checkRange refuses it');
      assert.match(problem, /6 months/);
      assert.ok(problem.includes(horizonStart(t)), 'names the earliest date');
      // The extension's path (commands/fetch.ts chooseQuery): validate, and only a valid range reaches a cursor.
      const client = staticClient(sim);
      const start = async (): Promise<void> => {
        const msg = checkRange(from, t, t);
        if (msg) throw new Error(msg);
        await new QueryCursor(client, { from, to: t, categoryType: 'all', pageSize: 300 }).nextPage();
      };
      await assert.rejects(start(), /6 months/);
      assert.equal(sim.requests.length, 0, 'no request reached the simulator');
      assert.equal(client.requests, 0);
    });

    it("the simulator's HTTP 300 maps to kind horizon if sent anyway, without retries", async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      const t = today(sim);
      const from = addDays(horizonStart(t), -1);
      const err = await rejectsZoom(
        staticClient(sim).fetchPage({ from, to: addDays(from, 5), categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'horizon');
      assert.equal(err.status, 300);
      assert.match(err.message, /6 months/);
      assert.equal(reportRequests(sim), 1);
    });
  });

  describe('connection failures are retried', () => {
    it('a connection reset is retried', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      sim.script({ kind: 'reset' }, { kind: 'reset' });
      const logger = new RecordingLogger();
      await staticClient(sim, { logger }).fetchPage({
        from: today(sim),
        to: today(sim),
        categoryType: 'all',
        pageSize: 300,
      });
      assert.equal(reportRequests(sim), 3);
      assert.equal(reportRequests(sim, 0), 2, 'two resets logged with status 0');
      assert.deepEqual(
        logger.summaries.map((s) => s.status),
        [0, 0, 200],
      );
    });

    it('a timeout (latency fault longer than timeoutMs) is retried', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      sim.script({ kind: 'latency', latencyMs: 400 });
      const logger = new RecordingLogger();
      const started = Date.now();
      await staticClient(sim, { logger, timeoutMs: 100 }).fetchPage({
        from: today(sim),
        to: today(sim),
        categoryType: 'all',
        pageSize: 300,
      });
      assert.equal(reportRequests(sim), 2);
      assert.equal(logger.summaries[0].outcome, 'will retry');
      assert.equal(logger.summaries[0].status, 0);
      assert.ok(Date.now() - started < 2000);
    });

    it('timeouts every time end in kind timeout after maxAttempts', async () => {
      sim = await startSimulator({ entries: 50, rps: 0 });
      sim.script(...Array.from({ length: 3 }, () => ({ kind: 'latency' as const, latencyMs: 300 })));
      const err = await rejectsZoom(
        staticClient(sim, { timeoutMs: 50, maxAttempts: 3 }).fetchPage({
          from: today(sim),
          to: today(sim),
          categoryType: 'all',
          pageSize: 300,
        }),
      );
      assert.equal(err.kind, 'timeout');
      assert.equal(err.attempts, 3);
      assert.equal(reportRequests(sim), 3);
    });
  });
});
