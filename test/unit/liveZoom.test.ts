/**
 * The Zoom client as the real Zoom answers: scope and permission errors, optional
 * fields, the 400 horizon answer, OAuth as Zoom speaks it, the replay after a 401,
 * strict Retry-After, long Retry-After, short-lived tokens, and no URL (page token,
 * account ID) in any message or log line. Every server here is a purpose-built
 * loopback server on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerToServerTokenSource, StaticTokenSource } from '../../src/zoom/auth';
import { formatResetTime, ZoomClient, type ZoomClientOptions } from '../../src/zoom/client';
import { stripUrls, ZoomError } from '../../src/zoom/errors';
import { formatSummary } from '../../src/zoom/logger';
import { realClock } from '../../src/zoom/rateLimiter';
import { parseRetryAfter } from '../../src/zoom/retry';
import type { PageRequest } from '../../src/zoom/types';
import { apiBaseOverride, ZoomService } from '../../src/services/zoomService';
import type { Settings } from '../../src/config/settings';
import { FakeClock, RecordingLogger, rejectsZoom, withTz } from './support/helpers';

interface Hit {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (hit: Hit, res: http.ServerResponse, req: http.IncomingMessage) => void;

interface Loopback {
  origin: string;
  hits: Hit[];
  count(path: string): number;
  close(): Promise<void>;
}

const servers: Loopback[] = [];

/** A loopback server whose answers a test scripts with one handler. */
async function loopback(handler: Handler): Promise<Loopback> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const hit: Hit = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      hits.push(hit);
      handler(hit, res, req);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lb: Loopback = {
    origin,
    hits,
    count: (path) => hits.filter((h) => h.path === path).length,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  servers.push(lb);
  return lb;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const REPORT = '/v2/report/operationlogs';
const TOKEN = '/oauth/token';
const req = (over: Partial<PageRequest> = {}): PageRequest => ({
  from: '2026-11-01',
  to: '2026-11-20',
  categoryType: 'all',
  pageSize: 300,
  ...over,
});
const okPage = { page_size: 300, next_page_token: '', operation_logs: [] };

function client(lb: Loopback, extra: Partial<ZoomClientOptions> = {}): ZoomClient {
  return new ZoomClient({
    apiBaseUrl: `${lb.origin}/v2`,
    tokens: new StaticTokenSource('static-token'),
    requestsPerSecond: 1000,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    maxAttempts: 5,
    ...extra,
  });
}

function s2s(
  lb: Loopback,
  over: { accountId?: string; clientSecret?: string; logger?: RecordingLogger } = {},
): ServerToServerTokenSource {
  return new ServerToServerTokenSource({
    accountId: over.accountId ?? 'acct-1',
    clientId: 'client-1',
    clientSecret: over.clientSecret ?? 'secret-1',
    oauthBaseUrl: lb.origin,
    retry: { maxAttempts: 3, backoffBaseMs: 1, backoffCapMs: 5, random: Math.random, clock: realClock },
    logger: over.logger ?? new RecordingLogger(),
  });
}

/** Every line a logger received, as the output channel would show it. */
function logLines(l: RecordingLogger): string[] {
  return [...l.summaries.map(formatSummary), ...l.infos, ...l.warnings];
}

describe('Live Zoom: the client as the real Zoom answers', function () {
  this.timeout(15_000);
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe('(1) missing scope and missing permission', () => {
    for (const [status, code] of [
      [400, 4711],
      [401, 4700],
    ] as const) {
      it(`HTTP ${status} code ${code} "does not contain scopes": kind auth + missingScope, names the scope and the Scopes page, one request`, async () => {
        const lb = await loopback((_h, res) =>
          json(res, status, {
            code,
            message: 'Invalid access token, does not contain scopes:[report:read:admin].',
          }),
        );
        const err = await rejectsZoom(client(lb).fetchPage(req()));
        assert.equal(err.kind, 'auth', 'messageAction offers "Set a new token" / "Sign in again" for auth');
        assert.equal(err.missingScope, true);
        assert.match(err.message, /report:read:admin/);
        assert.match(err.message, /report:read:operation_logs:admin/);
        assert.match(err.message, /Scopes page in the Zoom App Marketplace/);
        assert.equal(lb.count(REPORT), 1, 'not retried');
      });
    }

    it('S2S: a 400 4711 drops the cached token, so the next request (after the scope is added) gets a new one', async () => {
      let tokens = 0;
      const lb = await loopback((h, res) => {
        if (h.path === TOKEN) return json(res, 200, { access_token: `t${++tokens}`, expires_in: 3600 });
        if (h.headers.authorization === 'Bearer t1') {
          return json(res, 400, {
            code: 4711,
            message: 'Invalid access token, does not contain scopes:[report:read:admin]',
          });
        }
        json(res, 200, okPage);
      });
      const c = client(lb, { tokens: s2s(lb) });
      const err = await rejectsZoom(c.fetchPage(req()));
      assert.equal(err.missingScope, true);
      assert.match(err.message, /sign in again/);
      await c.fetchPage(req());
      assert.equal(tokens, 2);
    });

    it('400 code 200 "No permission.": kind permission, names the Pro plan and the Admin Activity Logs role permission', async () => {
      const lb = await loopback((_h, res) => json(res, 400, { code: 200, message: 'No permission.' }));
      const err = await rejectsZoom(client(lb).fetchPage(req()));
      assert.equal(err.kind, 'permission');
      assert.match(err.message, /Pro or higher plan/);
      assert.match(err.message, /view Admin Activity Logs/);
      assert.equal(lb.count(REPORT), 1);
    });

    it('sign-in check (ZoomService.checkCredentials): a token without the scope fails with the same message, one token request', async () => {
      const lb = await loopback((h, res) => {
        if (h.path === TOKEN) return json(res, 200, { access_token: 'tok', expires_in: 3600 });
        json(res, 400, { code: 4711, message: 'Invalid access token, does not contain scopes:[report:read:admin]' });
      });
      const service = testService(lb);
      const err = await rejectsZoom(
        service.checkCredentials({ kind: 's2s', accountId: 'a', clientId: 'c', clientSecret: 's' }),
      );
      assert.equal(err.missingScope, true);
      assert.match(err.message, /report:read:operation_logs:admin/);
      assert.equal(lb.count(TOKEN), 1);
      assert.equal(lb.count(REPORT), 1);
      assert.equal(lb.hits.find((h) => h.path === REPORT)?.query.get('page_size'), '1', 'one entry is enough');
    });

    it('sign-in check: no plan/permission gives the permission message', async () => {
      const lb = await loopback((h, res) => {
        if (h.path === TOKEN) return json(res, 200, { access_token: 'tok', expires_in: 3600 });
        json(res, 400, { code: 200, message: 'Must have a Pro or a higher plan.' });
      });
      const err = await rejectsZoom(
        testService(lb).checkCredentials({ kind: 's2s', accountId: 'a', clientId: 'c', clientSecret: 's' }),
      );
      assert.equal(err.kind, 'permission');
      assert.match(err.message, /Pro or higher plan/);
    });
  });

  describe('(2) optional and odd fields', () => {
    it('a JSON object without operation_logs (and without a token) is an empty last page', async () => {
      const lb = await loopback((_h, res) => json(res, 200, { page_size: 300 }));
      const page = await client(lb).fetchPage(req());
      assert.deepEqual(page, { entries: [], nextPageToken: '' });
      assert.equal(lb.count(REPORT), 1);
    });

    it('without operation_logs but with a next_page_token: an empty page that goes on', async () => {
      const lb = await loopback((_h, res) => json(res, 200, { next_page_token: 'next-1' }));
      const page = await client(lb).fetchPage(req());
      assert.deepEqual(page, { entries: [], nextPageToken: 'next-1' });
    });

    it('odd entries are kept as text, non-objects skipped, one warning per page', async () => {
      const body = {
        next_page_token: '',
        operation_logs: [
          { time: 1700000000, operator: null, category_type: { a: 1 }, action: true, operation_detail: [1, 2] },
          {},
          5,
          null,
          'text',
          {
            time: '2026-11-20T10:00:00Z',
            operator: 'a@example.com',
            category_type: 'User',
            action: 'Add',
            operation_detail: 'Add User b@example.com',
          },
          { time: '2026-11-19T08:00:00Z', operator: 'a@example.com', category_type: 'User', action: 'Update' },
        ],
      };
      const lb = await loopback((_h, res) => json(res, 200, body));
      const logger = new RecordingLogger();
      const page = await client(lb, { logger }).fetchPage(req());
      assert.equal(page.entries.length, 4, 'every object kept');
      const [odd, empty, normal, noDetail] = page.entries;
      assert.equal(odd.time, '1700000000');
      assert.equal(odd.operator, '');
      assert.equal(odd.categoryType, '{"a":1}');
      assert.equal(odd.action, 'true');
      assert.equal(odd.operationDetail, '[1,2]');
      assert.deepEqual(
        [empty.time, empty.operator, empty.categoryType, empty.action, empty.operationDetail],
        ['', '', '', '', ''],
      );
      assert.equal(normal.operationDetail, 'Add User b@example.com');
      assert.equal(noDetail.operationDetail, '');
      const warnings = logger.warnings.filter((w) => /odd fields/.test(w));
      assert.equal(warnings.length, 1, 'one warning for the page');
      assert.match(warnings[0], /3 entries had missing or odd fields/);
      assert.match(warnings[0], /3 items were not an entry/);
      assert.equal(lb.count(REPORT), 1);
    });

    it('a time without a zone is UTC (whatever the local zone), raw text kept', async () => {
      const lb = await loopback((_h, res) =>
        json(res, 200, {
          operation_logs: [
            { time: '2026-11-20T10:00:00', operator: 'o', category_type: 'User', action: 'Add', operation_detail: 'd' },
          ],
        }),
      );
      await withTz('America/New_York', async () => {
        const page = await client(lb).fetchPage(req());
        assert.equal(page.entries[0].time, '2026-11-20T10:00:00');
        assert.equal(page.entries[0].timeMs, Date.UTC(2026, 10, 20, 10, 0, 0));
      });
    });
  });

  describe('(3) the six-month horizon as a 400', () => {
    for (const message of ['Only provide report in recent 6 months', "The date range is out of the report's range."]) {
      it(`400 code 300 "${message}": kind horizon, one request`, async () => {
        const lb = await loopback((_h, res) => json(res, 400, { code: 300, message }));
        const err = await rejectsZoom(client(lb).fetchPage(req()));
        assert.equal(err.kind, 'horizon');
        assert.match(err.message, /6 months/);
        assert.equal(lb.count(REPORT), 1);
      });
    }

    it('other 400 code 300 answers are not the horizon', async () => {
      const lb = await loopback((_h, res) =>
        json(res, 400, { code: 300, message: 'Invalid field: page_size is out of range.' }),
      );
      const err = await rejectsZoom(client(lb).fetchPage(req()));
      assert.equal(err.kind, 'badRequest');
      assert.equal(lb.count(REPORT), 1);
    });

    it('the page-token 400 code 300 stays kind pageToken', async () => {
      const lb = await loopback((_h, res) =>
        json(res, 400, { code: 300, message: 'The next page token is invalid or expired.' }),
      );
      const err = await rejectsZoom(client(lb).fetchPage(req({ nextPageToken: 'tok' })));
      assert.equal(err.kind, 'pageToken');
    });
  });

  describe('(4) OAuth as Zoom answers', () => {
    it('POSTs a form body grant_type=account_credentials&account_id=..., and keeps the query string', async () => {
      const lb = await loopback((_h, res) => json(res, 200, { access_token: 'tok', expires_in: 3600 }));
      await s2s(lb, { accountId: 'acct 1&x' }).get();
      const [hit] = lb.hits;
      assert.equal(hit.method, 'POST');
      assert.equal(hit.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(hit.body, 'grant_type=account_credentials&account_id=acct+1%26x');
      assert.equal(hit.query.get('grant_type'), 'account_credentials');
      assert.equal(hit.query.get('account_id'), 'acct 1&x');
      assert.match(hit.headers.authorization ?? '', /^Basic /);
    });

    const cases: [string, number, unknown, RegExp][] = [
      [
        'invalid_client',
        401,
        { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
        /client ID or the client secret/,
      ],
      [
        'invalid_request + account',
        400,
        { reason: 'Invalid request : Invalid account_id.', error: 'invalid_request' },
        /account ID/,
      ],
      ['reason Invalid account_id', 400, { reason: 'Invalid account_id' }, /account ID/],
      [
        'unsupported_grant_type',
        400,
        { reason: 'unsupported grant type', error: 'unsupported_grant_type' },
        /not a Server-to-Server OAuth app/,
      ],
      ['code 4717', 400, { code: 4717, message: 'The app has been disabled.' }, /deactivated.*Activation page/],
      [
        'reason deactivated',
        400,
        { reason: 'This app has been deactivated', error: 'invalid_request' },
        /deactivated.*Activation page/,
      ],
    ];
    for (const [name, status, body, want] of cases) {
      it(`${name} -> kind oauth naming what to fix, not retried`, async () => {
        const lb = await loopback((_h, res) => json(res, status, body));
        const err = await rejectsZoom(s2s(lb, { clientSecret: 'CANARY-secret-77' }).get());
        assert.equal(err.kind, 'oauth');
        assert.match(err.message, want);
        assert.ok(!err.message.includes('CANARY'));
        assert.equal(lb.count(TOKEN), 1);
      });
    }

    it('api_url: https on zoom.us is used; http, loopback or other hosts are ignored and logged without the token', async () => {
      let apiUrl = 'https://eu01api.zoom.us';
      const lb = await loopback((_h, res) =>
        json(res, 200, { access_token: 'SECRET-TOKEN-123', expires_in: 3600, api_url: apiUrl }),
      );
      assert.equal((await s2s(lb).get()).apiBaseUrl, 'https://eu01api.zoom.us/v2');
      apiUrl = 'https://api.zoomgov.com';
      assert.equal((await s2s(lb).get()).apiBaseUrl, 'https://api.zoomgov.com/v2');
      for (const bad of ['http://api.zoom.us', lb.origin, 'https://evil.example.com', 'https://zoom.us.evil.net']) {
        apiUrl = bad;
        const logger = new RecordingLogger();
        assert.equal((await s2s(lb, { logger }).get()).apiBaseUrl, undefined, bad);
        assert.equal(logger.warnings.filter((w) => /api_url/.test(w)).length, 1, bad);
        assert.ok(!logLines(logger).some((l) => l.includes('SECRET-TOKEN-123')));
      }
    });

    it('ZoomService: at the default API base URL the token api_url decides; a changed setting wins', async () => {
      assert.equal(apiBaseOverride('https://api.zoom.us/v2'), undefined);
      assert.equal(apiBaseOverride('https://api.zoom.us/v2/'), undefined);
      assert.equal(apiBaseOverride('https://api.zoomgov.com/v2'), 'https://api.zoomgov.com/v2');
      const creds = { kind: 's2s', accountId: 'a', clientId: 'c', clientSecret: 's' } as const;
      const regional = { token: 't', apiBaseUrl: 'https://eu01api.zoom.us/v2' };
      const atDefault = new ZoomService(fakeStore(), settings('https://api.zoom.us/v2', 'https://zoom.us'), fakeLog());
      assert.equal(atDefault.clientFor(creds).baseUrlFor(regional).href, 'https://eu01api.zoom.us/v2');
      assert.equal(atDefault.clientFor(creds).baseUrlFor({ token: 't' }).href, 'https://api.zoom.us/v2');

      // A changed setting (here loopback) wins over api_url: requests really go there.
      const lb = await loopback((h, res) => {
        if (h.path === TOKEN) {
          return json(res, 200, { access_token: 'tok', expires_in: 3600, api_url: 'https://eu01api.zoom.us' });
        }
        json(res, 200, okPage);
      });
      const custom = new ZoomService(fakeStore(), settings(`${lb.origin}/v2`, lb.origin), fakeLog());
      const c = custom.clientFor(creds);
      assert.equal(c.baseUrlFor(regional).href, `${lb.origin}/v2`);
      await c.fetchPage(req());
      assert.equal(lb.count(REPORT), 1);
    });
  });

  describe('(9) the replay after a 401 follows the retry rules', () => {
    it('401 -> new token -> connection reset -> retried -> page (one re-authentication)', async () => {
      let tokens = 0;
      let reports = 0;
      const lb = await loopback((h, res, r) => {
        if (h.path === TOKEN) return json(res, 200, { access_token: `t${++tokens}`, expires_in: 3600 });
        reports++;
        if (reports === 1) return json(res, 401, { code: 124, message: 'Access token is expired.' });
        if (reports === 2) return r.socket.destroy();
        json(res, 200, okPage);
      });
      const page = await client(lb, { tokens: s2s(lb) }).fetchPage(req());
      assert.deepEqual(page.entries, []);
      assert.equal(tokens, 2, 'the first token and one fresh one');
      assert.equal(reports, 3);
    });

    it('401 -> new token -> reset -> 401 again: final auth, still one re-authentication', async () => {
      let tokens = 0;
      let reports = 0;
      const lb = await loopback((h, res, r) => {
        if (h.path === TOKEN) return json(res, 200, { access_token: `t${++tokens}`, expires_in: 3600 });
        reports++;
        if (reports === 2) return r.socket.destroy();
        json(res, 401, { code: 124, message: 'Invalid access token.' });
      });
      const err = await rejectsZoom(client(lb, { tokens: s2s(lb) }).fetchPage(req()));
      assert.equal(err.kind, 'auth');
      assert.equal(tokens, 2);
      assert.equal(reports, 3);
    });
  });

  describe('(10) Retry-After is read strictly', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    it('only delta-seconds and strict dates; the first of a list', () => {
      for (const v of [
        '+5',
        '5s',
        '1e3',
        '-1',
        '1.5',
        '5 s',
        'soon',
        '2026-11-26T12:00:05',
        '11/26/2026',
        'Nov 26 2026',
      ]) {
        assert.equal(parseRetryAfter(v, now, 60_000), undefined, v);
      }
      assert.equal(parseRetryAfter('5, 10', now, 60_000), 5000);
      assert.equal(parseRetryAfter(' 7 ', now, 60_000), 7000);
      assert.equal(parseRetryAfter('Thu, 26 Nov 2026 12:00:09 GMT', now, 60_000), 9000, 'IMF-fixdate');
      assert.equal(parseRetryAfter('Thu, 26 Nov 2026 12:00:09 GMT, 5', now, 60_000), 9000, 'first of a list');
      assert.equal(parseRetryAfter('Thursday, 26-Nov-26 12:00:04 GMT', now, 60_000), 4000, 'RFC 850');
      assert.equal(parseRetryAfter('Thu Nov 26 12:00:03 2026', now, 60_000), 3000, 'asctime');
      assert.equal(parseRetryAfter('Thu Nov  6 12:00:03 2026', now, 60_000), 0, 'asctime, one-digit day, past');
      assert.equal(parseRetryAfter('2026-11-26T12:00:06Z', now, 60_000), 6000);
      assert.equal(parseRetryAfter('2026-11-26T13:00:08+01:00', now, 60_000), 8000);
      assert.equal(parseRetryAfter('Thu, 31 Feb 2026 12:00:09 GMT', now, 60_000), undefined, 'no such day');
    });

    it('two Retry-After header lines (5 and 10) wait 5 s, not "a date in 2001"', async () => {
      let n = 0;
      const lb = await loopback((_h, res) => {
        if (++n === 1) {
          res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': ['5', '10'] });
          res.end(JSON.stringify({ code: 429, message: 'You have reached the maximum per-second rate limit' }));
          return;
        }
        json(res, 200, okPage);
      });
      const clock = new FakeClock();
      await client(lb, { clock }).fetchPage(req());
      assert.ok(clock.sleeps.includes(5000), `slept ${clock.sleeps.join(', ')}`);
    });

    it('"+5" is no date either: backoff instead', async () => {
      let n = 0;
      const lb = await loopback((_h, res) => {
        if (++n === 1) return json(res, 429, { code: 429, message: 'rate' }, { 'Retry-After': '+5' });
        json(res, 200, okPage);
      });
      const clock = new FakeClock();
      const logger = new RecordingLogger();
      await client(lb, { clock, logger, backoffBaseMs: 1000, backoffCapMs: 1000, random: () => 0.5 }).fetchPage(req());
      assert.ok(clock.sleeps.includes(500), `backoff: ${clock.sleeps.join(', ')}`);
      assert.ok(logger.warnings.some((w) => /Request failed \(rateLimit\)/.test(w)));
    });
  });

  describe('(11) a Retry-After beyond the 60 s cap stops at once', () => {
    for (const [name, header] of [
      ['120 seconds', (_now: number) => '120'],
      ['an HTTP date two hours ahead', (now: number) => new Date(now + 2 * 3600_000).toUTCString()],
    ] as const) {
      it(`${name}: one request, kind rateLimit with retryAt and the time in the message`, async () => {
        const clock = new FakeClock(Date.UTC(2026, 10, 26, 12, 0, 0));
        const lb = await loopback((_h, res) =>
          json(res, 429, { code: 429, message: 'Too many requests' }, { 'Retry-After': header(clock.now()) }),
        );
        const err = await rejectsZoom(client(lb, { clock }).fetchPage(req()));
        assert.equal(err.kind, 'rateLimit');
        assert.equal(lb.count(REPORT), 1, 'no retries');
        assert.ok(err.retryAt && err.retryAt > clock.now() + 60_000);
        assert.ok(err.message.includes(formatResetTime(err.retryAt)), err.message);
        assert.match(err.message, /Try again then/);
      });
    }

    it('a Retry-After of 30 s is still waited and retried', async () => {
      let n = 0;
      const lb = await loopback((_h, res) => {
        if (++n === 1) return json(res, 429, { code: 429, message: 'rate' }, { 'Retry-After': '30' });
        json(res, 200, okPage);
      });
      const clock = new FakeClock();
      await client(lb, { clock }).fetchPage(req());
      assert.ok(clock.sleeps.includes(30_000));
      assert.equal(lb.count(REPORT), 2);
    });
  });

  describe('(12) short-lived S2S tokens', () => {
    it('expires_in 30: 20 API calls within 10 s cost one token request', async () => {
      const lb = await loopback((h, res) => {
        if (h.path === TOKEN) return json(res, 200, { access_token: `tok-${h.path}`, expires_in: 30 });
        json(res, 200, okPage);
      });
      const c = client(lb, { tokens: s2s(lb) });
      const started = Date.now();
      for (let i = 0; i < 20 && Date.now() - started < 10_000; i++) await c.fetchPage(req());
      assert.ok(Date.now() - started < 10_000, 'within 10 s');
      assert.equal(lb.count(REPORT), 20);
      assert.equal(lb.count(TOKEN), 1);
    });

    it('the token is refreshed after half its lifetime (fake clock)', async () => {
      let tokens = 0;
      const lb = await loopback((_h, res) => json(res, 200, { access_token: `t${++tokens}`, expires_in: 30 }));
      const clock = new FakeClock();
      const src = new ServerToServerTokenSource({
        accountId: 'a',
        clientId: 'c',
        clientSecret: 's',
        oauthBaseUrl: lb.origin,
        retry: { maxAttempts: 1, backoffBaseMs: 1, backoffCapMs: 1, random: Math.random, clock: realClock },
        logger: new RecordingLogger(),
        clock,
      });
      await src.get();
      clock.t += 14_000;
      await src.get();
      assert.equal(tokens, 1);
      clock.t += 2_000;
      await src.get();
      assert.equal(tokens, 2);
    });
  });

  describe('(13) no URL, page token or account ID in any message or log line; redirects are final', () => {
    const CANARY_PAGE = 'CANARY-page-token-4a7f1e0c9b';
    const CANARY_ACCOUNT = 'CANARY-account-id-93be21';
    const CANARY_SECRET = 'CANARY-client-secret-5d0a';
    const CANARY_TOKEN = 'CANARY-access-token-c41f';
    const canaries = [CANARY_PAGE, CANARY_ACCOUNT, CANARY_SECRET, CANARY_TOKEN];
    const assertClean = (what: string, texts: string[]): void => {
      for (const t of texts) for (const c of canaries) assert.ok(!t.includes(c), `${what}: "${t}" contains ${c}`);
    };

    for (const status of [301, 302, 307, 308]) {
      it(`API ${status} redirect: kind config naming the host only, one request, no canary anywhere`, async () => {
        const lb = await loopback((h, res) => {
          if (h.path === TOKEN) return json(res, 200, { access_token: CANARY_TOKEN, expires_in: 3600 });
          res.writeHead(status, { Location: `https://login.example.net/sso?next_page_token=${CANARY_PAGE}` });
          res.end();
        });
        const logger = new RecordingLogger();
        const src = s2s(lb, { accountId: CANARY_ACCOUNT, clientSecret: CANARY_SECRET, logger });
        const err = await rejectsZoom(
          client(lb, { tokens: src, logger }).fetchPage(req({ nextPageToken: CANARY_PAGE })),
        );
        assert.equal(err.kind, 'config');
        assert.match(err.message, /redirect to another address \(login\.example\.net\)/);
        assert.match(err.message, /API base URL setting/);
        assert.doesNotMatch(err.message, /could not reach/i);
        assert.equal(lb.count(REPORT), 1, 'not retried, not followed');
        assertClean('message', [err.message, String((err.cause as Error | undefined)?.message ?? '')]);
        assertClean('log', logLines(logger));
      });
    }

    it('OAuth redirect: kind config naming the OAuth setting, no account ID or secret anywhere', async () => {
      const lb = await loopback((_h, res) => {
        res.writeHead(302, { Location: '/elsewhere' });
        res.end();
      });
      const logger = new RecordingLogger();
      const err = await rejectsZoom(s2s(lb, { accountId: CANARY_ACCOUNT, clientSecret: CANARY_SECRET, logger }).get());
      assert.equal(err.kind, 'config');
      assert.match(err.message, /OAuth base URL setting/);
      assert.equal(lb.count(TOKEN), 1);
      assertClean('message', [err.message]);
      assertClean('log', logLines(logger));
    });

    it('HTTP 300 (the report horizon) is not a redirect', async () => {
      const lb = await loopback((_h, res) => {
        res.writeHead(300, { 'Content-Type': 'text/plain' });
        res.end();
      });
      const err = await rejectsZoom(client(lb).fetchPage(req()));
      assert.equal(err.kind, 'horizon');
    });

    it('network failures and timeouts name the host only', async () => {
      const logger = new RecordingLogger();
      // A port that was just closed: connection refused.
      const closed = await loopback(() => undefined);
      await closed.close();
      const refused = await rejectsZoom(
        client(closed, { maxAttempts: 2, logger }).fetchPage(req({ nextPageToken: CANARY_PAGE })),
      );
      assert.equal(refused.kind, 'network');
      // A server that never answers: timeout.
      const silent = await loopback(() => undefined);
      const timedOut = await rejectsZoom(
        client(silent, { maxAttempts: 1, timeoutMs: 200, logger }).fetchPage(req({ nextPageToken: CANARY_PAGE })),
      );
      assert.equal(timedOut.kind, 'timeout');
      // A server that answers garbage HTTP: a parser error.
      const garbage = await loopback((_h, _res, r) => {
        r.socket.end('NOT-HTTP\r\n\r\n');
      });
      const broken = await rejectsZoom(
        client(garbage, { maxAttempts: 1, logger }).fetchPage(req({ nextPageToken: CANARY_PAGE })),
      );
      for (const e of [refused, timedOut, broken]) {
        assertClean('message', [e.message, String((e.cause as Error | undefined)?.message ?? '')]);
        assert.doesNotMatch(e.message, /\/v2\/report|next_page_token|https?:\/\//);
      }
      assertClean('log', logLines(logger));
    });

    it('stripUrls keeps the host of any URL in a text and drops path and query', () => {
      assert.equal(
        stripUrls(`request to http://127.0.0.1:9/v2/report/operationlogs?next_page_token=${CANARY_PAGE} failed`),
        'request to 127.0.0.1:9 failed',
      );
      assert.equal(
        stripUrls(`uri requested responds with a redirect: https://zoom.us/oauth/token?account_id=${CANARY_ACCOUNT}`),
        'uri requested responds with a redirect: zoom.us',
      );
      assert.ok(new ZoomError('network', 'x') instanceof Error);
    });
  });
});

function settings(apiBaseUrl: string, oauthBaseUrl: string): Settings {
  const s: Settings = {
    apiBaseUrl,
    oauthBaseUrl,
    pageSize: 300,
    timeZone: 'UTC',
    defaultRange: 'last7Days',
    maxRequestsPerSecond: 1000,
    requestTimeoutSeconds: 5,
    csvFormulaGuard: true,
    rules: [],
    trustedOperators: [],
    exportParsedColumns: false,
    maxExportInEditorMB: 64,
    archiveFolder: '',
    autoSync: 0,
  };
  return s;
}

function fakeStore(): ConstructorParameters<typeof ZoomService>[0] {
  return { get: () => Promise.resolve(undefined) } as unknown as ConstructorParameters<typeof ZoomService>[0];
}

function fakeLog(): ConstructorParameters<typeof ZoomService>[2] {
  const noop = (): void => undefined;
  return { info: noop, warn: noop, error: noop, debug: noop, trace: noop } as unknown as ConstructorParameters<
    typeof ZoomService
  >[2];
}

function testService(lb: Loopback): ZoomService {
  return new ZoomService(fakeStore(), settings(`${lb.origin}/v2`, lb.origin), fakeLog());
}
