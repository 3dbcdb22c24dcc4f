// The Findings view inside VS Code: Scan Range fills it with exactly what the rule engine finds in the
// simulator's data, its badge counts the high findings, clicking a finding opens the entry, a bad user rule
// is named (rule and field) while the other rules work, a trusted operator's findings drop one level, and
// entries loaded by expanding the tree are checked as they arrive.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScanResult } from '../../src/commands/findings';
import { COMMANDS } from '../../src/commands/ids';
import type { TestApi } from '../../src/extension';
import { BUILT_IN_RULES, compileRules, type Finding, type Severity } from '../../src/insights';
import type { EntryPanel } from '../../src/webview/entryPanel';
import type { FindingNode, FindingsTreeNode } from '../../src/views/findingsView';
import type { CategoryNode, DateNode, EntryNode } from '../../src/views/nodes';
import { addDays, todayUtc } from '../../src/zoom';
import { entriesFromRaw } from '../unit/support/helpers';
import type { Simulator } from '../simulator';
import {
  children,
  extensionApi,
  rawKey,
  recordMessages,
  reportRequests,
  resetSettings,
  setSetting,
  simulatorForExtension,
  until,
} from './support/harness';

const toEntries = entriesFromRaw;

function counts(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** Every finding node of the Findings view, through its provider (what VS Code asks for). */
function findingNodes(api: TestApi): FindingNode[] {
  const out: FindingNode[] = [];
  const walk = (n?: FindingsTreeNode): void => {
    for (const c of api.findings.getChildren(n)) {
      if (c.kind === 'finding') out.push(c);
      else walk(c);
    }
  };
  walk();
  return out;
}

/** The Findings view's counts per severity, as its severity nodes show them. */
function shownCounts(api: TestApi): Record<Severity, number> {
  const c: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const n of api.findings.getChildren()) {
    if (n.kind !== 'severity') continue;
    const item = api.findings.getTreeItem(n);
    c[n.group.severity] = Number(String(item.description).replace(/,/g, ''));
  }
  return c;
}

