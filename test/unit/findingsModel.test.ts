/**
 * The Findings view's plain model (src/views/findingsModel.ts) and what the demo's data shows in it:
 * the simulator data `npm run demo` serves (seed 1, 20,000 entries) holds an entry each built-in rule flags
 * wherever a real example of that change exists.
 */
import assert from 'node:assert/strict';
import { BUILT_IN_RULES, compileRules, type Finding } from '../../src/insights';
import { countBySeverity, findingsMessage, groupFindings } from '../../src/views/findingsModel';
import { entriesFromRaw } from './support/helpers';
import { generateEntries } from '../simulator/data';
import { PARSED_COLUMNS } from '../../src/commands/parsedColumns';
import { CSV_HEADER, formatEntries, parseCsv } from '../../src/export/formats';

const entries = entriesFromRaw;

/** Built-in rules no published real entry shows (the notes' "What real entries look like"). */
const NO_REAL_EXAMPLE = new Set([
  'webinar-passcode-off',
  'password-length-lowered',
  'role-assigned-privileged',
  'authenticated-join-off',
  'information-barrier-changed',
]);

describe('Findings model and the demo data', () => {
  const demo = entries(generateEntries({ seed: 1, count: 20000, now: Date.UTC(2026, 10, 26, 12) }));
  const { engine } = compileRules(BUILT_IN_RULES, [], ['*@it.example.com']);
  const findings: Finding[] = demo.flatMap((e) => engine.check(e));

  it('the demo data has an entry for every built-in rule with a real example', () => {
    const fired = new Set(findings.map((f) => f.ruleId));
    const missing = BUILT_IN_RULES.map((r) => r.id).filter((id) => !fired.has(id) && !NO_REAL_EXAMPLE.has(id));
    assert.deepEqual(missing, [], 'rules with a real example that flag nothing in the demo');
    assert.ok(findings.length > 100, `findings in the demo: ${findings.length}`);
  });

  it('groups by severity (high first, empty left out), then rule (most first), newest first inside', () => {
    const groups = groupFindings(findings);
    assert.deepEqual(
      groups.map((g) => g.severity),
      ['high', 'medium', 'low'],
    );
    const counts = countBySeverity(findings);
    for (const g of groups) {
      assert.equal(g.count, counts[g.severity]);
      assert.equal(
        g.rules.reduce((n, r) => n + r.findings.length, 0),
        g.count,
      );
      for (let i = 1; i < g.rules.length; i++) assert.ok(g.rules[i - 1].findings.length >= g.rules[i].findings.length);
      for (const r of g.rules) {
        for (const f of r.findings) assert.equal(f.severity, g.severity);
        for (let i = 1; i < r.findings.length; i++) {
          assert.ok(r.findings[i - 1].entry.timeMs >= r.findings[i].entry.timeMs);
        }
      }
    }
    assert.deepEqual(groupFindings([]), []);
    const lowOnly = findings.filter((f) => f.severity === 'low').slice(0, 3);
    assert.deepEqual(
      groupFindings(lowOnly).map((g) => g.severity),
      ['low'],
    );
  });

  it('the message says where findings come from', () => {
    assert.equal(findingsMessage(0, 0, false, undefined), undefined);
    assert.equal(
      findingsMessage(3, 1200, false, 'Last 7 days'),
      '3 findings in the 1,200 entries loaded so far. Scan the range to check all of it.',
    );
    assert.equal(
      findingsMessage(1, 20000, true, '2026-11-01 to 2026-11-26', '2026-06-01'),
      '2026-11-01 to 2026-11-26: 1 finding in all 20,000 entries of the range. Zoom returned nothing before 2026-06-01.',
    );
  });
});

describe('Exports with parsed columns', () => {
  it("adds target, setting, from, to and every change after Zoom's fields, in CSV and JSON", () => {
    const [e] = entries([
      {
        time: '2026-11-20T10:02:00Z',
        operator: 'admin@example.com',
        category_type: 'Account',
        action: 'Update',
        operation_detail:
          'Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off',
      },
    ]);
    const csv = parseCsv(formatEntries([e], 'csv', { formulaGuard: true, extra: PARSED_COLUMNS }));
    assert.deepEqual(csv[0], [...CSV_HEADER, 'target', 'setting', 'from', 'to', 'changes']);
    assert.deepEqual(csv[1].slice(0, 5), [
      '2026-11-20T10:02:00Z',
      'admin@example.com',
      'Account',
      'Update',
      e.operationDetail,
    ]);
    assert.deepEqual(csv[1].slice(5), [
      '',
      'Sign-In Password Requirement > Have at least specified length of characters',
      '8',
      '14',
      'Sign-In Password Requirement > Have at least specified length of characters: 8 → 14; Sign-In Password Requirement > Include at least 1 letter: On → Off',
    ]);
    const json = JSON.parse(formatEntries([e], 'json', { formulaGuard: true, extra: PARSED_COLUMNS })) as Record<
      string,
      string
    >[];
    assert.deepEqual(Object.keys(json[0]), [
      'time',
      'operator',
      'category_type',
      'action',
      'operation_detail',
      'target',
      'setting',
      'from',
      'to',
      'changes',
    ]);
    assert.equal(json[0].to, '14');
    const short = { names: ['a', 'b'], values: () => ['1'] };
    assert.deepEqual(
      JSON.parse(formatEntries([e], 'json', { formulaGuard: true, extra: short }))[0].b,
      '',
      'a column without a value is empty, in JSON as in CSV',
    );
    assert.deepEqual(parseCsv(formatEntries([e], 'csv', { formulaGuard: true, extra: short }))[1].slice(5), ['1', '']);
    assert.equal(
      formatEntries([e], 'csv', { formulaGuard: true }).split('\r\n')[0],
      CSV_HEADER.join(','),
      'off by default',
    );
  });
});
