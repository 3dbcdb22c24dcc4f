// The operation-log tree inside VS Code against the simulator: sign-in, fetch,
// each tree level and the requests each expansion costs, load more, completing
// an incomplete date, filter, the entry webview, exports, failures as nodes.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { ExportResult } from '../../src/commands/export';
import { parseCsv } from '../../src/export/formats';
import type { CategoryNode, DateNode, EntryNode, LogTreeNode, MessageNode } from '../../src/views/nodes';
import type { EntryPanel } from '../../src/webview/entryPanel';
import { addDays, todayUtc, toRawEntry } from '../../src/zoom';
import type { Simulator } from '../simulator';
import {
  children,
  description,
  extensionApi,
  label,
  rawKey,
  reportRequests,
  resetSettings,
  simulatorForExtension,
  until,
} from './support/harness';

const SECRET_KEY = 'zoomOperationLogs.credentials';

describe('Operation-log tree against the simulator', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sim: Simulator;
  const today = todayUtc(Date.now());
  const from = addDays(today, -6);

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 3000 });
  });
  after(async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    await resetSettings();
    await sim.close();
  });

  /** Each test from the third on stands alone (a grep may run one): signed in with the token, whatever ran before. */
  async function signedIn(): Promise<void> {
    if ((await api.secrets.get(SECRET_KEY)) !== undefined) return;
    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token), true);
  }

  it('signs in with a token and with Server-to-Server OAuth, storing and clearing only SecretStorage', async () => {
    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.setToken', `  ${sim.token}  `), true);
    assert.deepEqual(
      JSON.parse((await api.secrets.get(SECRET_KEY)) ?? '{}'),
      { kind: 'token', token: sim.token },
      'trimmed token stored',
    );
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    assert.equal(await api.secrets.get(SECRET_KEY), undefined);

    const tokensBefore = sim.issuedTokens();
    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.signInS2S', sim.s2s), true);
    assert.equal(sim.issuedTokens(), tokensBefore + 1, 'credentials are checked with one token request');
    assert.deepEqual(JSON.parse((await api.secrets.get(SECRET_KEY)) ?? '{}'), { kind: 's2s', ...sim.s2s });
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    assert.equal(await api.secrets.get(SECRET_KEY), undefined);

    assert.equal(
      await vscode.commands.executeCommand('zoomOperationLogs.signInS2S', { ...sim.s2s, clientSecret: 'wrong-secret' }),
      false,
      'a refused secret is not stored',
    );
    assert.equal(await api.secrets.get(SECRET_KEY), undefined);
  });

  it('fetches a given range: one root node per category, no request yet, range in the description', async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token);
    sim.resetLog();
    assert.equal(
      await vscode.commands.executeCommand('zoomOperationLogs.fetch', {
        from,
        to: today,
        categories: ['account', 'user'],
      }),
      true,
    );
    const roots = await children(api);
    assert.deepEqual(
      roots.map((n) => label(api, n)),
      ['User', 'Account'],
      'fixed category order',
    );
    assert.equal(reportRequests(sim), 0, 'showing categories makes no request');
    assert.match(api.view.treeView.description ?? '', new RegExp(`${from} – ${today} · User, Account`));
    assert.equal(
      await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: '2020-01-01', to: today }),
      false,
      'out-of-horizon range refused',
    );
    assert.equal(reportRequests(sim), 0, 'refused before any request');
  });

  it('expanding a category costs one request and shows dates newest first with counts', async () => {
    await signedIn();
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', {
      from,
      to: today,
      categories: ['account', 'user'],
    });
    const [user] = (await children(api)) as CategoryNode[];
    sim.resetLog();
    const dates = await children(api, user);
    assert.equal(reportRequests(sim), 1, 'exactly one request');
    const expected = sim.expected({ from, to: today, category: 'user' });
    const dateNodes = dates.filter((n): n is DateNode => n.kind === 'date');
    assert.ok(dateNodes.length > 0);
    const keys = dateNodes.map((d) => d.key);
    assert.deepEqual(keys, [...keys].sort().reverse(), 'newest first');
    assert.match(label(api, dateNodes[0]), /^\d{4}-\d{2}-\d{2} (Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/);
    if (expected.length > 300) {
      assert.equal(dates[dates.length - 1].kind, 'loadMore', 'Load more while pages remain');
      assert.equal(description(api, user), '300+');
    } else {
      assert.equal(description(api, user), String(expected.length));
    }

    // The newest date is complete after the first page: no request, entries equal Zoom's.
    sim.resetLog();
    const newest = dateNodes[0];
    const entries = (await children(api, newest)) as EntryNode[];
    assert.equal(reportRequests(sim), 0, 'expanding the newest date makes no request');
    const want = expected.filter((e) => e.time.startsWith(newest.key)).map(rawKey);
    assert.deepEqual(
      entries.map((n) => rawKey(toRawEntry(n.entry))),
      want,
    );
    const item = api.view.provider.getTreeItem(entries[0]);
    assert.equal(item.command?.command, 'zoomOperationLogs.openEntry');
    assert.ok(item.tooltip instanceof vscode.MarkdownString && !item.tooltip.isTrusted && !item.tooltip.supportHtml);
  });

  it('Load more asks for one page; an incomplete date completes on expand', async () => {
    await signedIn();
    const from = addDays(today, -29);
    const expected = sim.expected({ from, to: today, category: 'user' });
    assert.ok(expected.length > 60, `enough data for three pages of 20 (${expected.length})`);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today, categories: ['user'] });
    const { setSetting } = await import('./support/harness');
    await setSetting('pageSize', 20);
    await until('session with page size 20', () => api.view.session?.options.pageSize === 20);
    const [user] = (await children(api)) as CategoryNode[];
    sim.resetLog();
    let kids = await children(api, user);
    assert.equal(reportRequests(sim), 1);
    assert.equal(user.log.total, 20);
    const more = kids.find((n) => n.kind === 'loadMore');
    assert.ok(more, 'Load more node');
    await vscode.commands.executeCommand('zoomOperationLogs.loadMore', user);
    assert.equal(reportRequests(sim), 2, 'one request per Load more');
    assert.ok(user.log.total > 20, 'the next page arrived');

    kids = await children(api, user);
    const dates = kids.filter((n): n is DateNode => n.kind === 'date');
    const oldest = dates[dates.length - 1];
    assert.ok(!user.log.isDateComplete(oldest.key), 'oldest loaded date is still incomplete');
    const before = reportRequests(sim);
    const entries = (await children(api, oldest)) as EntryNode[];
    assert.ok(reportRequests(sim) > before, 'completing the date fetched more pages');
    const want = expected.filter((e) => e.time.startsWith(oldest.key)).map(rawKey);
    assert.deepEqual(
      entries.filter((n) => n.kind === 'entry').map((n) => rawKey(toRawEntry(n.entry))),
      want,
      'the whole date, once each',
    );
    await setSetting('pageSize', 300);
  });

  it('filters loaded entries by text and shows the filter in the description', async () => {
    await signedIn();
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today, categories: ['user'] });
    const [user] = (await children(api)) as CategoryNode[];
    await children(api, user);
    const needle = user.log.allEntries()[0].operator.split('@')[0];
    await vscode.commands.executeCommand('zoomOperationLogs.filter', needle);
    assert.match(api.view.treeView.description ?? '', new RegExp(`filter: "${needle}"`));
    const dates = (await children(api, user)).filter((n): n is DateNode => n.kind === 'date');
    // Every loaded entry that holds the text is shown, and nothing else: the expectation is the
    // loaded entries filtered here by hand, not by the session's own matcher.
    const holds = (x: { operator: string; action: string; operationDetail: string }): boolean =>
      [x.operator, x.action, x.operationDetail].some((f) => f.toLowerCase().includes(needle.toLowerCase()));
    const want = user.log
      .allEntries()
      .filter(holds)
      .map((e) => rawKey(toRawEntry(e)))
      .sort();
    const others = user.log.allEntries().length - want.length;
    assert.ok(want.length > 0 && others > 0, `the filter keeps ${want.length} and hides ${others}`);
    const shown: string[] = [];
    for (const d of dates) {
      for (const e of (await children(api, d)) as EntryNode[]) shown.push(rawKey(toRawEntry(e.entry)));
    }
    assert.deepEqual(shown.sort(), want, 'shown = every loaded entry that holds the text, once each');
    assert.match(description(api, user), / of /);
    await vscode.commands.executeCommand('zoomOperationLogs.clearFilter');
    assert.doesNotMatch(api.view.treeView.description ?? '', /filter/);
  });

  it('opens the chosen entry in the webview', async () => {
    await signedIn();
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today, categories: ['user'] });
    const [user] = (await children(api)) as CategoryNode[];
    const [date] = (await children(api, user)).filter((n): n is DateNode => n.kind === 'date');
    const [entry] = (await children(api, date)) as EntryNode[];
    // The extension's own EntryPanel (this bundle has its own copy of the class).
    const panel = (await vscode.commands.executeCommand('zoomOperationLogs.openEntry', entry)) as EntryPanel;
    assert.equal(panel.panel.viewType, 'zoomOperationLogs.entry');
    const shown = await panel.whenShown();
    assert.deepEqual(shown, { time: entry.entry.time, action: entry.entry.action }, 'the page rendered this entry');
    assert.match(panel.panel.title, new RegExp(entry.entry.action));
    const html = panel.panel.webview.html;
    assert.equal((html.match(/Content-Security-Policy/g) ?? []).length, 1);
    assert.match(html, /default-src 'none'/);
    assert.ok(!html.includes(entry.entry.operator), 'entry data never goes into the HTML');
    panel.dispose();
  });

  it("exports the whole query as JSON and CSV equal to Zoom's data, newest first, once each", async () => {
    await signedIn();
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', {
      from,
      to: today,
      categories: ['user', 'account', 'billing'],
    });
    const want = ['user', 'account', 'billing'].flatMap((c) => sim.expected({ from, to: today, category: c }));
    const wantKeys = want.map(rawKey).sort();
    const json = (await vscode.commands.executeCommand('zoomOperationLogs.export', { format: 'json' })) as ExportResult;
    assert.equal(json.document!.languageId, 'json');
    const parsed = JSON.parse(json.document!.getText()) as Parameters<typeof rawKey>[0][];
    assert.deepEqual(parsed.map(rawKey).sort(), wantKeys);
    const times = parsed.map((e) => e.time);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');

    await vscode.workspace
      .getConfiguration('zoomOperationLogs')
      .update('csvFormulaGuard', false, vscode.ConfigurationTarget.Global);
    const csv = (await vscode.commands.executeCommand('zoomOperationLogs.export', { format: 'csv' })) as ExportResult;
    const rows = parseCsv(csv.document!.getText());
    assert.deepEqual(rows[0], ['time', 'operator', 'category_type', 'action', 'operation_detail']);
    assert.deepEqual(
      rows
        .slice(1)
        .map((r) => JSON.stringify(r))
        .sort(),
      wantKeys,
    );
    await vscode.workspace
      .getConfiguration('zoomOperationLogs')
      .update('csvFormulaGuard', undefined, vscode.ConfigurationTarget.Global);

    // Export of every category uses category_type=all.
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today });
    sim.resetLog();
    const all = (await vscode.commands.executeCommand('zoomOperationLogs.export', { format: 'json' })) as ExportResult;
    assert.equal(all.entries, sim.expected({ from, to: today, category: 'all' }).length);
    assert.ok(
      sim.requests.every((r) => r.query.category_type === 'all'),
      'one all-category query',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function messageUnderFirstCategory(): Promise<MessageNode> {
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today, categories: ['user'] });
    const [user] = (await children(api)) as CategoryNode[];
    const kids: LogTreeNode[] = await children(api, user);
    const msg = kids.find((n): n is MessageNode => n.kind === 'message');
    assert.ok(msg, `a message node, got ${kids.map((k) => k.kind).join(',')}`);
    return msg;
  }

  it('shows 401, 429 and 500 as message nodes that say what to do', async () => {
    await signedIn();
    sim.script(...Array.from({ length: 5 }, () => ({ kind: '429' as const, retryAfter: '0' })));
    let msg = await messageUnderFirstCategory();
    assert.equal(msg.error?.kind, 'rateLimit');
    let item = api.view.provider.getTreeItem(msg);
    assert.equal(item.command?.command, 'zoomOperationLogs.retry');
    // What the node says: the label is the first sentence, the tooltip the whole message.
    assert.equal(item.label, "Zoom's per-second rate limit was reached.");
    assert.equal(item.description, 'Retry');
    assert.match(String(item.tooltip), /try again in a minute, or lower "zoomOperationLogs\.maxRequestsPerSecond"/);
    assert.match(String(item.tooltip), /Gave up after \d+ attempts\./);

    sim.script(...Array.from({ length: 5 }, () => ({ kind: '500' as const })));
    msg = await messageUnderFirstCategory();
    assert.equal(msg.error?.kind, 'server');
    item = api.view.provider.getTreeItem(msg);
    assert.match(String(item.label), /^Zoom answered HTTP 500 with /);
    assert.equal(item.description, 'Retry');
    assert.match(String(item.tooltip), /Gave up after \d+ attempts\./);
    // Retrying (as clicking the node does) now succeeds.
    await vscode.commands.executeCommand('zoomOperationLogs.retry', msg.parent);
    const after = await children(api, msg.parent);
    assert.ok(
      after.some((n) => n.kind === 'date'),
      'retry loaded the page',
    );

    sim.revokeToken(sim.token);
    msg = await messageUnderFirstCategory();
    assert.equal(msg.error?.kind, 'auth');
    item = api.view.provider.getTreeItem(msg);
    assert.equal(item.command?.command, 'zoomOperationLogs.setToken');
    assert.equal(item.label, 'Zoom rejected the access token.');
    assert.equal(item.description, 'Set a new token');
    assert.match(String(item.tooltip), /Set a new token with "Zoom: Set Access Token"/);
    assert.ok(!String(item.tooltip).includes(sim.token), 'no token in messages');
  });
});

describe('Settings scopes', () => {
  it('keeps the base URLs application-scoped: a workspace value has no effect', async () => {
    const api = await extensionApi();
    const pkg = vscode.extensions.getExtension('zoom-oplogs.zoom-operation-logs')?.packageJSON as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.equal(pkg.contributes.configuration.properties['zoomOperationLogs.apiBaseUrl'].scope, 'application');
    assert.equal(pkg.contributes.configuration.properties['zoomOperationLogs.oauthBaseUrl'].scope, 'application');
    const before = api.zoom.currentSettings.apiBaseUrl;
    let wrote = true;
    try {
      await vscode.workspace
        .getConfiguration('zoomOperationLogs')
        .update('apiBaseUrl', 'https://attacker.example/v2', vscode.ConfigurationTarget.Workspace);
    } catch {
      wrote = false; // VS Code refuses to write application settings to a workspace
    }
    const { readSettings } = await import('../../src/config/settings');
    assert.equal(
      readSettings().apiBaseUrl,
      before,
      `workspace value ignored (write ${wrote ? 'accepted' : 'refused'})`,
    );
    if (wrote) {
      await vscode.workspace
        .getConfiguration('zoomOperationLogs')
        .update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
