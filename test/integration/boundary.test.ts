// Inside VS Code against the simulator: the six-month boundary (Zoom refuses the oldest window of an
// allowed range: the tree, the view's message and the export say which days) and the "Other
// categories" node (categories outside the eleven, each under its display name, counts = export).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/commands/export';
import type { TestApi } from '../../src/extension';
import type { CategoryNode, DateNode, EntryNode, LogTreeNode, MessageNode, OthersNode } from '../../src/views/nodes';
import { addDays, horizonStart, monthWindows, todayUtc } from '../../src/zoom';
import type { SimEntry, Simulator } from '../simulator';
import { sixMonthsHorizon, ymd } from '../simulator/dates';
import {
  children,
  description,
  extensionApi,
  label,
  rawKey,
  resetSettings,
  simulatorForExtension,
  until,
} from './support/harness';

const DAY = 86_400_000;

/**
 * Sets the token and waits until the view has settled: SecretStorage echoes the change a moment
 * later and the view then shows its query again as a new session, which would replace one fetched
 * in between. Settled = the same session for 500 ms (bounded to 5 s).
 */
async function signIn(api: TestApi, token: string): Promise<void> {
  await vscode.commands.executeCommand('zoomOperationLogs.setToken', token);
  let id = api.view.session?.id;
  let since = Date.now();
  const end = Date.now() + 5000;
  while (Date.now() < end && Date.now() - since < 500) {
    await new Promise((r) => setTimeout(r, 25));
    if (api.view.session?.id !== id) {
      id = api.view.session?.id;
      since = Date.now();
    }
  }
  await until('signed in', () => api.view.session !== undefined);
}

/** Expands a node and presses Load more until it has no more pages (bounded). */
async function loadEverything(api: TestApi, node: CategoryNode | OthersNode): Promise<LogTreeNode[]> {
  let kids = await children(api, node);
  for (let i = 0; i < 200 && kids.some((n) => n.kind === 'loadMore'); i++) {
    await vscode.commands.executeCommand('zoomOperationLogs.loadMore', node);
    kids = await children(api, node);
  }
  assert.ok(!kids.some((n) => n.kind === 'loadMore'), 'every page loaded');
  return kids;
}

describe('Six-month boundary and categories outside the eleven, in the tree', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: Simulator | undefined;
  const today = todayUtc(Date.now());

  before(async () => {
    api = await extensionApi();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sim?.close();
    sim = undefined;
  });
  after(resetSettings);

  it('Zoom refusing the oldest window: the category keeps the rest and says which days Zoom refused; so do the view and the export', async () => {
    // Zoom's clock runs five days ahead of our estimate: it refuses the oldest window of a range we allow.
    const simNow = Date.now() + 5 * DAY;
    sim = await simulatorForExtension({ entries: 3000, seed: 12, now: simNow });
    await signIn(api, sim.token);
    const from = horizonStart(today);
    const zoomFrom = ymd(sixMonthsHorizon(simNow));
    const refused = monthWindows(from, today).filter((w) => w.from < zoomFrom);
    assert.ok(refused.length >= 1, 'the simulator refuses at least the oldest window');
    const firstDay = addDays(refused.map((w) => w.to).sort()[refused.length - 1], 1);
    const text = `Zoom returned nothing before ${firstDay}`;

    assert.equal(
      await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today, categories: ['user'] }),
      true,
    );
    const [user] = (await children(api)) as CategoryNode[];
    const kids = await loadEverything(api, user);
    assert.equal(user.log.error, undefined, 'nothing failed');
    const msg = kids.find((n): n is MessageNode => n.kind === 'message');
    assert.ok(msg, `a message node under the category, got ${kids.map((k) => k.kind).join(',')}`);
    assert.match(label(api, msg), new RegExp(text));
    assert.match(api.view.treeView.message ?? '', new RegExp(text), 'the view (what the fetch shows) says it too');

    // Every day Zoom answered for is in the tree and in the export.
    const want = sim.expected({ from: firstDay, to: today, category: 'user' }).map(rawKey).sort();
    assert.equal(user.log.total, want.length);
    const exported = (await vscode.commands.executeCommand('zoomOperationLogs.export', {
      format: 'json',
    })) as ExportResult;
    assert.ok(exported, 'the export finished');
    assert.equal(exported.refusedBefore, firstDay);
    assert.deepEqual((JSON.parse(exported.document!.getText()) as SimEntry[]).map(rawKey).sort(), want);

    // An all-categories export on a fresh query (category_type=all) says it too, and loses nothing else.
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today });
    const all = (await vscode.commands.executeCommand('zoomOperationLogs.export', {
      format: 'json',
    })) as ExportResult;
    assert.equal(all.refusedBefore, firstDay);
    assert.equal(all.entries, sim.expected({ from: firstDay, to: today }).length);
  });

  it('Other categories: one node per display name with counts that match an all-categories export', async () => {
    const from = addDays(today, -6);
    const cats = ['User', 'User Group', 'Account', 'Channels', 'Role', 'User Group', 'Zoom Rooms', 'User'];
    const data: SimEntry[] = Array.from({ length: 700 }, (_, i) => ({
      time: `${addDays(today, -(i % 7))}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:07Z`,
      operator: `admin${i % 5}@example.com`,
      category_type: cats[i % cats.length],
      action: i % 3 ? 'Update' : 'Add',
      operation_detail: i % 8 === 3 ? `Assign admin for channel Ops${i}  - jane@example.com` : `Edit Group G${i} `,
    }));
    sim = await simulatorForExtension({ data, now: Date.now() }, { pageSize: 100 });
    await signIn(api, sim.token);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today, categories: ['user'] });
    assert.ok(!(await children(api)).some((n) => n.kind === 'others'), 'not shown for a subset of categories');

    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today });
    const roots = await children(api);
    const others = roots.find((n): n is OthersNode => n.kind === 'others');
    assert.ok(others, 'Other categories node with every category selected');
    assert.equal(label(api, others), 'Other categories');
    assert.match(String(api.view.provider.getTreeItem(others).tooltip), /as many requests as exporting all categories/);
    sim.resetLog();
    await children(api, others);
    assert.equal(sim.count({ path: '/v2/report/operationlogs' }), 1, 'expanding it costs one page');
    const kids = await loadEverything(api, others);
    const names = kids.filter((n): n is CategoryNode => n.kind === 'category');
    assert.deepEqual(
      names.map((n) => label(api, n)),
      ['Channels', 'User Group'],
    );
    // Dates, then entries, under each display name.
    const [channels] = names;
    const dates = (await children(api, channels)).filter((n): n is DateNode => n.kind === 'date');
    assert.ok(dates.length > 0);
    const entries = (await children(api, dates[0])).filter((n): n is EntryNode => n.kind === 'entry');
    assert.ok(entries.length > 0 && entries.every((e) => e.entry.categoryType === 'Channels'));

    const exported = (await vscode.commands.executeCommand('zoomOperationLogs.export', {
      format: 'json',
    })) as ExportResult;
    const rows = JSON.parse(exported.document!.getText()) as SimEntry[];
    assert.equal(rows.length, data.length, 'the all-categories export holds every entry');
    for (const n of names) {
      const name = label(api, n);
      assert.equal(description(api, n), String(rows.filter((r) => r.category_type === name).length), name);
    }
    // Export... on the node itself.
    const mine = (await vscode.commands.executeCommand('zoomOperationLogs.exportNode', others, {
      format: 'csv',
    })) as ExportResult;
    assert.equal(mine.entries, data.filter((e) => ['Channels', 'User Group'].includes(e.category_type)).length);
  });
});
