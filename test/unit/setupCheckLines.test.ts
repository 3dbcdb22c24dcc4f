/**
 * "Zoom: Check Setup" line by line with a token source and a client in memory: every failure kind the token or the
 * report request can end in, every rate-limit figure Zoom may send, and where requests go. setupCheck.test.ts runs
 * the first-day scenarios against the simulator; this file covers the answers the simulator does not give.
 */
import assert from 'node:assert/strict';
import type { AccessToken, Credentials, TokenSource } from '../../src/zoom/auth';
import type { ZoomClient } from '../../src/zoom/client';
import { ZoomError, type ZoomErrorKind } from '../../src/zoom/errors';
import { checkSetup, dataCentreOf, type SetupLine, type SetupReport } from '../../src/zoom/setupCheck';
import type { Page, RateLimitHeaders } from '../../src/zoom/types';

const S2S: Credentials = { kind: 's2s', accountId: 'acc', clientId: 'id', clientSecret: 'secret' };
const TOKEN: Credentials = { kind: 'token', token: 'static' };

interface Fake {
  credentials?: Credentials;
  /** The token, or the error getting it ends in. */
  access?: AccessToken | ZoomError;
  /** The report page, or the error the request ends in. */
  answer?: Page | ZoomError;
  rate?: number;
  apiBaseOverride?: string;
}

async function check(f: Fake): Promise<SetupReport> {
  const credentials = f.credentials ?? S2S;
  const access = f.access ?? { token: 't' };
  const tokens: TokenSource = {
    kind: credentials.kind,
    get: () => (access instanceof ZoomError ? Promise.reject(access) : Promise.resolve(access)),
    invalidate: () => false,
  };
  const answer = f.answer ?? { entries: [], nextPageToken: '' };
  const client = {
    fetchPage: () => (answer instanceof ZoomError ? Promise.reject(answer) : Promise.resolve(answer)),
    baseUrlFor: (a: AccessToken) => new URL(f.apiBaseOverride ?? a.apiBaseUrl ?? 'https://api.zoom.us/v2'),
  } as unknown as ZoomClient;
  return checkSetup({
    credentials,
    tokenSource: () => tokens,
    client: () => client,
    apiBaseOverride: f.apiBaseOverride,
    maxRequestsPerSecond: f.rate ?? 10,
    today: '2026-11-26',
  });
}

const line = (r: SetupReport, id: SetupLine['id']): SetupLine => {
  const l = r.lines.find((x) => x.id === id);
  assert.ok(l, `line ${id}`);
  return l;
};
const err = (kind: ZoomErrorKind, message = `${kind} happened`, extra = {}): ZoomError =>
  new ZoomError(kind, message, extra);
const page = (rateLimit?: RateLimitHeaders): Page => ({ entries: [], nextPageToken: '', rateLimit });

