// Inside VS Code against the simulator: what a first-time admin meets on the real Zoom.
// A token without the report's scope or without the role permission is named on sign-in and
// in the tree's message node; "Zoom: Check Setup" reports each simulated failure on its line.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { MessageNode } from '../../src/views/nodes';
import { todayUtc, type SetupReport } from '../../src/zoom';
import {
  NO_PERMISSION_CLIENT_ID,
  NO_PERMISSION_TOKEN,
  NO_SCOPE_CLIENT_ID,
  NO_SCOPE_TOKEN,
  type Simulator,
} from '../simulator';
import {
  children,
  extensionApi,
  recordMessages,
  resetSettings,
  setSetting,
  simulatorForExtension,
  until,
} from './support/harness';

function lineOf(report: SetupReport | undefined, id: string): SetupReport['lines'][number] {
  const l = report?.lines.find((x) => x.id === id);
  assert.ok(l, `line ${id} in ${JSON.stringify(report?.lines.map((x) => x.id))}`);
  return l;
}

async function check(): Promise<SetupReport> {
  const r = (await vscode.commands.executeCommand('zoomOperationLogs.checkSetup', { quiet: true })) as
    SetupReport | undefined;
  assert.ok(r, 'Check Setup returns its report');
  assert.ok(r.requests <= 2, `at most 2 requests, was ${r.requests}`);
  return r;
}

