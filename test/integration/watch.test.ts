// Watch (issue 10): entries a background sync adds show in the tree marked "new" until seen, two
// identical same-second entries as two; selecting one, or collapsing its date, marks them seen.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { CategoryNode, DateNode, EntryNode } from '../../src/views/nodes';
import { todayUtc } from '../../src/zoom';
import type { Simulator } from '../simulator';
import { archiveSetup, extensionApi, until } from './support/harness';

describe('Watch: background sync marks new entries in the tree until seen', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: Simulator;
  let done: () => Promise<void>;
  const today = todayUtc(Date.now());

  before(async () => {
    api = await extensionApi();
    ({ sim, done } = await archiveSetup(api, 'watch-account', { entries: 800, seed: 21 }));
  });
  after(() => done());

  async function userEntries(): Promise<{ date?: DateNode; entries: EntryNode[] }> {
    const cats = await api.view.getChildren(undefined);
    const user = cats.find((n): n is CategoryNode => n.kind === 'category' && n.log.category === 'user');
    assert.ok(user);
    await user.log.loadAll();
    const dates = (await api.view.getChildren(user)).filter((n): n is DateNode => n.kind === 'date');
    const date = dates.find((d) => d.key === today);
    if (!date) return { entries: [] };
    date.limit = Number.MAX_SAFE_INTEGER;
    const entries = (await api.view.getChildren(date)).filter((n): n is EntryNode => n.kind === 'entry');
    return { date, entries };
  }

  const isNew = (n: EntryNode): boolean => String(api.view.getTreeItem(n).description ?? '').startsWith('new · ');

  it('new entries are marked new after a background sync, and lose the mark when seen', async () => {
    const first = await vscode.commands.executeCommand<{ entriesFetched: number }>('zoomOperationLogs.syncArchive');
    assert.ok(first && first.entriesFetched > 0);
    await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: today, to: today, categories: ['user'] });
    const before = await userEntries();
    assert.ok(
      before.entries.every((n) => !isNew(n)),
      'nothing is new before a background sync',
    );

    // Zoom records three changes in the last minute: two identical ones in the same second.
    const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const added = [
      { time, operator: 'watch@acme.test', category_type: 'User', action: 'Update', operation_detail: 'Watch twice' },
      { time, operator: 'watch@acme.test', category_type: 'User', action: 'Update', operation_detail: 'Watch twice' },
      { time, operator: 'other@acme.test', category_type: 'User', action: 'Add', operation_detail: 'Watch once' },
    ];
    (sim.data as unknown as object[]).unshift(...added);

    const outcome = await api.archive.autoSync.tick();
    assert.equal(outcome.kind, 'synced');
    assert.equal(outcome.kind === 'synced' && outcome.result.added?.length, 3, 'the sync added exactly the three');

    // The tree is not reloaded under the user: a notice at the top offers the new entries.
    const notice = (await api.view.getChildren(undefined)).find((n) => n.kind === 'notice');
    assert.ok(notice && notice.kind === 'notice', 'a notice heads the tree');
    assert.match(notice.text, /archived 3 new entries in this range/);
    const click = api.view.getTreeItem(notice).command;
    assert.ok(click);
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));

    let now = await userEntries();
    await until('the tree shows the three new entries', async () => {
      now = await userEntries();
      return now.entries.filter(isNew).length === 3;
    });
    assert.deepEqual(
      now.entries
        .filter(isNew)
        .map((n) => n.entry.operationDetail)
        .sort(),
      ['Watch once', 'Watch twice', 'Watch twice'],
    );
    assert.equal(now.entries.length, before.entries.length + 3, 'each entry once, the duplicates twice');

    // Selecting one (a click, or the keyboard) has seen it.
    const once = now.entries.find((n) => n.entry.operationDetail === 'Watch once');
    assert.ok(once);
    await api.view.treeView.reveal(once, { select: true, focus: false });
    await until('the selected entry is no longer new', () => !isNew(once));
    assert.equal(now.entries.filter(isNew).length, 2);

    // Collapsing the date after it was shown has seen the rest.
    assert.ok(now.date);
    await api.view.treeView.reveal(now.date, { select: false, focus: false, expand: true });
    await vscode.commands.executeCommand('workbench.actions.treeView.zoomOperationLogs.logs.collapseAll');
    await until('nothing new left', async () => (await userEntries()).entries.filter(isNew).length === 0);
  });
});
