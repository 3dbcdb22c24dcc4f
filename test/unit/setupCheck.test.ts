/**
 * "Zoom: Check Setup" in plain Node against the simulator: one test per line that can fail,
 * each reading the line's words, and the request count (at most 2) every time.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  NO_PERMISSION_CLIENT_ID,
  NO_PERMISSION_TOKEN,
  NO_SCOPE_CLIENT_ID,
  NO_SCOPE_TOKEN,
  startSimulator,
  type Simulator,
} from '../simulator/index';
import { ServerToServerTokenSource, StaticTokenSource, type Credentials } from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';
import { silentLogger } from '../../src/zoom/logger';
import { realClock } from '../../src/zoom/rateLimiter';
import { checkSetup, dataCentreOf, formatSetupReport, type SetupReport } from '../../src/zoom/setupCheck';
import { todayUtc } from '../../src/zoom/dates';

function run(
  sim: Simulator | { apiBaseUrl: string; oauthBaseUrl: string },
  credentials: Credentials | undefined,
  maxRequestsPerSecond = 10,
  apiOverride = true,
): Promise<SetupReport> {
  return checkSetup({
    credentials,
    tokenSource: (c) =>
      c.kind === 'token'
        ? new StaticTokenSource(c.token)
        : new ServerToServerTokenSource({
            ...c,
            oauthBaseUrl: sim.oauthBaseUrl,
            retry: { maxAttempts: 1, backoffBaseMs: 1, backoffCapMs: 1, random: Math.random, clock: realClock },
            logger: silentLogger,
          }),
    client: (_c, tokens) =>
      new ZoomClient({
        apiBaseUrl: apiOverride ? sim.apiBaseUrl : undefined,
        tokens,
        requestsPerSecond: 1000,
        maxAttempts: 1,
        reauthenticate: false,
        logger: silentLogger,
      }),
    apiBaseOverride: apiOverride ? sim.apiBaseUrl : undefined,
    maxRequestsPerSecond,
    today: todayUtc(Date.now()),
  });
}

const line = (r: SetupReport, id: string): SetupReport['lines'][number] => {
  const l = r.lines.find((x) => x.id === id);
  assert.ok(l, `line ${id}`);
  return l;
};
const statuses = (r: SetupReport): string => r.lines.map((l) => `${l.id}:${l.status}`).join(' ');

describe('Check Setup (plain Node, against the simulator)', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('everything right (S2S): every line passes, the scope comes from the token, 2 requests', async () => {
    sim = await startSimulator({ seed: 1, entries: 200, rps: 0, rateLimitHeaders: true });
    const r = await run(sim, { kind: 's2s', ...sim.s2s });
    assert.equal(statuses(r), 'credentials:pass token:pass scope:pass request:pass endpoint:info rateLimit:pass');
    assert.equal(r.ok, true);
    assert.equal(r.requests, 2);
    assert.equal(sim.requests.length, 2, 'the simulator saw exactly the 2 requests the report counts');
    assert.match(line(r, 'scope').detail, /report:read:admin/);
    assert.match(line(r, 'endpoint').detail, new RegExp(`Requests go to ${sim.apiBaseUrl.replace(/[.]/g, '\\.')}`));
    assert.match(line(r, 'rateLimit').detail, /Zoom reports: Heavy, Daily-limit, limit \d+, \d+ left/);
    assert.match(formatSetupReport(r), /2 requests sent to Zoom\.$/);
  });

  it('no credentials: a cross that says how to sign in, every later line skipped, 0 requests', async () => {
    const r = await run({ apiBaseUrl: 'http://127.0.0.1:9/v2', oauthBaseUrl: 'http://127.0.0.1:9' }, undefined);
    assert.equal(statuses(r), 'credentials:fail token:skip scope:skip request:skip endpoint:skip rateLimit:skip');
    assert.match(line(r, 'credentials').fix ?? '', /Sign In with Server-to-Server OAuth/);
    assert.equal(r.requests, 0);
  });

  it('missing scope (S2S app without report:read:admin): the scope line fails from the token response and names the fix', async () => {
    sim = await startSimulator({ seed: 1, entries: 50, rps: 0 });
    const r = await run(sim, { kind: 's2s', ...sim.s2s, clientId: NO_SCOPE_CLIENT_ID });
    assert.equal(line(r, 'scope').status, 'fail');
    assert.match(line(r, 'scope').fix ?? '', /Scopes page.*report:read:admin.*report:read:operation_logs:admin/);
    assert.equal(line(r, 'request').status, 'fail', 'Zoom refuses the report too (4711)');
    assert.match(line(r, 'request').detail, /report:read:admin/);
    assert.equal(r.requests, 2);
  });

  it('missing scope (a fixed token): the request tells, and the scope line says so', async () => {
    sim = await startSimulator({ seed: 1, entries: 50, rps: 0 });
    const r = await run(sim, { kind: 'token', token: NO_SCOPE_TOKEN });
    assert.equal(line(r, 'token').status, 'info');
    assert.equal(line(r, 'scope').status, 'fail');
    assert.match(line(r, 'scope').detail, /report:read:operation_logs:admin/);
    assert.equal(r.requests, 1);
  });

  it('no permission or plan: the request line names the Pro plan and the role permission', async () => {
    sim = await startSimulator({ seed: 1, entries: 50, rps: 0 });
    for (const creds of [
      { kind: 'token', token: NO_PERMISSION_TOKEN } as const,
      { kind: 's2s', ...sim.s2s, clientId: NO_PERMISSION_CLIENT_ID } as const,
    ]) {
      const r = await run(sim, creds);
      assert.equal(line(r, 'scope').status, 'pass', `${creds.kind}: the scope is there`);
      assert.equal(line(r, 'request').status, 'fail');
      assert.match(line(r, 'request').detail, /^Plan or role permission/);
      assert.match(line(r, 'request').fix ?? '', /Pro plan or higher.*Admin Activity Logs/);
      assert.ok(r.requests <= 2);
    }
  });

  it('bad client secret and bad account ID: the token line names the credential; nothing else is asked', async () => {
    sim = await startSimulator({ seed: 1, entries: 50, rps: 0 });
    const secret = await run(sim, { kind: 's2s', ...sim.s2s, clientSecret: 'wrong-secret-canary' });
    assert.equal(statuses(secret), 'credentials:pass token:fail scope:skip request:skip endpoint:skip rateLimit:skip');
    assert.match(line(secret, 'token').detail, /client (ID|secret)/i);
    assert.doesNotMatch(formatSetupReport(secret), /wrong-secret-canary/);
    assert.equal(secret.requests, 1);
    const account = await run(sim, { kind: 's2s', ...sim.s2s, accountId: 'not-this-account' });
    assert.equal(line(account, 'token').status, 'fail');
    assert.match(line(account, 'token').detail, /account ID/);
    assert.doesNotMatch(formatSetupReport(account), /not-this-account/);
    assert.equal(sim.requests.filter((q) => q.path.endsWith('operationlogs')).length, 0);
  });

  it('rate-limited: the request line says rate limit, once (no retries)', async () => {
    sim = await startSimulator({ seed: 1, entries: 50, rps: 0 });
    sim.script({ kind: '429', retryAfter: '1' });
    const r = await run(sim, { kind: 'token', token: sim.token });
    assert.equal(line(r, 'request').status, 'fail');
    assert.match(line(r, 'request').detail, /^Rate limit/);
    assert.equal(sim.count({ path: '/v2/report/operationlogs' }), 1);
  });

  it('unreachable API: the request line says network and names the host only', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await run(
      { apiBaseUrl: `http://127.0.0.1:${port}/v2`, oauthBaseUrl: `http://127.0.0.1:${port}` },
      { kind: 'token', token: 'tok-canary-123' },
    );
    assert.equal(line(r, 'request').status, 'fail');
    assert.match(line(r, 'request').detail, /^Network: .*127\.0\.0\.1/);
    assert.doesNotMatch(formatSetupReport(r), /tok-canary-123|operationlogs\?/);
  });

  it('a rate setting above what Zoom reports per second is a cross with the value to use', async () => {
    // A purpose-built server: one empty page with QPS headers.
    const server = http.createServer((_q, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'X-RateLimit-Category': 'Heavy',
        'X-RateLimit-Type': 'QPS',
        'X-RateLimit-Limit': '10',
        'X-RateLimit-Remaining': '9',
      });
      res.end('{"operation_logs":[]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await run({ apiBaseUrl: `${base}/v2`, oauthBaseUrl: base }, { kind: 'token', token: 't' }, 40);
      assert.equal(line(r, 'rateLimit').status, 'fail');
      assert.match(line(r, 'rateLimit').fix ?? '', /maxRequestsPerSecond" to 10/);
      const fine = await run({ apiBaseUrl: `${base}/v2`, oauthBaseUrl: base }, { kind: 'token', token: 't' }, 10);
      assert.equal(line(fine, 'rateLimit').status, 'pass');
      assert.match(
        line(fine, 'rateLimit').detail,
        /QPS, limit 10, 9 left.*Your setting: 10 requests per second \(Pro plan\)/,
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('names the data centre from api_url', () => {
    assert.equal(dataCentreOf('api.zoom.us'), 'global (api.zoom.us)');
    assert.equal(dataCentreOf('eu01api.zoom.us'), 'EU01 (eu01api.zoom.us)');
    assert.equal(dataCentreOf('api.zoomgov.com'), 'ZoomGov (api.zoomgov.com)');
    assert.equal(dataCentreOf('127.0.0.1:8080'), '127.0.0.1:8080');
  });
});
