// The tree under a faulty network, a body that is not a Zoom page, and a date
// with 10,000 entries, inside VS Code against the simulator.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/commands/export';
import type { TestApi } from '../../src/extension';
import type { CategoryNode, DateNode, EntryNode, LogTreeNode, MessageNode } from '../../src/views/nodes';
import { horizonStart, todayUtc, toRawEntry } from '../../src/zoom';
import type { SimEntry, Simulator } from '../simulator';
import { children, extensionApi, rawKey, resetSettings, simulatorForExtension } from './support/harness';

const today = todayUtc(Date.now());

/** Every entry the tree shows under a category (all dates, all chunks). */
async function treeEntries(api: TestApi, category: CategoryNode): Promise<string[]> {
  const keys: string[] = [];
  for (const d of (await children(api, category)).filter((n): n is DateNode => n.kind === 'date')) {
    let kids: LogTreeNode[];
    while ((kids = await children(api, d)).some((n) => n.kind === 'showMore')) {
      await vscode.commands.executeCommand('zoomOperationLogs.loadMore', d);
    }
    for (const e of kids.filter((n): n is EntryNode => n.kind === 'entry')) keys.push(rawKey(toRawEntry(e.entry)));
  }
  return keys;
}

function sorted(list: string[]): string[] {
  return [...list].sort();
}

describe('Faults, bad bodies and big dates in the tree', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: Simulator | undefined;

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

  it('with 20% of responses failing, the export and the tree hold every entry exactly once', async () => {
    sim = await simulatorForExtension({ entries: 10_000, seed: 11 });
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token);
    const from = horizonStart(today);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to: today });
    sim.setFaultRate(0.2, ['500', '502', '503', '429', 'reset', 'truncated'], { retryAfter: '1' });
    sim.resetLog();

    const want = sorted(sim.expected({ from, to: today }).map(rawKey));
    const exported = (await vscode.commands.executeCommand('zoomOperationLogs.export', {
      format: 'json',
    })) as ExportResult;
    assert.ok(exported, 'the export finished');
    const got = (JSON.parse(exported.document!.getText()) as SimEntry[]).map(rawKey);
    assert.deepEqual(sorted(got), want, 'export: each entry exactly once');

    // The tree: every category fully loaded through its own paging (Export... on the node), and
    // "Other categories" (every category is selected) for the categories outside the eleven.
    const inTree: string[] = [];
    for (const c of await children(api)) {
      if (c.kind !== 'category' && c.kind !== 'others') continue;
      const r = (await vscode.commands.executeCommand('zoomOperationLogs.exportNode', c, { format: 'json' })) as
        ExportResult | undefined;
      assert.ok(r, `${c.kind === 'category' ? c.log.category : 'other categories'} loaded`);
      if (c.kind === 'category') inTree.push(...(await treeEntries(api, c)));
      else {
        for (const n of (await children(api, c)).filter((k): k is CategoryNode => k.kind === 'category')) {
          inTree.push(...(await treeEntries(api, n)));
        }
      }
    }
    assert.deepEqual(sorted(inTree), want, 'tree: each entry exactly once, categories outside the eleven included');
    const faults = sim.requests.filter((r) => r.status !== 200).length;
    console.log(
      `faults: ${sim.requests.length} requests, ${faults} non-200 (+ truncated bodies), ${got.length} exported and ${inTree.length} tree entries compared`,
    );
    sim.setFaultRate(0, []);
  });

  it('a body that is not a Zoom page becomes a message node; Retry, or collapsing and expanding, recovers', async () => {
    sim = await simulatorForExtension({ entries: 500 });
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { preset: 'last30Days', categories: ['user'] });
    // Well-formed bodies of the wrong shape are final after one request (only cut-off bodies are retried);
    // a missing/null operation_logs or non-object entries are no longer errors (empty page, skipped items).
    for (const body of ['{"operation_logs": "none"}', '<html><body>Bad gateway</body></html>', '[1, 2]']) {
      sim.script({ kind: 'garbage' as const, body });
      await vscode.commands.executeCommand('zoomOperationLogs.refresh');
      const [user] = (await children(api)) as CategoryNode[];
      const msg = (await children(api, user)).find((n): n is MessageNode => n.kind === 'message');
      assert.equal(msg?.error?.kind, 'badResponse', body);
      assert.match(msg.text, /not a valid operation-logs page/);
      if (body.startsWith('<')) {
        // Collapsing a failed node forgets the failure; expanding it again asks Zoom again.
        api.view.provider.forgetError(user);
      } else {
        await vscode.commands.executeCommand('zoomOperationLogs.retry', user);
      }
      assert.ok(
        (await children(api, user)).some((n) => n.kind === 'date'),
        'retry loads the page',
      );
    }
  });

  it('a date with 10,000 entries shows them in chunks of 1,000', async () => {
    const now = Date.now();
    const start = Date.parse(`${today}T00:00:00Z`);
    const span = Math.max(1, now - start - 1000);
    const data: SimEntry[] = Array.from({ length: 10_000 }, (_, i) => ({
      time: new Date(now - 1000 - Math.floor((span * i) / 10_000)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      operator: `admin${i % 7}@example.com`,
      category_type: 'User',
      action: 'Update',
      operation_detail: `Update User user${i}@example.com - Department: from 'A' to 'B'`,
    }));
    sim = await simulatorForExtension({ data });
    await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { preset: 'today', categories: ['user'] });
    const [user] = (await children(api)) as CategoryNode[];
    const [date] = (await children(api, user)).filter((n): n is DateNode => n.kind === 'date');
    const t0 = Date.now();
    let kids = await children(api, date);
    const loadMs = Date.now() - t0;
    assert.equal(user.log.entries(date.key).length, 10_000, 'the whole date loaded');
    assert.equal(kids.filter((n) => n.kind === 'entry').length, 1000);
    assert.equal(kids[kids.length - 1].kind, 'showMore');
    const t1 = Date.now();
    await vscode.commands.executeCommand('zoomOperationLogs.loadMore', date);
    kids = await children(api, date);
    const showMoreMs = Date.now() - t1;
    assert.equal(kids.filter((n) => n.kind === 'entry').length, 2000);
    console.log(
      `10,000-entry date: loaded in ${loadMs} ms (${sim.requests.length} requests), next 1,000 rows in ${showMoreMs} ms`,
    );
  });
});
