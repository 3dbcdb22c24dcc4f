// Group by, the filter syntax over the whole range, and the activity overview's messages, inside VS Code
// against the simulator: what the tree shows is compared with the simulator's own data.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/commands/ids';
import type { TestApi } from '../../src/extension';
import type { EntryNode, GroupNode, LogTreeNode, NoticeNode } from '../../src/views/nodes';
import type { OverviewPanel } from '../../src/webview/overviewPanel';
import { addDays, monthWindows, todayUtc, toRawEntry } from '../../src/zoom';
import type { Simulator } from '../simulator';
import type { SimEntry } from '../simulator/data';
import {
  children,
  extensionApi,
  label,
  rawKey,
  recordMessages,
  reportRequests,
  resetSettings,
  simulatorForExtension,
  until,
} from './support/harness';

/** Every entry under the given nodes, following groups and dates (bounded by the tree's size). */
async function entriesUnder(api: TestApi, nodes: LogTreeNode[]): Promise<string[]> {
  const out: string[] = [];
  const queue = [...nodes];
  for (let guard = 0; queue.length && guard < 100_000; guard++) {
    const n = queue.shift()!;
    if (n.kind === 'entry') out.push(rawKey(toRawEntry((n as EntryNode).entry)));
    else if (n.kind === 'group' || n.kind === 'groupDate') queue.push(...(await children(api, n)));
    else if (n.kind === 'showMore') assert.fail('a date longer than one chunk: the test data should be smaller');
  }
  return out.sort();
}

const lc = (s: string) => s.toLowerCase();

