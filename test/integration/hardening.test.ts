// Hardening inside VS Code: canary secrets, a failing secret store, redirected
// or clear-text base URLs, the webview's policy, and fuzzed page messages.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/commands/export';
import type { TestApi } from '../../src/extension';
import type { CategoryNode, DateNode, EntryNode, MessageNode } from '../../src/views/nodes';
import type { EntryPanel } from '../../src/webview/entryPanel';
import { addDays, todayUtc } from '../../src/zoom';
import type { Simulator } from '../simulator';
import {
  children,
  extensionApi,
  reportRequests,
  resetSettings,
  setSetting,
  simulatorForExtension,
} from './support/harness';

const today = todayUtc(Date.now());
const from = addDays(today, -6);

async function firstCategoryChildren(api: TestApi) {
  await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today, categories: ['user'] });
  const [user] = (await children(api)) as CategoryNode[];
  return { user, kids: await children(api, user) };
}

function readTree(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((d) => {
      const p = path.join(dir, d.name);
      return d.isDirectory() ? readTree(p) : fs.readFileSync(p, 'utf8');
    })
    .join('\n');
}

describe('Hardening inside VS Code', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sim: Simulator;

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 1500, hostile: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    await resetSettings();
    await sim.close();
  });

  it('canary secrets appear in no log, export, setting, state, webview HTML or error message', async () => {
    const canaries = [
      sim.token,
      sim.s2s.clientSecret,
      sim.s2s.accountId,
      sim.s2s.clientId,
      'CANARY-wrong-secret-5f1c9a',
    ];
    const seen: string[] = [];
    // Token sign-in, fetch, export, an entry, then a rejected token.
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token);
    const { user } = await firstCategoryChildren(api);
    const date = (await children(api, user)).find((n): n is DateNode => n.kind === 'date');
    assert.ok(date);
    const [entry] = (await children(api, date)) as EntryNode[];
    const panel = (await vscode.commands.executeCommand('zoomOperationLogs.openEntry', entry)) as EntryPanel;
    await panel.whenShown();
    seen.push(panel.panel.webview.html);
    const exported = (await vscode.commands.executeCommand('zoomOperationLogs.export', {
      format: 'csv',
    })) as ExportResult;
    seen.push(exported.document!.getText());
    // S2S sign-in, a refused secret, an expired OAuth token (refresh + replay) and errors.
    await vscode.commands.executeCommand('zoomOperationLogs.signInS2S', {
      ...sim.s2s,
      clientSecret: 'CANARY-wrong-secret-5f1c9a',
    });
    await vscode.commands.executeCommand('zoomOperationLogs.signInS2S', sim.s2s);
    sim.expireAccessTokens();
    await firstCategoryChildren(api);
    sim.script({ kind: '500' }, { kind: '429', retryAfter: '0' });
    await firstCategoryChildren(api);
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token);
    sim.revokeToken(sim.token);
    const { kids } = await firstCategoryChildren(api);
    const msg = kids.find((n): n is MessageNode => n.kind === 'message');
    assert.ok(msg?.error, 'the revoked token gave a message node');
    seen.push(
      msg.text,
      String(api.view.provider.getTreeItem(msg).tooltip),
      String(api.view.provider.getTreeItem(msg).label),
    );
    seen.push(JSON.stringify(vscode.workspace.getConfiguration('zoomOperationLogs')));
    for (const k of api.context.globalState.keys()) seen.push(k, JSON.stringify(api.context.globalState.get(k)));
    for (const k of api.context.workspaceState.keys()) seen.push(k, JSON.stringify(api.context.workspaceState.get(k)));
    await new Promise((r) => setTimeout(r, 500)); // let the log channel flush to disk
    const logText = readTree(api.context.logUri.fsPath);
    assert.match(
      logText,
      /report\/operationlogs/,
      `the output channel log was found under ${api.context.logUri.fsPath}`,
    );
    seen.push(logText);
    const haystack = seen.join('\n');
    for (const c of canaries) assert.ok(!haystack.includes(c), `canary ${c.slice(0, 4)}… leaked`);
    console.log(`canary search: ${canaries.length} canaries in ${haystack.length} characters (log ${logText.length})`);
    panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a failing secret store gives an actionable message and writes nothing elsewhere', async () => {
    const { CredentialStore } = await import('../../src/auth/credentialStore');
    const failing: vscode.SecretStorage = {
      get: () => Promise.reject(new Error('no keyring')),
      store: (_k: string, v: string) => Promise.reject(new Error(`Cannot create an item in a locked collection: ${v}`)),
      delete: () => Promise.reject(new Error('no keyring')),
      onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
    };
    const store = new CredentialStore(failing);
    const settingsBefore = JSON.stringify(vscode.workspace.getConfiguration('zoomOperationLogs'));
    const stateBefore = api.context.globalState.keys().length;
    await assert.rejects(store.store({ kind: 'token', token: 'CANARY-token-77aa' }), (e: Error) => {
      assert.match(e.message, /secret storage/);
      assert.match(e.message, /keyring/);
      assert.ok(!e.message.includes('CANARY-token-77aa'), 'the secret is masked in the message');
      return true;
    });
    assert.equal(await store.get(), undefined, 'unreadable store counts as signed out');
    assert.equal(JSON.stringify(vscode.workspace.getConfiguration('zoomOperationLogs')), settingsBefore);
    assert.equal(api.context.globalState.keys().length, stateBefore);
    store.dispose();
  });

  it('refuses a clear-text http base URL that is not loopback, before sending the token', async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', 'token-for-url-test');
    await setSetting('apiBaseUrl', 'http://example.com/v2');
    sim.resetLog();
    const { kids } = await firstCategoryChildren(api);
    const msg = kids.find((n): n is MessageNode => n.kind === 'message');
    assert.equal(msg?.error?.kind, 'config');
    assert.match(msg.text, /https/);
    assert.equal(reportRequests(sim), 0);
    await setSetting('apiBaseUrl', sim.apiBaseUrl);
  });

  it('webview policy: one CSP, fresh nonce per render, media/ only, fuzzed page messages run nothing', async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', 'sim-demo-token-2');
    const entry = {
      kind: 'entry',
      entry: {
        time: '2026-11-20T10:00:00Z',
        timeMs: Date.parse('2026-11-20T10:00:00Z'),
        operator: 'a@example.com',
        categoryType: 'User',
        category: 'user',
        action: 'Update',
        operationDetail: '<img src=x onerror=alert(1)>',
      },
    };
    const nonces: string[] = [];
    let panel: EntryPanel | undefined;
    for (let i = 0; i < 2; i++) {
      panel = (await vscode.commands.executeCommand('zoomOperationLogs.openEntry', entry)) as EntryPanel;
      await panel.whenShown();
      const html = panel.panel.webview.html;
      assert.equal((html.match(/http-equiv="Content-Security-Policy"/g) ?? []).length, 1);
      assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|\son\w+=/i);
      const nonce = /'nonce-([^']+)'/.exec(html)?.[1] ?? '';
      assert.ok(Buffer.from(nonce, 'base64url').length >= 16, 'nonce of at least 128 bits');
      nonces.push(nonce);
      const roots = (panel.panel.webview.options.localResourceRoots ?? []).map((u) => u.path);
      assert.deepEqual(roots, [
        vscode.Uri.joinPath(vscode.extensions.getExtension('zoom-oplogs.zoom-operation-logs')!.extensionUri, 'media')
          .path,
      ]);
      assert.equal(panel.panel.webview.options.enableCommandUris, false);
      if (i === 0) panel.dispose();
    }
    assert.notEqual(nonces[0], nonces[1], 'a new nonce on every render');

    // 1,000 fuzzed messages: unknown types, prototype tricks, oversized values.
    assert.ok(panel);
    const editorsBefore = vscode.workspace.textDocuments.length;
    await vscode.env.clipboard.writeText('clipboard-sentinel');
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const shapes = [
      () => ({ type: `cmd${Math.floor(rnd() * 1e6)}` }),
      () => JSON.parse('{"__proto__": {"type": "copyJson"}}'),
      () => ({ type: 'command', command: 'workbench.action.terminal.new' }),
      () => ({ type: ['copyJson'] }),
      () => ({ type: 'shown', time: 'x'.repeat(3 * 1024 * 1024), action: 1 }),
      () => Object.create({ type: 'openAsDocument' }),
      () => 'copyJson',
      () => null,
      () => [{ type: 'copyJson' }],
      () => ({ type: 'constructor' }),
      () => ({ type: 'toString' }),
      () => rnd() * 1e9,
    ];
    for (let i = 0; i < 1000; i++) panel.receive(shapes[i % shapes.length]());
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(vscode.workspace.textDocuments.length, editorsBefore, 'no document was opened');
    assert.equal(await vscode.env.clipboard.readText(), 'clipboard-sentinel', 'nothing was copied');
    panel.dispose();
  });
});
