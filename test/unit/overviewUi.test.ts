/**
 * The plain-Node parts of Group by, Search the whole range and the activity overview: the view's filter
 * (insights syntax + date:), what loading the whole range costs, the overview's model and its message
 * contract, and the group nodes' views. Against the simulator, checked with independently written filters.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collectQuery } from '../../src/export/collect';
import { groupBy, overview } from '../../src/insights';
import { LogSession } from '../../src/model/session';
import { builtInFindings } from '../../src/services/findingsSource';
import { compileFilter, termOf, withTerm } from '../../src/views/filterQuery';
import { GroupNode, NoticeNode } from '../../src/views/nodes';
import { groupDateView, groupView, noticeView } from '../../src/views/treeModel';
import { hasUnloadedPages, wholeRangeCost } from '../../src/views/wholeRangeModel';
import { buildOverviewModel, overviewTexts } from '../../src/webview/overviewModel';
import { fill, NONE_NAME, OVERVIEW_TEXT_KEYS, parseFromPage, parseToPage } from '../../src/webview/overviewProtocol';
import { format, setTranslator } from '../../src/l10n';
import { NONE } from '../../src/insights/aggregate';
import { addDays, CATEGORIES, monthWindows, todayUtc, type OperationLogEntry } from '../../src/zoom';
import { startSimulator, type Simulator } from '../simulator/index';
import { reportRequests, staticClient } from './support/helpers';

describe('Group by, whole-range search and the overview (plain Node)', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let session: LogSession;
  let entries: OperationLogEntry[];
  const findings = builtInFindings();

  before(async () => {
    sim = await startSimulator({ seed: 5, entries: 4000, rps: 0 });
    const client = staticClient(sim);
    const to = todayUtc(sim.clock.now());
    session = new LogSession(
      { from: addDays(to, -40), to, categories: [...CATEGORIES] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(client) },
    );
    const cost = wholeRangeCost(session);
    assert.equal(cost.queries, 1, 'every category selected: one all-categories query');
    assert.equal(cost.windows, monthWindows(session.query.from, to).length);
    sim.resetLog();
    entries = await collectQuery(session, client);
    assert.ok(reportRequests(sim) >= cost.minRequests, 'the estimate is a lower bound');
    assert.ok(entries.length > 500, `positive control: ${entries.length} entries`);
  });
  after(async () => {
    await sim.close();
  });

  const ctx = () => ({ dateKey: (ms: number) => session.keyer.dateKey(ms), findingsOf: findings.of });
  const lc = (s: string) => s.toLowerCase();

  it('the filter keeps exactly the entries each field names (checked against hand-written predicates)', () => {
    const e0 = entries[17];
    const op = e0.operator.slice(0, 6);
    const cases: [string, (e: OperationLogEntry) => boolean][] = [
      [`operator:${op}`, (e) => lc(e.operator).includes(lc(op))],
      ['action:delete', (e) => lc(e.action).includes('delete')],
      [
        'category:"User Settings"',
        (e) => lc(e.categoryType).includes('user settings') || e.category === 'user_settings',
      ],
      ['-detail:passcode', (e) => !lc(e.operationDetail).includes('passcode')],
      [
        'update -action:batch',
        (e) =>
          [e.operator, e.action, e.operationDetail, e.categoryType].some((f) => lc(f).includes('update')) &&
          !lc(e.action).includes('batch'),
      ],
      [
        `date:${session.keyer.dateKey(e0.timeMs)}`,
        (e) => session.keyer.dateKey(e.timeMs) === session.keyer.dateKey(e0.timeMs),
      ],
      [
        `-date:${session.keyer.dateKey(e0.timeMs).slice(0, 7)}`,
        (e) => !session.keyer.dateKey(e.timeMs).startsWith(session.keyer.dateKey(e0.timeMs).slice(0, 7)),
      ],
      ['severity:high', (e) => findings.of(e).some((f) => f.severity === 'high')],
    ];
    for (const [text, want] of cases) {
      const f = compileFilter(text, ctx());
      assert.deepEqual(f.problems, [], text);
      const got = entries.filter((e) => f.test(e));
      const expected = entries.filter(want);
      assert.ok(
        expected.length > 0 && expected.length < entries.length,
        `positive control for ${text}: ${expected.length}`,
      );
      assert.deepEqual(got, expected, text);
    }
  });

  it('a bad date term or an unknown field is reported, and the rest still filters', () => {
    const f = compileFilter('date:yesterday action:Add', ctx());
    assert.match(f.problems.join(' '), /'date:yesterday' is not a date; write it as date:2026-11-20/);
    assert.deepEqual(
      entries.filter((e) => f.test(e)),
      entries.filter((e) => lc(e.action).includes('add')),
    );
    assert.match(compileFilter('foo:bar', ctx()).problems.join(' '), /'foo' is not a filter field/);
    assert.equal(compileFilter('  ', ctx()).empty, true);
  });

  it('rule: a rule no id or title answers to is said, and still filters as typed; without the rules, nothing is said', () => {
    const withRules = { ...ctx(), rules: findings.rules };
    assert.deepEqual(compileFilter('rule:two-factor rule:"Recording deleted"', withRules).problems, []);
    const f = compileFilter('rule:no-such-rule', withRules);
    assert.deepEqual(f.problems, ["No rule's id or title contains 'no-such-rule'; the Findings view lists the rules."]);
    assert.equal(entries.filter((e) => f.test(e)).length, 0);
    assert.deepEqual(compileFilter('rule:no-such-rule', ctx()).problems, []);
    let asked = 0;
    const counting = { ...ctx(), rules: () => (asked++, findings.rules()) };
    compileFilter('action:add severity:high', counting);
    assert.equal(asked, 0, 'the rules are compiled only for a rule: term');
    compileFilter('rule:a -rule:b', counting);
    assert.equal(asked, 1, 'once per filter');
  });

  it('withTerm replaces the same field and keeps the rest; termOf quotes what needs it', () => {
    assert.equal(
      withTerm('date:2026-11-19 update', 'operator', 'jane@x.com'),
      'date:2026-11-19 update operator:jane@x.com',
    );
    assert.equal(withTerm('date:2026-11-19 -date:2026-11-01 update', 'date', '2026-11-20'), 'update date:2026-11-20');
    assert.equal(withTerm('category:"User Settings" x', 'category', 'Account'), 'x category:Account');
    assert.equal(termOf('target', 'Sales Team'), 'target:"Sales Team"');
    assert.equal(termOf('operator', 'a"b'), 'operator:ab');
  });

  it('whole-range cost counts only queries still missing', async () => {
    const client = staticClient(sim);
    const to = todayUtc(sim.clock.now());
    const two = new LogSession(
      { from: addDays(to, -40), to, categories: ['user', 'account'] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(client) },
    );
    const windows = monthWindows(two.query.from, to).length;
    assert.equal(wholeRangeCost(two).minRequests, 2 * windows);
    assert.equal(hasUnloadedPages(two), true);
    await two.logs.get('user')!.loadAll();
    assert.equal(wholeRangeCost(two).minRequests, windows, 'a fully loaded category is reused');
    await two.logs.get('account')!.loadAll();
    assert.equal(wholeRangeCost(two).minRequests, 0);
    assert.equal(hasUnloadedPages(two), false);
  });

  it('the overview model holds every day of the range, sums to the entries, and passes its own validation', () => {
    const all = findings.ofAll(entries);
    const model = buildOverviewModel(entries, all, {
      dateKey: (ms) => session.keyer.dateKey(ms),
      from: session.query.from,
      to: session.query.to,
      range: 'r',
    });
    assert.equal(model.days.length, 41, 'every day from `from` to `to`');
    assert.equal(model.days[0].date, session.query.from);
    assert.equal(
      model.days.reduce((n, d) => n + d.entries, 0),
      entries.length,
    );
    assert.equal(
      model.days.reduce((n, d) => n + d.byCategory.reduce((a, b) => a + b, 0), 0),
      entries.length,
    );
    assert.equal(
      model.days.reduce((n, d) => n + d.findings, 0),
      all.length,
    );
    assert.equal(model.totals.entries, entries.length);
    const byOp = groupBy(entries, 'operator');
    assert.deepEqual(model.topOperators[0], { name: byOp[0].name, count: byOp[0].count });
    // The same figures as insights' overview() (the model has its own faster pass).
    const ref = overview(entries, all, (ms) => session.keyer.dateKey(ms));
    assert.deepEqual(model.topOperators, ref.topOperators);
    assert.deepEqual(model.topActions, ref.topActions);
    assert.deepEqual(model.topTargets, ref.topTargets);
    assert.equal(model.totals.operators, ref.totals.operators);
    assert.deepEqual(
      [model.totals.high, model.totals.medium, model.totals.low],
      [ref.totals.findingsBySeverity.high, ref.totals.findingsBySeverity.medium, ref.totals.findingsBySeverity.low],
    );
    for (const d of ref.days) {
      const mine = model.days.find((x) => x.date === d.date)!;
      assert.equal(mine.entries, d.entries, d.date);
      assert.equal(mine.findings, d.findings, d.date);
      assert.deepEqual(
        Object.fromEntries(model.categories.map((c, i) => [c, mine.byCategory[i]]).filter(([, v]) => v)),
        { ...d.byCategory },
      );
    }
    const msg = JSON.parse(JSON.stringify({ type: 'show', model })) as unknown;
    assert.deepEqual(parseToPage(msg), { type: 'show', model });
  });

  it("the overview page's texts come from the extension, through the translator; (none) is insights' NONE", () => {
    try {
      setTranslator((m, ...a) => `«${format(m, a)}»`);
      const model = buildOverviewModel(entries.slice(0, 10), [], {
        dateKey: (ms) => session.keyer.dateKey(ms),
        from: session.query.from,
        to: session.query.to,
        range: 'r',
      });
      assert.deepEqual(Object.keys(model.texts).sort(), [...OVERVIEW_TEXT_KEYS].sort());
      assert.equal(model.title, '«Activity overview»');
      assert.equal(model.texts.topOperators, '«Top operators»');
      assert.equal(fill(model.texts.findingsDay, '2026-11-20', 3), '«2026-11-20: 3 findings»');
    } finally {
      setTranslator(undefined);
    }
    assert.equal(
      fill(overviewTexts().summary, 'r', 1, 2, 3, 4, 5, 6),
      'r · 1 entries by 2 operators · 3 findings (4 high, 5 medium, 6 low)',
    );
    assert.equal(fill('{0} and {1}', 'a'), 'a and {1}');
    assert.equal(NONE_NAME, NONE);
  });

  it('the overview protocol refuses malformed messages in both directions', () => {
    assert.deepEqual(parseFromPage({ type: 'filter', field: 'date', value: '2026-11-20' }), {
      type: 'filter',
      field: 'date',
      value: '2026-11-20',
    });
    assert.deepEqual(parseFromPage({ type: 'filter', field: 'operator', value: 'jane@x.com', extra: 1 }), {
      type: 'filter',
      field: 'operator',
      value: 'jane@x.com',
    });
    for (const bad of [
      null,
      'filter',
      [],
      { type: 'filter', field: 'date', value: 'tomorrow' },
      { type: 'filter', field: 'detail', value: 'x' },
      { type: 'filter', field: 'operator', value: '  ' },
      { type: 'filter', field: 'operator', value: 'x'.repeat(1001) },
      { type: 'filter', field: 'operator' },
      { type: 'rendered', days: -1, ms: 3 },
      JSON.parse('{"__proto__": {"x": 1}, "type": "ready"}'),
      { type: 'runCommand', command: 'workbench.action.quit' },
    ]) {
      assert.equal(parseFromPage(bad), undefined, JSON.stringify(bad));
    }
    const good = {
      type: 'show',
      model: {
        title: 't',
        texts: overviewTexts(),
        range: 'r',
        categories: ['User'],
        days: [{ date: '2026-11-20', byCategory: [2], entries: 2, findings: 0 }],
        topOperators: [{ name: 'a', count: 2 }],
        topActions: [],
        topTargets: [],
        totals: { entries: 2, findings: 0, high: 0, medium: 0, low: 0, operators: 1 },
      },
    };
    assert.ok(parseToPage(good));
    const broken = (f: (m: typeof good.model) => void) => {
      const copy = JSON.parse(JSON.stringify(good)) as typeof good;
      f(copy.model);
      return parseToPage(copy);
    };
    assert.equal(
      broken((m) => delete (m.texts as Partial<Record<string, string>>).summary),
      undefined,
      'every text of the page',
    );
    assert.equal(
      broken((m) => ((m.texts as unknown as Record<string, unknown>).none = 3)),
      undefined,
    );
    assert.equal(
      broken((m) => (m.days[0].byCategory = [1, 1])),
      undefined,
      'a column per category',
    );
    assert.equal(
      broken((m) => (m.days[0].date = '<b>')),
      undefined,
    );
    assert.equal(
      broken((m) => ((m.topOperators[0] as { count: unknown }).count = '2')),
      undefined,
    );
    assert.equal(
      broken((m) => ((m as { totals?: unknown }).totals = undefined)),
      undefined,
    );
  });

  it('group nodes show names, counts (visible of all under a filter), dates; a notice shows its action', () => {
    const [first] = groupBy(entries, 'action');
    const node = new GroupNode(session, 'action', first.name, first.entries);
    let v = groupView(node);
    assert.equal(v.label, first.name);
    assert.equal(v.description, String(first.count));
    assert.equal(v.contextValue, 'group action');
    const dates = [...node.dates().keys()];
    assert.deepEqual(dates, [...dates].sort().reverse(), 'dates newest first');
    const day = node.date(dates[0]);
    assert.equal(groupDateView(day).description, String(node.dates().get(dates[0])!.length));
    session.setFilter(`date:${dates[0]}`, compileFilter(`date:${dates[0]}`, ctx()).test);
    v = groupView(node);
    assert.equal(v.description, `${node.dates().get(dates[0])!.length} of ${first.count}`);
    session.setFilter('');
    const notice = noticeView(
      new NoticeNode(session, 'search', 'The filter searched only loaded entries. More.', {
        command: 'x.y',
        title: 'Search the whole range',
      }),
    );
    assert.equal(notice.label, 'The filter searched only loaded entries.');
    assert.deepEqual(notice.command, { command: 'x.y', title: 'Search the whole range', arguments: [] });
  });

  it('the extension bundle leaves the insights core to dist/insights.js, required on first use', () => {
    const root = path.resolve(__dirname, '../../..');
    const ext = fs.readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
    const lazy = fs.readFileSync(path.join(root, 'dist', 'insights.js'), 'utf8');
    // A built-in rule id and the filter parser's message live only in the lazy bundle.
    for (const marker of ['two-factor-off', 'is not a filter field']) {
      assert.ok(lazy.includes(marker), `dist/insights.js holds ${marker}`);
      assert.ok(!ext.includes(marker), `dist/extension.js does not hold ${marker}`);
    }
    assert.match(ext, /require\(["']\.\/insights\.js["']\)/);
  });
});