describe('Group by, the filter syntax and the activity overview', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: Simulator;
  const today = todayUtc(Date.now());
  const from = addDays(today, -20);
  let expected: SimEntry[];

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 3000 });
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setToken, sim.token), true);
    expected = sim.expected({ from, to: today });
    assert.ok(expected.length > 300, `positive control: more than one page (${expected.length})`);
  });
  after(async () => {
    await vscode.commands.executeCommand(COMMANDS.clearFilter);
    await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'category' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(COMMANDS.signOut);
    await resetSettings();
    await sim.close();
  });

  /** A fresh query of the range, ungrouped, unfiltered (each test starts from here). */
  async function fetchRange(opts: { keepGrouping?: boolean } = {}): Promise<void> {
    if (!opts.keepGrouping) {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'category' }), true);
    }
    await vscode.commands.executeCommand(COMMANDS.clearFilter);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today }), true);
  }

  it('groups by operator from the whole range: one node per operator, counts and entries equal the simulator', async () => {
    await fetchRange();
    sim.resetLog();
    assert.equal(await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'operator', confirm: false }), true);
    assert.ok(reportRequests(sim) >= 1, 'the whole range was fetched');
    const roots = (await children(api)) as GroupNode[];
    assert.ok(roots.every((n) => n.kind === 'group'));
    const want = new Map<string, number>();
    for (const e of expected) want.set(e.operator || '(none)', (want.get(e.operator || '(none)') ?? 0) + 1);
    assert.deepEqual(new Map(roots.map((g) => [label(api, g), g.entries.length])), want);
    const counts = roots.map((g) => g.entries.length);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
      'most entries first',
    );
    // One group's tree: dates newest first, then exactly that operator's entries.
    const top = roots[0];
    const dates = await children(api, top);
    const keys = dates.map((d) => label(api, d));
    assert.deepEqual(keys, [...keys].sort().reverse());
    assert.deepEqual(
      await entriesUnder(api, [top]),
      expected
        .filter((e) => (e.operator || '(none)') === label(api, top))
        .map(rawKey)
        .sort(),
    );

    // Other groupings reuse the loaded range: no request.
    sim.resetLog();
    for (const by of ['action', 'target', 'category']) {
      assert.equal(await vscode.commands.executeCommand(COMMANDS.groupBy, { by }), true, by);
      const groups = (await children(api)) as GroupNode[];
      assert.equal(
        groups.reduce((n, g) => n + g.entries.length, 0),
        expected.length,
        `${by}: every entry once`,
      );
    }
    assert.equal(reportRequests(sim), 0, 'regrouping makes no request');
    const byAction = new Set(expected.map((e) => e.action));
    assert.equal(await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'action' }), true);
    assert.deepEqual(new Set((await children(api)).map((n) => label(api, n))), byAction);
  });

  it('a new query while grouped shows a notice that says the cost and loads the range when clicked', async () => {
    // Grouped by action (as the test before leaves it; each test stands alone: a grep may run one).
    await fetchRange();
    assert.equal(await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'action', confirm: false }), true);
    await fetchRange({ keepGrouping: true });
    const windows = monthWindows(from, today).length;
    const roots = await children(api);
    assert.equal(roots.length, 1);
    const notice = roots[0] as NoticeNode;
    assert.equal(notice.kind, 'notice');
    assert.match(
      label(api, notice),
      new RegExp(`^Grouping by action needs the whole range from Zoom \\(at least ${windows} requests?\\)\\.`),
    );
    const item = api.view.provider.getTreeItem(notice);
    assert.equal(item.command?.command, COMMANDS.groupBy);
    sim.resetLog();
    assert.equal(await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? [])), true);
    assert.ok(reportRequests(sim) >= windows);
    assert.ok((await children(api)).every((n) => n.kind === 'group'));
    assert.equal(await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'category' }), true);
  });

  it('the filter syntax shows every matching entry of the whole range and no other', async () => {
    await fetchRange();
    const [user] = api.view.provider.categoryNodes;
    await children(api, user); // one page loaded; the rest is on Zoom
    const counts = new Map<string, number>();
    for (const e of expected) counts.set(e.operator, (counts.get(e.operator) ?? 0) + 1);
    const busiest = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const filter = `action:update -operator:"${busiest}" -detail:passcode`;
    assert.equal(await vscode.commands.executeCommand(COMMANDS.filter, filter), undefined);
    const roots = await children(api);
    const notice = roots[0] as NoticeNode;
    assert.equal(notice.kind, 'notice', 'pages remain: the filter says it saw only loaded entries');
    assert.equal(api.view.provider.getTreeItem(notice).command?.command, COMMANDS.searchWholeRange);

    sim.resetLog();
    assert.equal(await vscode.commands.executeCommand(COMMANDS.searchWholeRange, { confirm: false }), true);
    assert.ok(reportRequests(sim) >= 1);
    const want = expected
      .filter(
        (e) =>
          lc(e.action).includes('update') &&
          !lc(e.operator).includes(lc(busiest)) &&
          !lc(e.operation_detail).includes('passcode'),
      )
      .map(rawKey)
      .sort();
    assert.ok(want.length > 10, `positive control: ${want.length} matches`);
    const shown = await children(api);
    assert.ok(
      shown.every((n) => n.kind === 'group'),
      'whole range loaded: no notice any more',
    );
    assert.deepEqual(await entriesUnder(api, shown), want);
    assert.match(api.view.treeView.message ?? '', /showing entries of the whole range matching/);

    // A filter nothing matches says so.
    await vscode.commands.executeCommand(COMMANDS.filter, 'operator:nobody-at-all-xyz');
    const none = await children(api);
    assert.equal(none.length, 1);
    assert.match(label(api, none[0]), /No entry of the whole range matches/);
    // A severity that is none of the three: the filter is applied as typed, and a warning says why nothing matches.
    const warned = await recordMessages(() => vscode.commands.executeCommand(COMMANDS.filter, 'severity:critical'));
    assert.deepEqual(warned, [
      {
        level: 'showWarningMessage',
        message: "No finding has the severity 'critical'; write severity:high, severity:medium or severity:low.",
      },
    ]);
    assert.match(label(api, (await children(api))[0]), /No entry of the whole range matches/);
    // So does a rule no rule in use answers to (the rules come from the Findings service, user rules included).
    const unknownRule = await recordMessages(() =>
      vscode.commands.executeCommand(COMMANDS.filter, 'rule:no-such-rule'),
    );
    assert.deepEqual(
      unknownRule.map((m) => m.message),
      ["No rule's id or title contains 'no-such-rule'; the Findings view lists the rules."],
    );
    assert.deepEqual(
      await recordMessages(() => vscode.commands.executeCommand(COMMANDS.filter, 'rule:two-factor')),
      [],
    );
    await vscode.commands.executeCommand(COMMANDS.clearFilter);
  });

  it("the overview renders the range, validates the page's messages, and a day or operator click filters the tree", async () => {
    await fetchRange();
    sim.resetLog();
    const panel = await vscode.commands.executeCommand<OverviewPanel | undefined>(COMMANDS.showOverview, {
      confirm: false,
    });
    assert.ok(panel, 'the overview opened');
    const rendered = await panel.whenRendered();
    assert.equal(rendered.days, 21, 'one bar per day of the range');
    assert.ok(reportRequests(sim) >= 1);
    // The range the overview loaded is a scan of it: the Findings view agrees with the overview's figures.
    assert.equal(api.insights.scan?.entries, expected.length, 'the Findings view counts the whole range');
    assert.match(String(api.findings.treeView.message), /in all [\d,]+ entries of the range/);

    // A day: the tree shows exactly that day's entries.
    const day = expected[5].time.slice(0, 10);
    assert.deepEqual(panel.receive({ type: 'filter', field: 'date', value: day }), {
      type: 'filter',
      field: 'date',
      value: day,
    });
    assert.equal(api.view.session?.filter, `date:${day}`);
    assert.equal(api.insights.scan?.entries, expected.length, 'a filter keeps the scan of the range');
    assert.deepEqual(
      await entriesUnder(api, await children(api)),
      expected
        .filter((e) => e.time.startsWith(day))
        .map(rawKey)
        .sort(),
    );

    // Then an operator: both terms apply.
    const op = expected.find((e) => e.time.startsWith(day))!.operator;
    panel.receive({ type: 'filter', field: 'operator', value: op });
    assert.equal(api.view.session?.filter, `date:${day} operator:${op}`);
    assert.deepEqual(
      await entriesUnder(api, await children(api)),
      expected
        .filter((e) => e.time.startsWith(day) && lc(e.operator).includes(lc(op)))
        .map(rawKey)
        .sort(),
    );

    // Invalid messages change nothing.
    for (const bad of [
      { type: 'filter', field: 'date', value: 'not-a-day' },
      { type: 'filter', field: 'detail', value: 'x' },
      { type: 'runCommand', command: COMMANDS.signOut },
      'filter',
    ]) {
      assert.equal(panel.receive(bad), undefined);
    }
    assert.equal(api.view.session?.filter, `date:${day} operator:${op}`);
    panel.dispose();
  });

  it('a new query after a filtered whole range: the message names the new range, the filter stays, the scan is gone', async () => {
    await fetchRange();
    const panel = await vscode.commands.executeCommand<OverviewPanel | undefined>(COMMANDS.showOverview, {
      confirm: false,
    });
    assert.ok(panel);
    await panel.whenRendered();
    const day = expected[5].time.slice(0, 10);
    panel.receive({ type: 'filter', field: 'date', value: day });
    assert.match(String(api.view.treeView.message), /showing entries of the whole range matching "date:/);
    assert.ok(api.insights.scan, 'the loaded range counts as a scan');

    const wider = addDays(today, -29);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from: wider, to: today }), true);
    await until('the view describes the new query', () =>
      String(api.view.treeView.message).startsWith(`${wider} – ${today} (UTC dates)`),
    );
    assert.match(String(api.view.treeView.message), new RegExp(`showing loaded entries matching "date:${day}"`));
    assert.equal(api.view.session?.filter, `date:${day}`, 'the filter is kept for the new query');
    assert.equal(api.insights.scan, undefined, 'the old range is no scan of the new one');
    await until('the Findings view starts over', () => api.findings.shown.length === 0);
    assert.equal(
      api.findings.treeView.message,
      '0 findings in the 0 entries loaded so far. Scan the range to check all of it.',
    );
    panel.dispose();
  });
});