describe('Check Setup, line by line (in memory)', () => {
  it('the token line: each failure kind names its own fix, and nothing is asked after it', async () => {
    const cases: [ZoomErrorKind, RegExp][] = [
      ['oauth', /App Credentials page/],
      ['network', /network connection and the OAuth base URL/],
      ['timeout', /network connection and the OAuth base URL/],
      ['config', /^Check the OAuth base URL setting \(zoomOperationLogs\.oauthBaseUrl\)\.$/],
      ['badResponse', /^Check the OAuth base URL setting \(zoomOperationLogs\.oauthBaseUrl\).*Zoom: Show Log/],
      ['server', /^Run the check again; if it keeps failing, open "Zoom: Show Log"\.$/],
    ];
    for (const [kind, fix] of cases) {
      const r = await check({ access: err(kind) });
      const l = line(r, 'token');
      assert.equal(l.status, 'fail', kind);
      assert.equal(l.detail, `${kind} happened`);
      assert.match(l.fix ?? '', fix, kind);
      assert.equal(r.requests, 1, `${kind}: the token request only`);
      assert.deepEqual(
        r.lines.slice(2).map((x) => x.status),
        ['skip', 'skip', 'skip', 'skip'],
      );
    }
  });

  it('the request line: each failure kind says what it was and what to do', async () => {
    const cases: [ZoomError, RegExp, RegExp][] = [
      [err('permission'), /^Plan or role permission: /, /Pro plan/],
      [err('auth'), /^Token: /, /Sign in again/],
      [err('rateLimit'), /^Rate limit: /, /other apps on the account share the limit/],
      [err('dailyLimit'), /^Rate limit: /, /other apps on the account share the limit/],
      [err('network'), /^Network: /, /a proxy, and the API base URL/],
      [err('timeout'), /^Network: /, /a proxy, and the API base URL/],
      [err('config'), /^config happened$/, /^Check the API base URL setting \(zoomOperationLogs\.apiBaseUrl\)\.$/],
      [err('notFound'), /^notFound happened$/, /^Check the API base URL setting \(zoomOperationLogs\.apiBaseUrl\)\.$/],
      [
        err('badResponse'),
        /^badResponse happened$/,
        /^Check the API base URL setting \(zoomOperationLogs\.apiBaseUrl\).*Zoom: Show Log/,
      ],
      [err('server'), /^server happened$/, /^Run the check again; if it keeps failing, open "Zoom: Show Log"\.$/],
    ];
    for (const [e, detail, fix] of cases) {
      const r = await check({ credentials: TOKEN, answer: e });
      const l = line(r, 'request');
      assert.equal(l.status, 'fail', e.kind);
      assert.match(l.detail, detail, e.kind);
      assert.match(l.fix ?? '', fix, e.kind);
      assert.equal(r.ok, false);
      // Without a scope in the token, the request decides the scope line: known only when Zoom got that far.
      const scope = line(r, 'scope');
      assert.equal(scope.status, e.kind === 'permission' ? 'pass' : 'skip', e.kind);
      if (e.kind !== 'permission') assert.match(scope.detail, /^Not known: the request below failed first\.$/);
      assert.equal(scope.title, 'The token may read the operation-logs report');
    }
  });

  it('the scope line reads scopes split by blanks or commas, and a missing scope fails once', async () => {
    for (const scope of ['user:read:admin,report:read:admin', ' report:read:operation_logs:admin  ']) {
      assert.equal(line(await check({ access: { token: 't', scope } }), 'scope').status, 'pass', scope);
    }
    const r = await check({ access: { token: 't', scope: 'report:read:admin:extra, ,' } });
    assert.equal(line(r, 'scope').status, 'fail');
    assert.equal(r.lines.filter((l) => l.id === 'scope').length, 1);
  });

  it('the rate-limit line: every figure Zoom may send, and when it is a cross', async () => {
    const detail = async (rateLimit: RateLimitHeaders | ZoomError, rate = 10): Promise<SetupLine> =>
      line(await check({ answer: rateLimit instanceof ZoomError ? rateLimit : page(rateLimit), rate }), 'rateLimit');
    let l = await detail({ type: 'QPS', limit: 10, remaining: 9, category: 'Heavy' });
    assert.equal(l.status, 'pass');
    assert.match(l.detail, /^Zoom reports: Heavy, QPS, limit 10, 9 left\. Your setting: 10 requests per second/);
    l = await detail({ limit: 30 });
    assert.match(l.detail, /^Zoom reports: unknown type, limit 30\. /);
    l = await detail({ type: 'Daily-limit', remaining: 0 });
    assert.equal(l.status, 'fail');
    assert.match(l.detail, /^Zoom reports: Daily-limit, 0 left\. /);
    assert.match(l.fix ?? '', /wait until it resets/);
    l = await detail({ type: 'QPS', limit: 10 }, 40);
    assert.equal(l.status, 'fail');
    assert.match(
      l.detail,
      /^Zoom reports: QPS, limit 10\. Your setting: 40 requests per second \(Business and up plan\)\./,
    );
    assert.match(l.fix ?? '', /maxRequestsPerSecond" to 10/);
    l = await detail({ type: 'Daily-limit', limit: 10 }, 40);
    assert.equal(l.status, 'pass', 'a daily limit is not a rate per second');
    l = await detail({ type: 'QPS' });
    assert.equal(l.status, 'info', 'a type without figures');
    assert.match(l.detail, /^Zoom sent no rate-limit figures\./);
    l = await detail({ type: 'QPS', remaining: 3 });
    assert.equal(l.status, 'pass', 'the remaining count alone is a figure');
    l = await detail(err('rateLimit'), 1);
    assert.equal(l.status, 'info', 'a refusal without headers has no figures');
    assert.match(l.detail, /Your setting: 1 request per second \(Free plan\)\./);
    l = await detail({ type: 'QPS' }, 3);
    assert.match(l.detail, /Your setting: 3 requests per second\. /);
  });

  it("the endpoint line names where requests go and why: the setting, the token's api_url, or Zoom's default", async () => {
    let l = line(await check({ apiBaseOverride: 'http://127.0.0.1:9/v2/' }), 'endpoint');
    assert.equal(
      l.detail,
      'Requests go to http://127.0.0.1:9/v2 (the API base URL setting). Data centre: 127.0.0.1:9.',
    );
    l = line(
      await check({ access: { token: 't', apiBaseUrl: 'https://eu01api.zoom.us/v2', apiUrlHost: 'eu01api.zoom.us' } }),
      'endpoint',
    );
    assert.equal(
      l.detail,
      "Requests go to https://eu01api.zoom.us/v2 (the token's api_url). Data centre: EU01 (eu01api.zoom.us).",
    );
    l = line(await check({ access: { token: 't', apiUrlHost: 'eu01api.zoom.us' } }), 'endpoint');
    assert.equal(
      l.detail,
      'Requests go to https://api.zoom.us/v2. Data centre: EU01 (eu01api.zoom.us) (Zoom named eu01api.zoom.us; not used).',
    );
  });

  it('dataCentreOf: regional hosts only when the whole host has that shape', () => {
    assert.equal(dataCentreOf('EU01api.zoom.us'), 'EU01 (eu01api.zoom.us)');
    assert.equal(dataCentreOf('xeu01api.zoom.us'), 'xeu01api.zoom.us');
    assert.equal(dataCentreOf('eu01api.zoom.us.example.com'), 'eu01api.zoom.us.example.com');
  });
});
