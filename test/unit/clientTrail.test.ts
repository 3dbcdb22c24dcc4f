/**
 * What the client says, word for word: the request log lines and warnings of a page that needed
 * retries, the message of each final answer, the page size it asks for, and where it sends the
 * request. A purpose-built loopback server answers a script, one answer per request.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticTokenSource, type TokenSource } from '../../src/zoom/auth';
import {
  formatDuration,
  formatResetTime,
  missingScopeError,
  parsePage,
  readRateLimitHeaders,
  timeMsOf,
  ZoomClient,
  type ZoomClientOptions,
} from '../../src/zoom/client';
import { checkBaseUrl, isLoopback } from '../../src/zoom/http';
import type { RawResponse } from '../../src/zoom/http';
import type { PageRequest } from '../../src/zoom/types';
import { FakeClock, RecordingLogger, rejectsZoom, withTz } from './support/helpers';

interface Answer {
  status: number;
  body: unknown;
  headers?: http.OutgoingHttpHeaders;
}

interface Scripted {
  origin: string;
  queries: URLSearchParams[];
  close(): Promise<void>;
}

/** Answers each request with the next scripted answer (the last one repeats). */
async function scripted(answers: Answer[]): Promise<Scripted> {
  const queries: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    queries.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
    const a = answers[Math.min(queries.length - 1, answers.length - 1)];
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const req: PageRequest = { from: '2026-11-01', to: '2026-11-20', categoryType: 'all', pageSize: 300 };
const good = {
  time: '2026-11-20T10:00:00Z',
  operator: 'a@b.c',
  category_type: 'User',
  action: 'Add',
  operation_detail: 'd',
};

describe('Client trail: log lines, messages and requests, word for word', function () {
  this.timeout(10_000);
  let srv: Scripted | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  function client(s: Scripted, extra: Partial<ZoomClientOptions> = {}): ZoomClient {
    return new ZoomClient({
      apiBaseUrl: `${s.origin}/v2`,
      tokens: new StaticTokenSource('static-token'),
      requestsPerSecond: 1000,
      backoffBaseMs: 100,
      backoffCapMs: 10_000,
      random: () => 0.5,
      maxAttempts: 5,
      ...extra,
    });
  }

  it('a 500, a 429 with Retry-After, then a page with odd items: each try logged, each wait explained', async () => {
    srv = await scripted([
      { status: 500, body: { code: 500, message: 'busy' } },
      { status: 429, body: { code: 429, message: 'Too many requests' }, headers: { 'Retry-After': '2' } },
      {
        status: 200,
        body: {
          next_page_token: 'tok123456789',
          operation_logs: [
            good,
            {
              time: '2026-11-20 09:00:00',
              operator: 5,
              category_type: 'User Group',
              action: null,
              operation_detail: { a: 1 },
            },
            'junk',
          ],
        },
      },
    ]);
    const logger = new RecordingLogger();
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 12));
    const c = client(srv, { logger, clock });
    const page = await c.fetchPage({ ...req, nextPageToken: 'prev-token-xyz' });
    assert.equal(c.requests, 3);
    assert.equal(page.nextPageToken, 'tok123456789');
    assert.deepEqual(page.entries[1], {
      time: '2026-11-20 09:00:00',
      timeMs: Date.UTC(2026, 10, 20, 9),
      operator: '5',
      categoryType: 'User Group',
      category: 'other:user group',
      action: '',
      operationDetail: '{"a":1}',
    });
    assert.deepEqual(
      logger.summaries.map((s) => [s.method, s.path, s.status, s.attempt, s.outcome]),
      [
        ['GET', '/v2/report/operationlogs', 500, 1, 'will retry'],
        ['GET', '/v2/report/operationlogs', 429, 2, 'will retry in 2000 ms'],
        ['GET', '/v2/report/operationlogs', 200, 3, 'ok, 2 entries'],
      ],
    );
    assert.deepEqual(logger.summaries[0].query, {
      from: '2026-11-01',
      to: '2026-11-20',
      page_size: '300',
      category_type: 'all',
      next_page_token: 'prev-t…',
    });
    assert.deepEqual(logger.warnings, [
      'Request failed (server); waiting 50 ms before attempt 2.',
      'Zoom answered a per-second 429; the rate limiter now starts at most 1000 requests per 1090 ms.',
      'Rate limited by Zoom; waiting 2000 ms before attempt 3.',
      'Page for 2026-11-01 to 2026-11-20: 1 entry had missing or odd fields (kept, as text); 1 item was not an entry (skipped).',
    ]);
    assert.deepEqual(clock.sleeps, [50, 2000]);
    assert.equal(srv.queries[0].get('next_page_token'), 'prev-token-xyz');
  });

  it('plural counts, and a 5xx every time gives up with the attempts in the message', async () => {
    const odd = { time: 1 };
    srv = await scripted([{ status: 200, body: { operation_logs: [odd, odd, 1, [], good] } }]);
    const logger = new RecordingLogger();
    await client(srv, { logger }).fetchPage(req);
    assert.deepEqual(logger.warnings, [
      'Page for 2026-11-01 to 2026-11-20: 2 entries had missing or odd fields (kept, as text); 2 items were not an entry (skipped).',
    ]);
    await srv.close();
    srv = await scripted([{ status: 503, body: '<!DOCTYPE html><html>down</html>' }]);
    const err = await rejectsZoom(client(srv, { maxAttempts: 2, clock: new FakeClock() }).fetchPage(req));
    assert.equal(err.kind, 'server');
    assert.equal(err.message, 'Zoom answered HTTP 503 with an HTML error page. Gave up after 2 attempts.');
    assert.equal(err.attempts, 2);
    assert.equal(err.status, 503);
    await srv.close();
    srv = await scripted([{ status: 502, body: '' }]);
    const one = await rejectsZoom(client(srv, { maxAttempts: 1 }).fetchPage(req));
    assert.equal(one.message, 'Zoom answered HTTP 502 with an error. Gave up after 1 attempt.');
    await srv.close();
    srv = await scripted([{ status: 503, body: { code: 9, message: 'Down for maintenance' } }]);
    const said = await rejectsZoom(client(srv, { maxAttempts: 1 }).fetchPage(req));
    assert.equal(said.message, 'Zoom answered HTTP 503 with "Down for maintenance". Gave up after 1 attempt.');
  });

  const finals: [string, Answer, Partial<PageRequest>, string, string][] = [
    [
      'HTTP 300',
      { status: 300, body: { code: 300, message: 'old' } },
      {},
      'horizon',
      'Zoom refused 2026-11-01 to 2026-11-20 as outside the range it reports on (HTTP 300, code 300). Zoom said: "old" Zoom only reports on about the last 6 months: choose a later start date.',
    ],
    [
      'HTTP 400 saying six months, no code',
      { status: 400, body: { message: 'Only six months' } },
      {},
      'horizon',
      'Zoom refused 2026-11-01 to 2026-11-20 as outside the range it reports on (HTTP 400). Zoom said: "Only six months" Zoom only reports on about the last 6 months: choose a later start date.',
    ],
    [
      'HTTP 400 naming the reports range (no apostrophe)',
      { status: 400, body: { code: 300, message: 'From date is outside the reports range' } },
      {},
      'horizon',
      'Zoom refused 2026-11-01 to 2026-11-20 as outside the range it reports on (HTTP 400, code 300). Zoom said: "From date is outside the reports range" Zoom only reports on about the last 6 months: choose a later start date.',
    ],
    [
      'HTTP 400 saying 6 month',
      { status: 400, body: { message: 'Only data of the last 6 month is kept' } },
      {},
      'horizon',
      'Zoom refused 2026-11-01 to 2026-11-20 as outside the range it reports on (HTTP 400). Zoom said: "Only data of the last 6 month is kept" Zoom only reports on about the last 6 months: choose a later start date.',
    ],
    [
      'HTTP 400 code 300 with a page token',
      { status: 400, body: { code: 300, message: 'Invalid' } },
      { nextPageToken: 'abc' },
      'pageToken',
      'The next page token is invalid or expired. Zoom said: "Invalid"',
    ],
    [
      'HTTP 400 code 300 naming the token, first page',
      { status: 400, body: { code: 300, message: 'The next page TOKEN is invalid' } },
      {},
      'pageToken',
      'The next page token is invalid or expired. Zoom said: "The next page TOKEN is invalid"',
    ],
    [
      'HTTP 400 code 300 about something else',
      { status: 400, body: { code: 300, message: 'page_size is wrong' } },
      {},
      'badRequest',
      'Zoom refused the request (HTTP 400, code 300). Zoom said: "page_size is wrong"',
    ],
    [
      'HTTP 404',
      { status: 404, body: '' },
      {},
      'notFound',
      'Zoom answered 404 for the operation-logs report. Check the API base URL setting.',
    ],
    [
      'HTTP 418 without a body',
      { status: 418, body: '' },
      {},
      'badRequest',
      'Zoom refused the request (HTTP 418). No reason given.',
    ],
    [
      'HTTP 400 with code 124 (an invalid token, whatever the status)',
      { status: 400, body: { code: 124, message: 'Invalid access token.' } },
      {},
      'auth',
      'Zoom rejected the access token. Zoom said: "Invalid access token." Set a new token with "Zoom: Set Access Token", or sign in with Server-to-Server OAuth.',
    ],
    [
      'HTTP 403 with code 4700 (a missing scope by its code alone, not a missing permission)',
      { status: 403, body: { code: 4700, message: 'Access denied.' } },
      {},
      'auth',
      'The access token lacks the scope this report needs. Zoom said: "Access denied." Create a token with the scope report:read:admin (or the granular report:read:operation_logs:admin): for a Server-to-Server OAuth app add it on the app\'s Scopes page in the Zoom App Marketplace. Then set the new token.',
    ],
    [
      'HTTP 403 with code 200 and no word of scopes',
      { status: 403, body: { code: 200, message: 'No permission.' } },
      {},
      'permission',
      'Zoom refused the operation-logs report for this account (no permission). Zoom said: "No permission." The report needs a Pro or higher plan, and the app\'s owner needs a role with the permission to view Admin Activity Logs (Zoom web portal: User Management > Roles). Check both, then try again.',
    ],
    [
      'HTTP 401 without a body',
      { status: 401, body: '' },
      {},
      'auth',
      'Zoom rejected the access token. Set a new token with "Zoom: Set Access Token", or sign in with Server-to-Server OAuth.',
    ],
    [
      'HTTP 403 without a code',
      { status: 403, body: { message: 'Forbidden' } },
      {},
      'permission',
      'Zoom refused the operation-logs report for this account (no permission). Zoom said: "Forbidden" The report needs a Pro or higher plan, and the app\'s owner needs a role with the permission to view Admin Activity Logs (Zoom web portal: User Management > Roles). Check both, then try again.',
    ],
    [
      'HTTP 403 code 200 on a later page (a page token in the request is not what failed)',
      { status: 403, body: { code: 200, message: 'No permission.' } },
      { nextPageToken: 'abc' },
      'permission',
      'Zoom refused the operation-logs report for this account (no permission). Zoom said: "No permission." The report needs a Pro or higher plan, and the app\'s owner needs a role with the permission to view Admin Activity Logs (Zoom web portal: User Management > Roles). Check both, then try again.',
    ],
    [
      'HTTP 400 code 301 on a later page (only code 300 is the page token)',
      { status: 400, body: { code: 301, message: 'Invalid parameter' } },
      { nextPageToken: 'abc' },
      'badRequest',
      'Zoom refused the request (HTTP 400, code 301). Zoom said: "Invalid parameter"',
    ],
    [
      'HTTP 422 code 300 on a later page (only a 400 is the page token)',
      { status: 422, body: { code: 300, message: 'Unprocessable' } },
      { nextPageToken: 'abc' },
      'badRequest',
      'Zoom refused the request (HTTP 422, code 300). Zoom said: "Unprocessable"',
    ],
    [
      'HTTP 403 that mentions six months (only a 300 or a 400 is the horizon)',
      { status: 403, body: { message: 'Upgrade to keep more than six months' } },
      {},
      'permission',
      'Zoom refused the operation-logs report for this account (no permission). Zoom said: "Upgrade to keep more than six months" The report needs a Pro or higher plan, and the app\'s owner needs a role with the permission to view Admin Activity Logs (Zoom web portal: User Management > Roles). Check both, then try again.',
    ],
    [
      'HTTP 401 with a static token',
      { status: 401, body: { code: 124, message: 'Invalid access token.' } },
      {},
      'auth',
      'Zoom rejected the access token. Zoom said: "Invalid access token." Set a new token with "Zoom: Set Access Token", or sign in with Server-to-Server OAuth.',
    ],
  ];
  for (const [name, answer, over, kind, message] of finals) {
    it(`${name}: kind ${kind}, one request, the exact message`, async () => {
      srv = await scripted([answer]);
      const c = client(srv);
      const err = await rejectsZoom(c.fetchPage({ ...req, ...over }));
      assert.equal(err.kind, kind);
      assert.equal(err.message, message);
      assert.equal(err.status, answer.status);
      assert.equal(c.requests, 1);
    });
  }

  it('asks for a page size between 1 and 300, whole; waits on the limiter and says so', async () => {
    srv = await scripted([{ status: 200, body: { operation_logs: [] } }]);
    const logger = new RecordingLogger();
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 12));
    const c = client(srv, { logger, clock, requestsPerSecond: 1 });
    for (const pageSize of [0, 1000, 12.7, -3]) await c.fetchPage({ ...req, pageSize });
    assert.deepEqual(
      srv.queries.map((q) => q.get('page_size')),
      ['1', '300', '12', '1'],
    );
    assert.equal(srv.queries[0].has('next_page_token'), false, 'no empty token parameter');
    assert.deepEqual(logger.infos.slice(0, 1), [
      'Rate limiter: waited 1040 ms before /v2/report/operationlogs?from=2026-11-01&to=2026-11-20&page_size=300&category_type=all',
    ]);
    assert.equal(logger.infos.length, 3, 'every request after the first waited');
    assert.deepEqual(
      logger.summaries.map((s) => s.outcome),
      ['ok, 0 entries', 'ok, 0 entries', 'ok, 0 entries', 'ok, 0 entries'],
    );
  });

  it('sends to the configured base, else the token api_url, else api.zoom.us', () => {
    const tokens = new StaticTokenSource('t');
    const none = new ZoomClient({ tokens });
    assert.equal(none.baseUrlFor({ token: 't' }).href, 'https://api.zoom.us/v2');
    assert.equal(
      none.baseUrlFor({ token: 't', apiBaseUrl: 'https://api-eu.zoom.us/v2' }).href,
      'https://api-eu.zoom.us/v2',
    );
    const set = new ZoomClient({ tokens, apiBaseUrl: 'http://127.0.0.1:9/v2' });
    assert.equal(set.baseUrlFor({ token: 't', apiBaseUrl: 'https://api-eu.zoom.us/v2' }).href, 'http://127.0.0.1:9/v2');
    assert.throws(
      () => new ZoomClient({ tokens, apiBaseUrl: 'http://example.com/v2' }),
      (e: Error & { kind?: string }) =>
        e.kind === 'config' &&
        e.message ===
          'The API base URL must use https (http is allowed only for localhost/127.0.0.1); "http://example.com" was refused so no token is sent in the clear.',
    );
    assert.throws(
      () => checkBaseUrl('nope', 'api_url'),
      (e: Error) => e.message === 'api_url "nope" is not a URL. Use the form https://api.zoom.us/v2.',
    );
    assert.throws(
      () => checkBaseUrl('https://u:p@api.zoom.us/v2', 'api_url'),
      (e: Error) => e.message === 'api_url must not contain a user name or password.',
    );
    assert.throws(() => checkBaseUrl('ftp://127.0.0.1/v2', 'api_url'), /must use https/);
    for (const h of ['localhost', 'LOCALHOST', '[::1]', '127.0.0.1', '127.255.0.9']) {
      assert.equal(isLoopback(h), true, h);
    }
    for (const h of ['example.com', '128.0.0.1', '127.0.0', '127.0.0.1.example.com', '::2', 'x127.0.0.1']) {
      assert.equal(isLoopback(h), false, h);
    }
  });

  it('times, durations and scope messages', () => {
    assert.equal(timeMsOf('2026-11-20T10:00:00'), Date.UTC(2026, 10, 20, 10));
    assert.equal(timeMsOf(' 2026-11-20 10:00 '), Date.UTC(2026, 10, 20, 10));
    assert.equal(timeMsOf('2026-11-20T10:00:00.5'), Date.UTC(2026, 10, 20, 10, 0, 0, 500));
    assert.equal(timeMsOf('2026-11-20T10:00:00+02:00'), Date.UTC(2026, 10, 20, 8));
    assert.ok(Number.isNaN(timeMsOf('yesterday')));
    assert.equal(formatResetTime(Date.UTC(2026, 10, 27, 0, 0, 59)), '2026-11-27 00:00 UTC');
    assert.equal(formatDuration(-5), 'less than a minute');
    assert.equal(formatDuration(29_999), 'less than a minute');
    assert.equal(formatDuration(30_000), '1 min');
    assert.equal(formatDuration(59 * 60_000), '59 min');
    assert.equal(formatDuration(60 * 60_000), '1 h 0 min');
    assert.equal(formatDuration(125 * 60_000), '2 h 5 min');
    const s2s = missingScopeError('s2s', { status: 400, code: 4711, zoomMessage: 'no scope' });
    assert.equal(s2s.kind, 'auth');
    assert.equal(s2s.missingScope, true);
    assert.equal(s2s.code, 4711);
    assert.match(
      s2s.message,
      /^The access token lacks the scope this report needs\. Zoom said: "no scope" Add the scope/,
    );
    assert.match(
      missingScopeError('token', {}).message,
      /^The access token lacks the scope this report needs\. Create a token/,
    );
  });

  it('Server-to-Server: a second 401 says to check the app; a scope error drops the token so the next one carries new scopes', async () => {
    const invalidated: string[] = [];
    let issued = 0;
    const tokens: TokenSource = {
      kind: 's2s',
      get: () => Promise.resolve({ token: `oauth-${++issued}` }),
      invalidate: (t) => {
        invalidated.push(t);
        return true;
      },
    };
    srv = await scripted([{ status: 401, body: { code: 124, message: 'Invalid access token.' } }]);
    let err = await rejectsZoom(client(srv, { tokens }).fetchPage(req));
    assert.equal(err.kind, 'auth');
    assert.equal(
      err.message,
      'Zoom rejected the access token. Zoom said: "Invalid access token." Check that the Server-to-Server OAuth app is activated, then sign in again.',
    );
    assert.deepEqual(invalidated, ['oauth-1'], 'one new token for the replay, and no third request');
    assert.equal(srv.queries.length, 2);
    await srv.close();

    invalidated.length = 0;
    srv = await scripted([
      { status: 400, body: { code: 4711, message: 'Invalid access token, does not contain scopes.' } },
    ]);
    err = await rejectsZoom(client(srv, { tokens }).fetchPage(req));
    assert.equal(err.missingScope, true);
    assert.match(err.message, /Add the scope report:read:admin .* then sign in again so the new token carries it\.$/);
    assert.deepEqual(invalidated, ['oauth-3'], 'the token that lacked the scope');
  });

  it('rate-limit headers: numbers only when they are whole numbers, any one header is enough', () => {
    const headers = (h: Record<string, string>): RawResponse['headers'] => ({
      get: (name: string) => h[name.toLowerCase()] ?? null,
    });
    assert.equal(readRateLimitHeaders(headers({})), undefined);
    assert.deepEqual(readRateLimitHeaders(headers({ 'x-ratelimit-remaining': '42' })), {
      category: undefined,
      type: undefined,
      limit: undefined,
      remaining: 42,
    });
    assert.deepEqual(
      readRateLimitHeaders(
        headers({
          'x-ratelimit-category': ' Heavy , Light',
          'x-ratelimit-type': 'QPS',
          'x-ratelimit-limit': '12abc',
          'x-ratelimit-remaining': 'abc',
        }),
      ),
      { category: 'Heavy', type: 'QPS', limit: undefined, remaining: undefined },
    );
    assert.equal(readRateLimitHeaders(headers({ 'x-ratelimit-limit': '1234567890' }))?.limit, undefined, '10 digits');
    assert.equal(readRateLimitHeaders(headers({ 'x-ratelimit-limit': ' 9 ' }))?.limit, 9);
    assert.equal(
      readRateLimitHeaders(headers({ 'x-ratelimit-category': 'C'.repeat(60) }))?.category,
      'C'.repeat(40),
      'a header is cut to 40 characters before it reaches a log line',
    );
  });

  it('parsePage reports odd entries and skipped items, each alone too, and only when there are some', () => {
    const seen: [number, number][] = [];
    const parse = (items: unknown[]): void => {
      const r = parsePage({ status: 200, text: JSON.stringify({ operation_logs: items }) } as never, (o, k) =>
        seen.push([o, k]),
      );
      assert.ok(!(r instanceof Error));
    };
    parse([good]);
    parse([{ ...good, time: 5 }]);
    parse([good, 'not an entry']);
    parse([{ ...good, action: null }, 7, [good]]);
    assert.deepEqual(seen, [
      [1, 0],
      [0, 1],
      [1, 2],
    ]);
  });

  it('a time without a zone is UTC even when the machine is not (and surrounding blanks do not change that)', () => {
    withTz('America/New_York', () => {
      assert.equal(timeMsOf(' 2026-11-20 10:00 '), Date.UTC(2026, 10, 20, 10));
      assert.equal(timeMsOf('2026-11-20T10:00:00'), Date.UTC(2026, 10, 20, 10));
      assert.equal(timeMsOf('2026-11-20 10:00'), Date.UTC(2026, 10, 20, 10), 'without seconds');
      assert.equal(timeMsOf('2026-11-20T10:00:00.250'), Date.UTC(2026, 10, 20, 10, 0, 0, 250), 'with milliseconds');
      assert.equal(timeMsOf('2026-11-20T10:00:00Z'), Date.UTC(2026, 10, 20, 10));
      assert.equal(timeMsOf('2026-11-20T10:00:00-05:00'), Date.UTC(2026, 10, 20, 15), 'a zone given is kept');
      assert.ok(Number.isNaN(timeMsOf('x2026-11-20T10:00')), 'a date inside other text is not a time');
    });
  });

  it('parsePage: what each wrong body is called', () => {
    const why = (text: string, status = 200): string => {
      const r = parsePage({ status, text } as never);
      return r instanceof Error ? `${r.message}${r.retryable ? ' (retryable)' : ''}` : 'page';
    };
    const p = (w: string): string => `Zoom's answer was not a valid operation-logs page (${w}).`;
    assert.equal(why(''), `${p('the body is empty')} (retryable)`);
    assert.equal(why('{"operation_logs":['), `${p('the JSON is cut off')} (retryable)`);
    assert.equal(why('['.repeat(100) + ']'.repeat(100)), p('the JSON is nested more than 64 levels deep'));
    assert.equal(why('  <html>'), p('an HTML page instead of JSON'));
    assert.equal(why('hello'), p('the body is not JSON'));
    assert.equal(why('[]'), p('the body is not a JSON object'));
    assert.equal(why('null'), p('the body is not a JSON object'));
    assert.equal(why('5'), p('the body is not a JSON object'));
    assert.equal(why('{"operation_logs":{}}'), p('operation_logs is not a list'));
    assert.equal(why('{"next_page_token":5}'), p('next_page_token is not a string'));
    assert.equal(why('{"operation_logs":null,"next_page_token":null}'), 'page');
    assert.equal(why('{}'), 'page');
    const r = parsePage({ status: 200, text: '{"operation_logs":[{"time":"t"}],"next_page_token":"x"}' } as never);
    assert.ok(!(r instanceof Error));
    assert.equal(r.nextPageToken, 'x');
    assert.equal(r.entries.length, 1);
  });
});
