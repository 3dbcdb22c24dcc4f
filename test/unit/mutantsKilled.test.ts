/**
 * Behaviours that mutation testing found unguarded (a mutant of the code survived every test): each test
 * here fails on the mutant it names. Zoom's side is a small `node:http` server on 127.0.0.1 that answers
 * from a script, so the hostile answers (a daily limit named only in the message, 4711 on a 403, a 401
 * that never goes away) are exact.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerToServerTokenSource, StaticTokenSource } from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';
import { addDays, monthWindows, todayUtc } from '../../src/zoom/dates';
import { silentLogger } from '../../src/zoom/logger';
import { realClock } from '../../src/zoom/rateLimiter';
import { backoffDelay, MAX_TIMER_MS, parseRetryAfter } from '../../src/zoom/retry';
import { withRetries } from '../../src/zoom/retrying';
import { CATEGORIES, type KnownCategory, type RawOperationLog } from '../../src/zoom/types';
import { LogSession } from '../../src/model/session';
import { FakeClock, rejectsZoom } from './support/helpers';

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Loopback {
  origin: string;
  /** Report requests (path, query and the bearer token) in arrival order. */
  reports: { query: URLSearchParams; bearer: string }[];
  tokenRequests: number;
  close(): Promise<void>;
}

/**
 * A loopback Zoom: `report(query, n)` answers the n-th report request (from 0); `/oauth/token` issues
 * `token-1`, `token-2`, ... (an S2S token response without api_url).
 */
