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

  it('the whole report reads as written here, line by line (every scenario a first-time admin meets)', async () => {
    // Written out by hand from what each line must tell the admin: the status mark, the title, what was found,
    // the fix. HOST stands for the simulator's address, N for Zoom's daily count left, TODAY for the date asked.
    const TODAY = todayUtc(Date.now());
    const text = (r: SetupReport): string =>
      formatSetupReport(r)
        .replace(/127\.0\.0\.1:\d+/g, 'HOST')
        .replace(/\d+ left/g, 'N left');
    const none = await run({ apiBaseUrl: 'http://127.0.0.1:9/v2', oauthBaseUrl: 'http://127.0.0.1:9' }, undefined);
    assert.equal(none.ok, false);
    assert.equal(
      text(none),
      `✗ Credentials are stored: No Zoom credentials are stored in VS Code.\n    Fix: Run "Zoom: Sign In with Server-to-Server OAuth" (or "Zoom: Set Access Token").\n– Zoom gives an access token: Not checked: no credentials.\n– The token may read the operation-logs report: Not checked: no credentials.\n– A one-day, one-entry report request succeeds: Not checked: no credentials.\n– API address and data centre: Not checked: no credentials.\n– Rate limit: Not checked: no credentials.\n0 requests sent to Zoom.`,
    );
    sim = await startSimulator({ seed: 1, entries: 200, rps: 0, rateLimitHeaders: true });
    const s2s = await run(sim, { kind: 's2s', ...sim.s2s });
    assert.equal(s2s.ok, true);
    assert.equal(
      text(s2s),
      `✓ Credentials are stored: Server-to-Server OAuth app credentials (account ID, client ID, client secret) are stored.\n✓ Zoom gives an access token: Zoom issued an access token for the stored credentials.\n✓ The token may read the operation-logs report: The token carries report:read:admin.\n✓ A one-day, one-entry report request succeeds: Zoom answered the report for ${TODAY} (0 of at most 1 entry).\ni API address and data centre: Requests go to http://HOST/v2 (the API base URL setting). Data centre: HOST (Zoom named HOST; not used).\n✓ Rate limit: Zoom reports: Heavy, Daily-limit, limit 30000, N left. Your setting: 10 requests per second (Pro plan).\n2 requests sent to Zoom.`,
    );
    const token = await run(sim, { kind: 'token', token: sim.token });
    assert.equal(token.ok, true);
    assert.equal(
      text(token),
      `✓ Credentials are stored: An access token is stored.\ni Zoom gives an access token: A fixed access token is used; Zoom checks it with the next request.\n✓ The token may read the operation-logs report: Zoom accepted the token for the report.\n✓ A one-day, one-entry report request succeeds: Zoom answered the report for ${TODAY} (0 of at most 1 entry).\ni API address and data centre: Requests go to http://HOST/v2 (the API base URL setting). Data centre: HOST.\n✓ Rate limit: Zoom reports: Heavy, Daily-limit, limit 30000, N left. Your setting: 10 requests per second (Pro plan).\n1 request sent to Zoom.`,
    );
    const secret = await run(sim, { kind: 's2s', ...sim.s2s, clientSecret: 'x' });
    assert.equal(secret.ok, false);
    assert.equal(
      text(secret),
      `✓ Credentials are stored: Server-to-Server OAuth app credentials (account ID, client ID, client secret) are stored.\n✗ Zoom gives an access token: Zoom refused the client ID or the client secret (401): one of them is wrong, or the secret was regenerated. Run "Zoom: Sign In with Server-to-Server OAuth" again with the values from your app's App Credentials page in the Zoom App Marketplace.\n    Fix: Copy the values again from the app's App Credentials page and run "Zoom: Sign In with Server-to-Server OAuth".\n– The token may read the operation-logs report: Not checked: no token.\n– A one-day, one-entry report request succeeds: Not checked: no token.\n– API address and data centre: Not checked: no token.\n– Rate limit: Not checked: no token.\n1 request sent to Zoom.`,
    );
    const noScope = await run(sim, { kind: 's2s', ...sim.s2s, clientId: NO_SCOPE_CLIENT_ID });
    assert.equal(noScope.ok, false);
    assert.equal(
      text(noScope),
      `✓ Credentials are stored: Server-to-Server OAuth app credentials (account ID, client ID, client secret) are stored.\n✓ Zoom gives an access token: Zoom issued an access token for the stored credentials.\n✗ The token may read the operation-logs report: The token carries neither report:read:admin nor report:read:operation_logs:admin.\n    Fix: In the Zoom App Marketplace, open the app's Scopes page, add report:read:admin (or the granular report:read:operation_logs:admin), then sign in again.\n✗ A one-day, one-entry report request succeeds: The access token lacks the scope this report needs. Zoom said: "Invalid access token, does not contain scopes:[report:read:admin]" Add the scope report:read:admin (or the granular report:read:operation_logs:admin) on your app's Scopes page in the Zoom App Marketplace (Manage > your app > Scopes), then sign in again so the new token carries it.\n    Fix: In the Zoom App Marketplace, open the app's Scopes page, add report:read:admin (or the granular report:read:operation_logs:admin), then sign in again.\ni API address and data centre: Requests go to http://HOST/v2 (the API base URL setting). Data centre: HOST (Zoom named HOST; not used).\ni Rate limit: Zoom sent no rate-limit figures. Your setting: 10 requests per second (Pro plan). Zoom allows 1 (Free), 10 (Pro) or 40 (Business and up) per second for this report, shared by every app on the account.\n2 requests sent to Zoom.`,
    );
    const noScopeToken = await run(sim, { kind: 'token', token: NO_SCOPE_TOKEN });
    assert.equal(
      text(noScopeToken),
      `✓ Credentials are stored: An access token is stored.\ni Zoom gives an access token: A fixed access token is used; Zoom checks it with the next request.\n✗ The token may read the operation-logs report: The access token lacks the scope this report needs. Zoom said: "Invalid access token, does not contain scopes:[report:read:admin]" Create a token with the scope report:read:admin (or the granular report:read:operation_logs:admin): for a Server-to-Server OAuth app add it on the app's Scopes page in the Zoom App Marketplace. Then set the new token.\n    Fix: In the Zoom App Marketplace, open the app's Scopes page, add report:read:admin (or the granular report:read:operation_logs:admin), then sign in again.\n✗ A one-day, one-entry report request succeeds: The access token lacks the scope this report needs. Zoom said: "Invalid access token, does not contain scopes:[report:read:admin]" Create a token with the scope report:read:admin (or the granular report:read:operation_logs:admin): for a Server-to-Server OAuth app add it on the app's Scopes page in the Zoom App Marketplace. Then set the new token.\n    Fix: In the Zoom App Marketplace, open the app's Scopes page, add report:read:admin (or the granular report:read:operation_logs:admin), then sign in again.\ni API address and data centre: Requests go to http://HOST/v2 (the API base URL setting). Data centre: HOST.\ni Rate limit: Zoom sent no rate-limit figures. Your setting: 10 requests per second (Pro plan). Zoom allows 1 (Free), 10 (Pro) or 40 (Business and up) per second for this report, shared by every app on the account.\n1 request sent to Zoom.`,
    );
    const noPermission = await run(sim, { kind: 'token', token: NO_PERMISSION_TOKEN });
    assert.equal(noPermission.ok, false);
    assert.equal(
      text(noPermission),
      `✓ Credentials are stored: An access token is stored.\ni Zoom gives an access token: A fixed access token is used; Zoom checks it with the next request.\n✓ The token may read the operation-logs report: Zoom accepted the token for the report.\n✗ A one-day, one-entry report request succeeds: Plan or role permission: Zoom refused the operation-logs report for this account (no permission). Zoom said: "No permission." The report needs a Pro or higher plan, and the app's owner needs a role with the permission to view Admin Activity Logs (Zoom web portal: User Management > Roles). Check both, then try again.\n    Fix: Use an account on a Pro plan or higher, and give the app's owner a role with the permission to view Admin Activity Logs.\ni API address and data centre: Requests go to http://HOST/v2 (the API base URL setting). Data centre: HOST.\ni Rate limit: Zoom sent no rate-limit figures. Your setting: 10 requests per second (Pro plan). Zoom allows 1 (Free), 10 (Pro) or 40 (Business and up) per second for this report, shared by every app on the account.\n1 request sent to Zoom.`,
    );
  });

  it('the rate-limit line names the plan a setting matches (1 Free, 10 Pro, 40 Business and up) and no plan otherwise', async () => {
    sim = await startSimulator({ seed: 1, entries: 20, rps: 0, rateLimitHeaders: true });
    const setting = async (rate: number): Promise<string> => {
      const detail = line(
        await run(sim as Simulator, { kind: 'token', token: (sim as Simulator).token }, rate),
        'rateLimit',
      ).detail;
      return detail.slice(detail.indexOf('Your setting'));
    };
    assert.equal(await setting(1), 'Your setting: 1 request per second (Free plan).');
    assert.equal(await setting(10), 'Your setting: 10 requests per second (Pro plan).');
    assert.equal(await setting(40), 'Your setting: 40 requests per second (Business and up plan).');
    assert.equal(await setting(7), 'Your setting: 7 requests per second.');
  });

  it('names the data centre from api_url', () => {
    assert.equal(dataCentreOf('api.zoom.us'), 'global (api.zoom.us)');
    assert.equal(dataCentreOf('eu01api.zoom.us'), 'EU01 (eu01api.zoom.us)');
    assert.equal(dataCentreOf('api.zoomgov.com'), 'ZoomGov (api.zoomgov.com)');
    assert.equal(dataCentreOf('127.0.0.1:8080'), '127.0.0.1:8080');
  });
});
