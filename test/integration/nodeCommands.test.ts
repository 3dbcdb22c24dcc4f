// What the tree-node commands do, not only that they are registered: what the copy
// commands put on the clipboard, what Export... on a date exports, and which context-menu
// commands package.json offers on each kind of node (its `when` against the item's contextValue).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/commands/export';
import { COMMANDS, VIEW_ID } from '../../src/commands/ids';
import type { TestApi } from '../../src/extension';
import type { CategoryNode, DateNode, EntryNode, LogTreeNode, MessageNode } from '../../src/views/nodes';
import { addDays, todayUtc, toRawEntry } from '../../src/zoom';
import type { Simulator } from '../simulator';
import {
  children,
  EXTENSION_ID,
  extensionApi,
  rawKey,
  reportRequests,
  resetSettings,
  simulatorForExtension,
} from './support/harness';

interface MenuItem {
  command: string;
  when?: string;
}

/** The commands of a context menu whose `when` holds for an item of this view with this contextValue. */
function contextMenu(contextValue: string): string[] {
  const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
    contributes: { menus: Record<string, MenuItem[]> };
  };
  const holds = (when: string): boolean =>
    when.split('&&').every((clause) => {
      const c = clause.trim();
      if (c === `view == ${VIEW_ID}`) return true;
      const m = /^viewItem =~ \/(.+)\/$/.exec(c);
      assert.ok(m, `a clause this test understands: ${c}`);
      return new RegExp(m[1]).test(contextValue);
    });
  return [
    ...new Set(pkg.contributes.menus['view/item/context'].filter((i) => holds(i.when ?? '')).map((i) => i.command)),
  ].sort();
}

describe('Tree-node commands do what they say', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sim: Simulator;
  let user: CategoryNode;
  let date: DateNode;
  let entries: EntryNode[];
  const today = todayUtc(Date.now());
  const from = addDays(today, -6);

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 3000 });
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setToken, sim.token), true);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today, categories: ['user'] }), true);
    [user] = api.view.provider.categoryNodes;
    const dates = (await children(api, user)).filter((n): n is DateNode => n.kind === 'date');
    assert.ok(dates.length > 0, 'dates loaded');
    date = dates[0];
    entries = (await children(api, date)).filter((n): n is EntryNode => n.kind === 'entry');
    assert.ok(entries.length > 0, 'entries on the newest date');
  });
  after(async () => {
    await vscode.commands.executeCommand(COMMANDS.signOut);
    await resetSettings();
    await sim.close();
  });

  it("Copy as JSON puts the entry in Zoom's JSON shape on the clipboard", async () => {
    const entry = entries[0];
    await vscode.commands.executeCommand(COMMANDS.copyJson, entry);
    const copied = JSON.parse(await vscode.env.clipboard.readText()) as Parameters<typeof rawKey>[0];
    assert.deepEqual(copied, toRawEntry(entry.entry));
    const want = sim.expected({ from, to: today, category: 'user' }).map(rawKey);
    assert.ok(want.includes(rawKey(copied)), "it is one of Zoom's entries, field for field");
  });

  it('Copy Operator and Copy Detail put exactly that field on the clipboard', async () => {
    const entry = entries[entries.length - 1];
    await vscode.commands.executeCommand(COMMANDS.copyOperator, entry);
    assert.equal(await vscode.env.clipboard.readText(), entry.entry.operator);
    await vscode.commands.executeCommand(COMMANDS.copyDetail, entry);
    assert.equal(await vscode.env.clipboard.readText(), entry.entry.operationDetail);
    assert.ok(entry.entry.operationDetail.length > 0, 'the simulator sends a detail');
  });

  it('the copy commands copy nothing when given something other than an entry', async () => {
    for (const id of [COMMANDS.copyJson, COMMANDS.copyOperator, COMMANDS.copyDetail]) {
      for (const arg of [undefined, user, date, 'entry']) {
        await vscode.env.clipboard.writeText('clipboard-sentinel');
        try {
          await vscode.commands.executeCommand(id, arg);
        } catch {
          // a malformed argument may throw; what matters is the clipboard
        }
        assert.equal(await vscode.env.clipboard.readText(), 'clipboard-sentinel', `${id} with ${String(arg)}`);
      }
    }
  });

  it('Export... on a date exports that date of that category, without a request when the date is loaded', async () => {
    sim.resetLog();
    const r = (await vscode.commands.executeCommand(COMMANDS.exportNode, date, { format: 'json' })) as ExportResult;
    assert.equal(reportRequests(sim), 0, 'the newest date was complete already');
    const got = (JSON.parse(r.document!.getText()) as Parameters<typeof rawKey>[0][]).map(rawKey);
    const want = sim
      .expected({ from, to: today, category: 'user' })
      .filter((e) => e.time.startsWith(date.key))
      .map(rawKey);
    assert.deepEqual([...got].sort(), [...want].sort(), 'that date, each entry once');
    assert.equal(r.entries, want.length);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("each node's context menu offers the commands that apply to it", async () => {
    const item = (n: LogTreeNode): string => api.view.provider.getTreeItem(n).contextValue ?? '';
    assert.deepEqual(contextMenu(item(entries[0])), [COMMANDS.copyDetail, COMMANDS.copyJson, COMMANDS.copyOperator]);
    assert.deepEqual(contextMenu(item(user)), [COMMANDS.exportNode]);
    assert.deepEqual(contextMenu(item(date)), [COMMANDS.exportNode]);

    // A failure that retrying can fix gets the inline Retry button, and Retry loads the page.
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today, categories: ['user'] }), true);
    const [fresh] = api.view.provider.categoryNodes;
    sim.script(...Array.from({ length: 5 }, () => ({ kind: '500' as const })));
    const msg = (await children(api, fresh)).find((n): n is MessageNode => n.kind === 'message');
    assert.ok(msg?.error, 'a failure node');
    assert.deepEqual(contextMenu(item(msg)), [COMMANDS.retry]);
    await vscode.commands.executeCommand(COMMANDS.retry, msg.parent);
    assert.ok((await children(api, fresh)).some((n) => n.kind === 'date'));
  });
});