async function loopback(report: (query: URLSearchParams, n: number, bearer: string) => Answer): Promise<Loopback> {
  const state: Loopback = { origin: '', reports: [], tokenRequests: 0, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (a: Answer): void => {
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body));
    };
    req.resume();
    req.on('end', () => {
      if (url.pathname === '/oauth/token') {
        state.tokenRequests++;
        return send({
          status: 200,
          body: { access_token: `token-${state.tokenRequests}`, token_type: 'bearer', expires_in: 3600, scope: 'x' },
        });
      }
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      const n = state.reports.length;
      state.reports.push({ query: url.searchParams, bearer });
      send(report(url.searchParams, n, bearer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return state;
}

const EMPTY_PAGE: Answer = { status: 200, body: { page_size: 300, next_page_token: '', operation_logs: [] } };
const DAILY_MESSAGE =
  'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.';
const QPS_MESSAGE = 'You have reached the maximum per-second rate limit for this API. Try again later.';
const SCOPE_MESSAGE = 'Invalid access token, does not contain scopes:[report:read:admin]';
const HOUR = 3_600_000;

function s2s(srv: Loopback): ServerToServerTokenSource {
  return new ServerToServerTokenSource({
    accountId: 'acct-Zq81',
    clientId: 'client-Zq81',
    clientSecret: 'secret-Zq81-never-shown',
    oauthBaseUrl: srv.origin,
    retry: { maxAttempts: 2, backoffBaseMs: 1, backoffCapMs: 5, random: Math.random, clock: realClock },
    logger: silentLogger,
  });
}

function clientFor(srv: Loopback, extra: Partial<ConstructorParameters<typeof ZoomClient>[0]> = {}): ZoomClient {
  return new ZoomClient({
    apiBaseUrl: `${srv.origin}/v2`,
    tokens: new StaticTokenSource('static-token-Zq81'),
    requestsPerSecond: 1000,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    maxAttempts: 5,
    ...extra,
  });
}

const PAGE = { from: '2026-11-01', to: '2026-11-02', categoryType: 'all' as const, pageSize: 300 };

describe('Mutation survivors, now tested', function () {
  this.timeout(10_000);
  let srv: Loopback | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  describe('Retry-After and backoff with an infinite cap', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);

    it('parseRetryAfter: a cap of Infinity means no cap below the longest timer (it was read as 0)', () => {
      assert.equal(parseRetryAfter('5', now, Infinity), 5000);
      assert.equal(parseRetryAfter(new Date(now + 2 * HOUR).toUTCString(), now, Infinity), 2 * HOUR);
      assert.equal(parseRetryAfter('99999999', now, Infinity), MAX_TIMER_MS, 'still a legal timer');
      assert.equal(parseRetryAfter('5', now, NaN), 0, 'an unusable cap stays 0');
      assert.equal(parseRetryAfter('5', now, -Infinity), 0);
      assert.equal(parseRetryAfter('5', now, -1), 0);
    });

    it('backoffDelay: a cap of Infinity leaves base * 2^attempt (it was read as 0)', () => {
      assert.equal(
        backoffDelay(3, 100, Infinity, () => 0.5),
        400,
      );
      assert.equal(
        backoffDelay(0, 100, Infinity, () => 0.999),
        99,
      );
      assert.equal(
        backoffDelay(60, 100, Infinity, () => 1),
        MAX_TIMER_MS,
        'capped at the longest timer',
      );
      assert.equal(
        backoffDelay(3, 100, NaN, () => 0.5),
        0,
      );
      assert.equal(
        backoffDelay(3, 100, -Infinity, () => 0.5),
        0,
      );
    });

    it('withRetries with backoffCapMs Infinity waits the backoff, not 0 ms', async () => {
      const clock = new FakeClock(0);
      let calls = 0;
      const got = await withRetries(
        { maxAttempts: 3, backoffBaseMs: 100, backoffCapMs: Infinity, random: () => 0.5, clock },
        () => Promise.resolve(++calls < 3 ? { retry: new Error('x') as never } : { ok: calls }),
        () => undefined,
      );
      assert.equal(got, 3);
      assert.deepEqual(clock.sleeps, [50, 100]);
    });
  });

  describe('daily limit: the client gives up at once instead of waiting for the reset', () => {
    it('named only in the message (no X-RateLimit-Type), Retry-After hours ahead: kind dailyLimit, 1 request, no wait', async () => {
      const at = Math.ceil((Date.now() + 5 * HOUR) / 1000) * 1000;
      srv = await loopback(() => ({
        status: 429,
        body: { code: 429, message: DAILY_MESSAGE },
        headers: { 'Retry-After': new Date(at).toUTCString() },
      }));
      const t = Date.now();
      const err = await rejectsZoom(
        clientFor(srv, { maxRetryAfterMs: 10 * HOUR, giveUpRetryAfterMs: 10 * HOUR }).fetchPage(PAGE),
      );
      assert.ok(Date.now() - t < 2000, `gave up after ${Date.now() - t} ms`);
      assert.equal(err.kind, 'dailyLimit');
      assert.equal(err.retryAt, at, 'the reset time is the Retry-After date');
      assert.equal(srv.reports.length, 1, 'not retried');
      assert.match(err.message, /daily request limit/);
      assert.match(err.message, /in [45] h/, err.message);
    });

    it('named only in X-RateLimit-Type (a message without "daily"), no Retry-After: kind dailyLimit, retryAt next UTC midnight', async () => {
      srv = await loopback(() => ({
        status: 429,
        body: { code: 429, message: 'Too many requests.' },
        headers: { 'X-RateLimit-Type': 'Daily-limit' },
      }));
      const clock = new FakeClock(Date.UTC(2026, 10, 26, 21, 30, 0));
      const err = await rejectsZoom(clientFor(srv, { clock }).fetchPage(PAGE));
      assert.equal(err.kind, 'dailyLimit');
      assert.equal(err.retryAt, Date.UTC(2026, 10, 27));
      assert.equal(srv.reports.length, 1);
      assert.deepEqual(clock.sleeps, [], 'no wait at all');
    });

    it('a per-second 429 with Retry-After past giveUpRetryAfterMs stops at once with the time to try again', async () => {
      srv = await loopback(() => ({
        status: 429,
        body: { code: 429, message: QPS_MESSAGE },
        headers: { 'Retry-After': '7200' },
      }));
      const clock = new FakeClock(Date.UTC(2026, 10, 26, 12, 0, 0));
      const err = await rejectsZoom(clientFor(srv, { clock }).fetchPage(PAGE));
      assert.equal(err.kind, 'rateLimit');
      assert.equal(err.retryAt, clock.t + 2 * HOUR);
      assert.equal(srv.reports.length, 1);
      assert.deepEqual(clock.sleeps, []);
      assert.match(err.message, /in 2 h/, err.message);
    });

    it('a per-second 429 with Retry-After exactly at giveUpRetryAfterMs is waited for and retried', async () => {
      srv = await loopback((_q, n) =>
        n === 0
          ? { status: 429, body: { code: 429, message: QPS_MESSAGE }, headers: { 'Retry-After': '60' } }
          : EMPTY_PAGE,
      );
      const clock = new FakeClock(Date.UTC(2026, 10, 26, 12, 0, 0));
      const page = await clientFor(srv, { clock, giveUpRetryAfterMs: 60_000 }).fetchPage(PAGE);
      assert.deepEqual(page.entries, []);
      assert.equal(srv.reports.length, 2);
      assert.ok(clock.sleeps.includes(60_000), `slept ${clock.sleeps.join(', ')}`);
    });
  });

  describe('missing scope (code 4711) on an HTTP 403', () => {
    it('a 403 with code 4711 and a message that does not name the scope: missing scope, not "no permission"; not retried', async () => {
      srv = await loopback(() => ({ status: 403, body: { code: 4711, message: 'Forbidden.' } }));
      const err = await rejectsZoom(clientFor(srv).fetchPage(PAGE));
      assert.equal(err.missingScope, true);
      assert.equal(err.code, 4711);
      assert.equal(err.status, 403);
      assert.match(err.message, /report:read:admin/);
      assert.doesNotMatch(err.message, /no permission/);
      assert.equal(srv.reports.length, 1);
    });

    it('S2S: a 403 4711 drops the cached token, so the next page gets a new one', async () => {
      srv = await loopback((_q, n) =>
        n === 0 ? { status: 403, body: { code: 4711, message: SCOPE_MESSAGE } } : EMPTY_PAGE,
      );
      const client = clientFor(srv, { tokens: s2s(srv) });
      const err = await rejectsZoom(client.fetchPage(PAGE));
      assert.equal(err.missingScope, true);
      assert.equal(srv.tokenRequests, 1, 'no re-authentication for a missing scope');
      await client.fetchPage(PAGE);
      assert.equal(srv.tokenRequests, 2);
      assert.deepEqual(
        srv.reports.map((r) => r.bearer),
        ['token-1', 'token-2'],
      );
    });

    it('a 403 without 4711 is the permission error', async () => {
      srv = await loopback(() => ({ status: 403, body: { code: 200, message: 'No permission.' } }));
      const err = await rejectsZoom(clientFor(srv).fetchPage(PAGE));
      assert.equal(err.kind, 'permission');
      assert.notEqual(err.missingScope, true);
    });
  });

  describe('Server-to-Server OAuth: exactly one re-authentication per page after a 401', () => {
    const UNAUTHORIZED: Answer = { status: 401, body: { code: 124, message: 'Invalid access token.' } };

    it('a 401 every time: one new token, one replay, then kind auth (2 report requests, 2 token requests)', async () => {
      srv = await loopback(() => UNAUTHORIZED);
      const err = await rejectsZoom(clientFor(srv, { tokens: s2s(srv) }).fetchPage(PAGE));
      assert.equal(err.kind, 'auth');
      assert.equal(srv.reports.length, 2);
      assert.equal(srv.tokenRequests, 2);
      assert.deepEqual(
        srv.reports.map((r) => r.bearer),
        ['token-1', 'token-2'],
        'the replay carries the new token',
      );
      assert.ok(!err.message.includes('secret-Zq81-never-shown') && !err.message.includes('token-2'));
    });

    it('401, replay answers 500, the retry answers 401 again: final, no second re-authentication', async () => {
      const script = [UNAUTHORIZED, { status: 500, body: { code: 500, message: 'Internal error.' } }, UNAUTHORIZED];
      srv = await loopback((_q, n) => script[n] ?? EMPTY_PAGE);
      const err = await rejectsZoom(clientFor(srv, { tokens: s2s(srv) }).fetchPage(PAGE));
      assert.equal(err.kind, 'auth');
      assert.equal(srv.reports.length, 3);
      assert.equal(srv.tokenRequests, 2, 'the first token and one re-authentication');
    });

    it('401 then OK: the page arrives with one re-authentication', async () => {
      srv = await loopback((_q, n) => (n === 0 ? UNAUTHORIZED : EMPTY_PAGE));
      const page = await clientFor(srv, { tokens: s2s(srv) }).fetchPage(PAGE);
      assert.deepEqual(page.entries, []);
      assert.equal(srv.reports.length, 2);
      assert.equal(srv.tokenRequests, 2);
    });

    it('reauthenticate: false: a 401 is final at once (1 report request, 1 token request)', async () => {
      srv = await loopback(() => UNAUTHORIZED);
      const err = await rejectsZoom(clientFor(srv, { tokens: s2s(srv), reauthenticate: false }).fetchPage(PAGE));
      assert.equal(err.kind, 'auth');
      assert.equal(srv.reports.length, 1);
      assert.equal(srv.tokenRequests, 1);
    });
  });

  describe('LogSession.refusedBefore combines the categories: the latest first-answered day wins', () => {
    // Three calendar-month windows ending this month; each category is refused for windows starting before
    // its own day, as Zoom refuses days outside its horizon.
    const today = todayUtc(Date.now());
    const monthStart = `${today.slice(0, 8)}01`;
    const prevMonth = `${addDays(monthStart, -1).slice(0, 8)}01`;
    const from = addDays(`${addDays(prevMonth, -1).slice(0, 8)}01`, 14);
    const to = today;
    const windows = monthWindows(from, to); // newest first
    const entry = (category_type: string): RawOperationLog => ({
      time: `${today}T01:00:00Z`,
      operator: 'admin@example.com',
      category_type,
      action: 'Update',
      operation_detail: 'x',
    });

    async function refusingServer(refuseBefore: Record<string, string>): Promise<Loopback> {
      return loopback((q) => {
        const refuse = refuseBefore[q.get('category_type') ?? ''];
        if (refuse && (q.get('from') ?? '') < refuse) {
          return { status: 300, body: { code: 300, message: 'Only provide report in recent 6 months' } };
        }
        const cat = q.get('category_type') === 'all' ? 'Channels' : 'User';
        return {
          status: 200,
          body: {
            page_size: 300,
            next_page_token: '',
            operation_logs: (q.get('to') ?? '') >= today ? [entry(cat)] : [],
          },
        };
      });
    }

    function session(srv: Loopback, categories: readonly KnownCategory[]): LogSession {
      const client = clientFor(srv);
      return new LogSession(
        { from, to, categories },
        { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(client) },
      );
    }

    it('the three windows this test relies on', () => {
      assert.equal(windows.length, 3);
    });

    const orders: KnownCategory[][] = [
      ['role', 'user'],
      ['user', 'role'],
    ];
    for (const order of orders) {
      it(`loading ${order.join(' then ')}: the later refused day wins whatever the order`, async () => {
        // user refused for the oldest window only; role for the two oldest.
        srv = await refusingServer({ user: windows[1].from, role: windows[0].from });
        const s = session(srv, ['user', 'role']);
        assert.equal(s.refusedBefore(), undefined);
        await s.logs.get(order[0])?.loadAll();
        assert.equal(s.refusedBefore(), order[0] === 'user' ? windows[1].from : windows[0].from);
        await s.logs.get(order[1])?.loadAll();
        assert.equal(s.refusedBefore(), windows[0].from, 'role answered only from this month');
      });
    }

    it('the feed of categories outside the eleven counts too', async () => {
      // Every named category refused only for the oldest window; the `all` feed (others) for the two oldest.
      const refuse: Record<string, string> = { all: windows[0].from };
      for (const c of CATEGORIES) refuse[c] = windows[1].from;
      srv = await refusingServer(refuse);
      const s = session(srv, CATEGORIES);
      await s.logs.get('user')?.loadAll();
      assert.equal(s.refusedBefore(), windows[1].from);
      await s.others?.loadAll();
      assert.equal(s.refusedBefore(), windows[0].from, 'the others feed was refused up to this month');
    });
  });
});