describe('First run on the real Zoom: scope, permission and Check Setup', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: Simulator;
  const today = todayUtc(Date.now());

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 500, rateLimitHeaders: true });
  });
  after(async () => {
    await api.credentials.clear();
    await resetSettings();
    await sim.close();
  });

  it('a token without the scope: the category shows a message that names the scope and the Scopes page', async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', NO_SCOPE_TOKEN);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: today, to: today, categories: ['user'] });
    await until('session', () => api.view.session?.query.from === today);
    const [user] = await children(api);
    const kids = await children(api, user);
    const msg = kids.find((k): k is MessageNode => k.kind === 'message');
    assert.ok(msg, 'a message node');
    assert.match(msg.text, /report:read:admin/);
    assert.match(msg.text, /report:read:operation_logs:admin/);
    assert.match(msg.text, /Scopes page/);
    const item = api.view.provider.getTreeItem(msg);
    assert.ok(item.command, 'the message node offers an action');
  });

  it('a token without the role permission: the message names the Pro plan and the Admin Activity Logs permission', async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', NO_PERMISSION_TOKEN);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: today, to: today, categories: ['user'] });
    await until('session', () => api.view.session !== undefined);
    const [user] = await children(api);
    const msg = (await children(api, user)).find((k): k is MessageNode => k.kind === 'message');
    assert.ok(msg, 'a message node');
    assert.match(msg.text, /Pro/);
    assert.match(msg.text, /Admin Activity Logs/i);
  });

  it('a token pasted shortened or in pieces is refused before it is saved; "Bearer " in front is dropped', async () => {
    await api.credentials.clear();
    let result: unknown;
    const shown = await recordMessages(async () => {
      result = await vscode.commands.executeCommand('zoomOperationLogs.setToken', `${sim.token.slice(0, 8)}…`);
    });
    assert.equal(result, false);
    assert.deepEqual(shown, [
      {
        level: 'showErrorMessage',
        message:
          'The access token holds "…": it was copied shortened. Copy the whole token and set it again. Nothing was saved.',
      },
    ]);
    assert.equal(await api.credentials.get(), undefined, 'nothing stored');

    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.setToken', `Bearer ${sim.token}`), true);
    assert.deepEqual(await api.credentials.get(), { kind: 'token', token: sim.token });
  });

  it('a stored token that cannot be sent: the tree names the problem and no request leaves', async () => {
    await api.credentials.store({ kind: 'token', token: `${sim.token}\n${sim.token}` });
    sim.resetLog();
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: today, to: today, categories: ['user'] });
    await until('session', () => api.view.session?.query.from === today);
    const [user] = await children(api);
    const msg = (await children(api, user)).find((k): k is MessageNode => k.kind === 'message');
    assert.ok(msg, 'a message node');
    assert.match(msg.text, /The access token holds a space or a line break\. Paste it again as one piece\./);
    assert.ok(!msg.text.includes(sim.token), 'the token stays out of the message');
    assert.equal(sim.requests.length, 0, 'no request reached Zoom');
  });

  it('S2S sign-in with an app that lacks the scope: saved (the credentials are right), and the message names the scope', async () => {
    let saved: unknown;
    const shown = await recordMessages(async () => {
      saved = await vscode.commands.executeCommand('zoomOperationLogs.signInS2S', {
        ...sim.s2s,
        clientId: NO_SCOPE_CLIENT_ID,
      });
    });
    assert.equal(saved, true);
    const err = shown.find((s) => s.level === 'showErrorMessage');
    assert.ok(err, `an error message; shown: ${JSON.stringify(shown)}`);
    assert.match(err.message, /report:read:admin/);
    assert.match(err.message, /Scopes page/);
  });

  it('S2S sign-in with an app whose owner lacks the permission: the message names plan and role permission', async () => {
    const shown = await recordMessages(() =>
      vscode.commands.executeCommand('zoomOperationLogs.signInS2S', { ...sim.s2s, clientId: NO_PERMISSION_CLIENT_ID }),
    );
    const err = shown.find((s) => s.level === 'showErrorMessage');
    assert.ok(err, `an error message; shown: ${JSON.stringify(shown)}`);
    assert.match(err.message, /Pro/);
    assert.match(err.message, /Admin Activity Logs/i);
  });

  it('Check Setup, everything right: every line passes, the rate limit is read from the headers', async () => {
    await api.credentials.store({ kind: 's2s', ...sim.s2s });
    sim.resetLog();
    const r = await check();
    assert.deepEqual(
      r.lines.map((l) => `${l.id}:${l.status}`),
      ['credentials:pass', 'token:pass', 'scope:pass', 'request:pass', 'endpoint:info', 'rateLimit:pass'],
    );
    assert.equal(sim.requests.length, r.requests, 'the simulator saw what the report counts');
    assert.match(lineOf(r, 'rateLimit').detail, /Zoom reports: Heavy/);
  });

  it('Check Setup, missing scope: the scope line fails with the fix', async () => {
    await api.credentials.store({ kind: 's2s', ...sim.s2s, clientId: NO_SCOPE_CLIENT_ID });
    const r = await check();
    assert.equal(lineOf(r, 'scope').status, 'fail');
    assert.match(lineOf(r, 'scope').fix ?? '', /Scopes page/);
  });

  it('Check Setup, no permission: the request line names plan and role', async () => {
    await api.credentials.store({ kind: 's2s', ...sim.s2s, clientId: NO_PERMISSION_CLIENT_ID });
    const r = await check();
    assert.equal(lineOf(r, 'request').status, 'fail');
    assert.match(lineOf(r, 'request').fix ?? '', /Pro plan or higher/);
  });

  it('Check Setup, bad client secret and bad account ID: the token line names the credential', async () => {
    await api.credentials.store({ kind: 's2s', ...sim.s2s, clientSecret: 'not-the-secret' });
    const secret = await check();
    assert.equal(lineOf(secret, 'token').status, 'fail');
    assert.match(lineOf(secret, 'token').detail, /client (ID|secret)/i);
    await api.credentials.store({ kind: 's2s', ...sim.s2s, accountId: 'not-the-account' });
    const account = await check();
    assert.equal(lineOf(account, 'token').status, 'fail');
    assert.match(lineOf(account, 'token').detail, /account ID/);
    // Picking the failed line signs in the account that was checked, not whichever is active then.
    const { fixAction } = await import('../../src/commands/checkSetup');
    assert.deepEqual(fixAction(lineOf(account, 'token'), api.accounts.active.id), {
      command: 'zoomOperationLogs.signInS2S',
      args: [{ account: api.accounts.active.id }],
    });
    assert.equal(fixAction(lineOf(account, 'request'), 'x'), undefined, 'a line that did not fail has nothing to fix');
  });

  it('Check Setup, rate-limited: the request line says rate limit', async () => {
    await api.credentials.store({ kind: 'token', token: sim.token });
    sim.script({ kind: '429', retryAfter: '1' });
    const r = await check();
    assert.equal(lineOf(r, 'request').status, 'fail');
    assert.match(lineOf(r, 'request').detail, /^Rate limit/);
  });

  it('Check Setup, unreachable: the request line says network', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await setSetting('apiBaseUrl', `http://127.0.0.1:${port}/v2`);
    try {
      await api.credentials.store({ kind: 'token', token: sim.token });
      const r = await check();
      assert.equal(lineOf(r, 'request').status, 'fail');
      assert.match(lineOf(r, 'request').detail, /^Network/);
    } finally {
      await setSetting('apiBaseUrl', sim.apiBaseUrl);
    }
  });
});