describe('Findings view', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: Simulator;
  let panel: EntryPanel | undefined;
  const today = todayUtc(Date.now());
  const from = addDays(today, -59);

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 3000 });
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setToken, sim.token), true);
  });
  /** The 60-day query of all categories, scanned, which the later tests read (each test stands alone: a grep may run one). */
  async function scannedRange(): Promise<void> {
    if (api.insights.scan && api.view.session?.query.from === from && api.view.session.query.categories.length > 1) {
      return;
    }
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today }), true);
    assert.ok(await vscode.commands.executeCommand<ScanResult>(COMMANDS.scanRange));
  }

  after(async () => {
    panel?.dispose();
    await vscode.commands.executeCommand(COMMANDS.signOut);
    await resetSettings();
    await sim.close();
  });

  it('entries loaded by expanding the tree are checked as they arrive (no scan)', async () => {
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today, categories: ['user'] }), true);
    const [user] = api.view.provider.categoryNodes as CategoryNode[];
    assert.equal(api.findings.getChildren().length, 0, 'nothing loaded, nothing found');
    sim.resetLog();
    await children(api, user);
    assert.equal(reportRequests(sim), 1, 'only the page the tree asked for');
    const loaded = user.log.allEntries();
    const { engine } = compileRules(BUILT_IN_RULES);
    const want = loaded.flatMap((e) => engine.check(e));
    assert.ok(want.length > 0, `the first page has findings (${loaded.length} entries)`);
    api.findings.update();
    assert.deepEqual(shownCounts(api), counts(want));
    assert.equal(findingNodes(api).length, want.length);
    assert.match(String(api.findings.treeView.message), /entries loaded so far/);

    // Flagged entries in the tree get a coloured icon; the label is the readable change.
    const dates = (await children(api, user)).filter((n): n is DateNode => n.kind === 'date');
    let coloured = 0;
    for (const d of dates) {
      for (const n of (await children(api, d)).filter((x): x is EntryNode => x.kind === 'entry')) {
        const icon = api.view.provider.getTreeItem(n).iconPath as vscode.ThemeIcon;
        const flagged = engine.check(n.entry).length > 0;
        assert.equal(!!icon.color, flagged, `icon colour of ${n.entry.operationDetail}`);
        if (flagged) coloured++;
      }
    }
    assert.ok(coloured > 0, 'some entries are coloured');
  });

  it('Scan Range fills it with what the engine finds in all of the range; the badge counts high findings', async () => {
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today }), true);
    sim.resetLog();
    const result = await vscode.commands.executeCommand<ScanResult>(COMMANDS.scanRange);
    assert.ok(result, 'the scan finished');
    const raw = sim.expected({ from, to: today });
    assert.equal(result.entries, raw.length, 'every entry of the range was checked');
    const { engine } = compileRules(BUILT_IN_RULES);
    const want = toEntries(raw).flatMap((e) => engine.check(e));
    assert.deepEqual(result.counts, counts(want), 'counts per severity = the engine over the simulator data');
    assert.deepEqual(shownCounts(api), counts(want), 'the view shows them');
    assert.ok(counts(want).high > 0, 'positive control: high findings exist');
    assert.equal(api.findings.treeView.badge?.value, counts(want).high, 'badge = high findings');
    assert.match(String(api.findings.treeView.message), /in all [\d,]+ entries of the range/);
    const shownKeys = findingNodes(api)
      .map(
        (n) =>
          `${n.finding.ruleId} ${rawKey({ ...n.entry, category_type: n.entry.categoryType, operation_detail: n.entry.operationDetail })}`,
      )
      .sort();
    const wantKeys = want
      .map(
        (f) =>
          `${f.ruleId} ${rawKey({ ...f.entry, category_type: f.entry.categoryType, operation_detail: f.entry.operationDetail })}`,
      )
      .sort();
    assert.deepEqual(shownKeys, wantKeys, 'the same findings, each once');
    const requests = reportRequests(sim);
    assert.ok(requests >= 2 && requests <= 20, `the scan's requests: ${requests}`);
  });

  it('a whole range loaded for Group By counts as a scan: the view shows it, and Scan Range asks Zoom nothing', async () => {
    const narrower = addDays(today, -20);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from: narrower, to: today }), true);
    const scan = () => api.insights.scan; // read anew each time (assert.equal would narrow the property to undefined)
    assert.equal(scan(), undefined, 'a new query has no scan');
    sim.resetLog();
    assert.equal(await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'operator', confirm: false }), true);
    const loadRequests = reportRequests(sim);
    assert.ok(loadRequests >= 1, 'the whole range came from Zoom');
    const raw = sim.expected({ from: narrower, to: today });
    assert.equal(scan()?.entries, raw.length, 'the Findings view counts every entry of the range');
    const { engine } = compileRules(BUILT_IN_RULES);
    const want = toEntries(raw).flatMap((e) => engine.check(e));
    assert.ok(want.length > 0, 'positive control: the range has findings');
    assert.deepEqual(shownCounts(api), counts(want), 'and shows what the engine finds in all of it');
    assert.match(String(api.findings.treeView.message), /in all [\d,]+ entries of the range/);
    const result = await vscode.commands.executeCommand<ScanResult>(COMMANDS.scanRange);
    assert.equal(result?.entries, raw.length);
    assert.deepEqual(result?.counts, counts(want));
    assert.equal(reportRequests(sim), loadRequests, 'the scan used the loaded range: no request');
    await vscode.commands.executeCommand(COMMANDS.groupBy, { by: 'category' });
  });

  it('clicking a finding opens its entry, with the findings and the changes', async () => {
    await scannedRange();
    const node = findingNodes(api).find((n) => n.finding.severity === 'high');
    assert.ok(node, 'a high finding');
    const item = api.findings.getTreeItem(node);
    assert.ok(item.command, 'clicking runs a command');
    assert.equal(item.command.command, COMMANDS.openEntry);
    // The command returns the panel (the test bundle has its own copy of EntryPanel's statics).
    panel = await vscode.commands.executeCommand<EntryPanel>(item.command.command, ...(item.command.arguments ?? []));
    assert.ok(panel, 'the entry panel is open');
    const shown = await panel.whenShown();
    assert.equal(shown.time, node.entry.time);
    assert.equal(shown.action, node.entry.action);
  });

  it('a bad user rule is named with its field; the other rules, built-in and user, keep working', async () => {
    await scannedRange();
    await setSetting('rules', [
      { id: 'broken', match: { text: '(unclosed' } },
      {
        id: 'my-recording-delete',
        title: 'Any recording deleted',
        severity: 'high',
        match: { text: '^Delete Recording' },
      },
    ]);
    await until('the rules are recompiled', () => api.insights.problems.length > 0);
    assert.match(api.insights.problems[0], /Rule 'broken': field 'text' is not a valid regular expression/);
    assert.match(api.insights.lastMessage ?? '', /Rule 'broken': field 'text'.*The other rules keep working\./);
    api.findings.update();
    const rules = new Set(findingNodes(api).map((n) => n.finding.ruleId));
    assert.ok(rules.has('my-recording-delete'), 'the good user rule works');
    assert.ok(rules.has('recording-deleted'), 'the built-ins work');
    assert.ok(!rules.has('broken'));
    await setSetting('rules', undefined);
    await until('the rules are back', () => api.insights.problems.length === 0);
  });

  it('a user pattern that backtracks on long details is switched off with a warning naming it', async function () {
    this.timeout(60_000);
    await setSetting('rules', [{ id: 'pass-off', severity: 'low', match: { text: 'Update.*passcode.*Off' } }]);
    await until('the rule is in force', () => api.insights.rules.some((r) => r.id === 'pass-off'));
    const [normal] = toEntries([
      {
        time: '2026-11-20T10:00:00Z',
        operator: 'a@example.com',
        category_type: 'Account',
        action: 'Update',
        operation_detail: 'Update Account  - passcode: from On to Off',
      },
    ]);
    assert.deepEqual(
      api.insights.findingsOf(normal).map((f) => f.ruleId),
      ['pass-off'],
    );
    // What an odd server could send: long details made of the pattern's own words, each a little different.
    const odd = toEntries(
      Array.from({ length: 100 }, (_, i) => ({
        time: `2026-11-20T10:${String(i % 60).padStart(2, '0')}:00Z`,
        operator: 'a@example.com',
        category_type: 'Account',
        action: 'Update',
        operation_detail: `${i} ${'Update passcode '.repeat(512)}`,
      })),
    );
    const shown = await recordMessages(async () => {
      for (const e of odd) {
        api.insights.findingsOf(e);
        if (api.insights.problems.length) break;
      }
    });
    assert.match(api.insights.problems[0] ?? '', /^Rule 'pass-off': its 'text' pattern spent \d+ ms/);
    assert.ok(
      shown.some((m) =>
        /Zoom finding rules: Rule 'pass-off'.*so it is off until the rules setting changes or the window reloads/.test(
          m.message,
        ),
      ),
      JSON.stringify(shown),
    );
    assert.deepEqual(
      api.insights.findingsOf({ ...normal }).map((f) => f.ruleId),
      [],
      'off for the rest of this engine',
    );
    await setSetting('rules', undefined);
    await until('the rules are back', () => api.insights.problems.length === 0);
  });

  it("a trusted operator's findings drop one severity level", async () => {
    await scannedRange();
    api.findings.update();
    const high = findingNodes(api).filter((n) => n.finding.severity === 'high');
    const operator = high.find((n) => n.entry.operator.includes('@'))?.entry.operator;
    assert.ok(operator, 'a high finding by an e-mail operator');
    const before = findingNodes(api).filter((n) => n.entry.operator === operator);
    await setSetting('trustedOperators', [operator.toUpperCase()]);
    await until('findings recomputed', () => api.insights.findings().some((f) => f.trusted));
    api.findings.update();
    const after = findingNodes(api).filter((n) => n.entry.operator === operator);
    assert.equal(after.length, before.length, 'the same findings');
    const lower: Record<Severity, Severity> = { high: 'medium', medium: 'low', low: 'low' };
    const key = (n: FindingNode): string => `${n.finding.ruleId}|${n.entry.time}|${n.entry.operationDetail}`;
    const was = new Map(before.map((n) => [key(n), n.finding.severity]));
    for (const n of after) {
      assert.equal(n.finding.trusted, true);
      assert.equal(n.finding.severity, lower[was.get(key(n)) ?? 'low'], key(n));
    }
    const othersHigh = findingNodes(api).filter((n) => n.finding.severity === 'high').length;
    assert.equal(api.findings.treeView.badge?.value ?? 0, othersHigh, 'the badge follows');
    await setSetting('trustedOperators', undefined);
  });

  it('Export Findings Report: Markdown with rule, severity, entry and what to check; CSV one row per finding', async () => {
    await scannedRange();
    const md = await vscode.commands.executeCommand<{ document: vscode.TextDocument; findings: number }>(
      COMMANDS.exportFindings,
      { format: 'markdown' },
    );
    assert.ok(md);
    const text = md.document.getText();
    assert.equal(md.findings, api.insights.findings().length);
    assert.match(text, /^# Zoom operation logs: audit findings/);
    assert.equal((text.match(/^### \d+\. /gm) ?? []).length, md.findings);
    assert.match(text, /- Rule: /);
    assert.match(text, /- Check: /);
    const csv = await vscode.commands.executeCommand<{ document: vscode.TextDocument; findings: number }>(
      COMMANDS.exportFindings,
      { format: 'csv' },
    );
    assert.ok(csv);
    const lines = csv.document.getText().split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'severity,rule,title,time,operator,category_type,action,operation_detail,check,trusted');
    assert.ok(lines.length - 1 >= csv.findings, 'a row per finding (cells may hold line breaks)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
