/** src/insights/query.ts: the filter syntax, parsed and applied to a generated set. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuery, QUERY_FIELDS, type QueryTerm } from '../../src/insights/query';
import { compileRules, type Finding } from '../../src/insights/rules';
import { parseDetail } from '../../src/insights/parse';
import { logEntry } from './support/helpers';
import type { OperationLogEntry } from '../../src/zoom/types';
import { HOSTILE_STRINGS, mulberry32 } from '../simulator/data';

function terms(q: string): QueryTerm[] {
  return parseQuery(q).terms.map((t) => ({ ...t }));
}

describe('Insights: parseQuery', () => {
  it('the example of the issue', () => {
    const q = parseQuery(
      'operator:jane action:Delete category:"User Settings" setting:passcode severity:high -detail:test free text',
    );
    assert.deepEqual(q.problems, []);
    assert.deepEqual(
      q.terms.map((t) => ({ ...t })),
      [
        { field: 'operator', value: 'jane', negated: false },
        { field: 'action', value: 'delete', negated: false },
        { field: 'category', value: 'user settings', negated: false },
        { field: 'setting', value: 'passcode', negated: false },
        { field: 'severity', value: 'high', negated: false },
        { field: 'detail', value: 'test', negated: true },
        { field: undefined, value: 'free', negated: false },
        { field: undefined, value: 'text', negated: false },
      ],
    );
  });

  const table: [string, QueryTerm[], number][] = [
    ['', [], 0],
    ['   ', [], 0],
    ['"two words"', [{ field: undefined, value: 'two words', negated: false }], 0],
    ['-"two words"', [{ field: undefined, value: 'two words', negated: true }], 0],
    ['-rule:two-factor', [{ field: 'rule', value: 'two-factor', negated: true }], 0],
    ['TARGET:Jane', [{ field: 'target', value: 'jane', negated: false }], 0],
    [
      'from:On to:Off',
      [
        { field: 'from', value: 'on', negated: false },
        { field: 'to', value: 'off', negated: false },
      ],
      0,
    ],
    [
      'co-owner -',
      [
        { field: undefined, value: 'co-owner', negated: false },
        { field: undefined, value: '-', negated: false },
      ],
      0,
    ],
    ['colour:red', [{ field: undefined, value: 'colour:red', negated: false }], 1],
    ['-colour:"dark red"', [{ field: undefined, value: 'colour:dark red', negated: true }], 1],
    ['operator:', [], 1],
    ['category:"User Settings', [{ field: 'category', value: 'user settings', negated: false }], 1],
    ['"', [], 1],
    ['detail:""', [{ field: 'detail', value: '', negated: false }], 0],
  ];
  for (const [q, want, problems] of table) {
    it(`parses ${JSON.stringify(q)}`, () => {
      const p = parseQuery(q);
      assert.deepEqual(terms(q), want);
      assert.equal(p.problems.length, problems, p.problems.join('\n'));
      assert.equal(p.empty, want.length === 0);
    });
  }

  it('an unknown field names the field and the fields there are', () => {
    assert.deepEqual(parseQuery('colour:red').problems, [
      `'colour' is not a filter field, so 'colour:red' is searched as text. Fields: ${QUERY_FIELDS.join(', ')}.`,
    ]);
  });

  it('an unclosed quote is searched as typed, and said, naming what was typed', () => {
    const q = parseQuery('operator:jane category:"User Settings severity:high');
    assert.deepEqual(q.problems, [
      `The quote in 'category:"User Settings severity:high' is not closed, so the phrase runs to the end of the filter; add the closing ".`,
    ]);
    assert.deepEqual(
      q.terms.map((t) => [t.field, t.value]),
      [
        ['operator', 'jane'],
        ['category', 'user settings severity:high'],
      ],
    );
    assert.ok(parseQuery(`"${'x'.repeat(100)}`).problems[0].includes(`'"${'x'.repeat(39)}…'`));
    assert.deepEqual(parseQuery('"closed" "two words"').problems, []);
  });

  it('never throws, on random and hostile input', () => {
    const e = entryOf('a@example.com', 'User', 'Update', 'Update User x@example.com  - A: from On to Off');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const q = parseQuery(s);
        assert.equal(typeof q.test(e), 'boolean');
      }),
      { numRuns: 2000, seed: 5 },
    );
    for (const h of HOSTILE_STRINGS) assert.equal(typeof parseQuery(h).test(e), 'boolean');
    assert.equal(parseQuery(undefined as unknown as string).empty, true);
    assert.ok(parseQuery('x'.repeat(5000)).problems[0].includes('longer than 2000'));
    const critical = parseQuery('severity:Critical -severity:HIGH');
    assert.deepEqual(critical.problems, [
      "No finding has the severity 'Critical'; write severity:high, severity:medium or severity:low.",
    ]);
    assert.equal(critical.terms.length, 2, 'kept: the filter matches what was typed, nothing');
  });
});

function entryOf(operator: string, categoryType: string, action: string, detail: string, i = 0): OperationLogEntry {
  return logEntry({ action, categoryType, detail, operator, ms: Date.UTC(2026, 10, 1) + i * 60_000 });
}

describe('Insights: a query keeps exactly the matching entries (generated set)', () => {
  const OPS = ['jane@example.com', 'JOHN@corp.example.org', 'helpdesk', 'mary-ann@it.example.com'];
  const CATS = ['User', 'User Settings', 'Account', 'User Group', 'Recording'];
  const ACTIONS = ['Update', 'Delete', 'Batch Update', 'SCIM API - Update', 'Add'];
  const DETAILS = [
    'Security  - Sign in with Two-Factor Authentication: from On to Off',
    'Security  - Require a passcode when scheduling new meetings: from Off to On',
    'Update User jane@example.com  - Job Title: set to Contractor - test: yes',
    'Change Role  - jane@example.com: from User to Co-Owner',
    'Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from On to Off',
    "Delete Recording 'Weekly Sync' (Meeting ID 812 1234 5678) of john@example.com",
    'Deactivate User mary-ann@example.com ',
  ];
  const rng = mulberry32(99);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const entries = Array.from({ length: 400 }, (_, i) =>
    entryOf(pick(OPS), pick(CATS), pick(ACTIONS), pick(DETAILS), i),
  );
  const { engine } = compileRules();
  const findings = new Map<OperationLogEntry, Finding[]>(entries.map((e) => [e, engine.check(e)]));

  /** The oracle: each field written out plainly, independent of query.ts. */
  function oracle(t: QueryTerm, e: OperationLogEntry): boolean {
    const v = t.value;
    const inc = (s: string | undefined): boolean => (s ?? '').toLowerCase().includes(v);
    const p = parseDetail(e.operationDetail);
    const fs = findings.get(e) ?? [];
    const ok = ((): boolean => {
      switch (t.field) {
        case 'operator':
          return inc(e.operator);
        case 'action':
          return inc(e.action);
        case 'category':
          return inc(e.categoryType) || inc(e.category);
        case 'detail':
          return inc(e.operationDetail);
        case 'target':
          return p.target !== undefined && inc(p.target.name);
        case 'setting':
          return p.changes.some((c) => inc(c.path.join(' > ')));
        case 'from':
          return p.changes.some((c) => c.from !== undefined && inc(c.from));
        case 'to':
          return p.changes.some((c) => {
            const to = c.to ?? c.setTo ?? c.value;
            return to !== undefined && inc(to);
          });
        case 'severity':
          return fs.some((f) => f.severity === v);
        case 'rule':
          return fs.some((f) => inc(f.ruleId) || inc(f.title));
        default:
          return inc(e.operator) || inc(e.action) || inc(e.operationDetail) || inc(e.categoryType);
      }
    })();
    return ok !== t.negated;
  }

  const VALUES = [
    'jane',
    'JOHN',
    'update',
    'delete',
    'user',
    '"user settings"',
    'passcode',
    'on',
    'off',
    'co-owner',
    'high',
    'medium',
    'low',
    'two-factor',
    'sales',
    'test',
    'contractor',
    '"Sign in"',
    'zzz',
    'example.com',
  ];
  const term = fc.tuple(
    fc.boolean(),
    fc.constantFrom<string | undefined>(undefined, ...QUERY_FIELDS),
    fc.constantFrom(...VALUES),
  );

  it('for random queries of up to four terms, every matching entry is kept and every other one dropped', () => {
    let kept = 0;
    let dropped = 0;
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 4 }), (ts) => {
        const text = ts.map(([neg, f, v]) => `${neg ? '-' : ''}${f ? `${f}:` : ''}${v}`).join(' ');
        const q = parseQuery(text);
        // The one problem these terms can have: a severity that is none of the three (it is still a term).
        const badSeverities = ts.filter(([, f, v]) => f === 'severity' && !['high', 'medium', 'low'].includes(v));
        assert.equal(q.problems.length, badSeverities.length, q.problems.join('\n'));
        assert.equal(q.terms.length, ts.length);
        for (const e of entries) {
          const want = q.terms.every((t) => oracle(t, e));
          assert.equal(q.test(e, undefined, findings.get(e)), want, `${text} on ${e.operationDetail}`);
          if (want) kept++;
          else dropped++;
        }
      }),
      { numRuns: 300, seed: 11 },
    );
    assert.ok(kept > 1000 && dropped > 1000, `${kept} kept, ${dropped} dropped`);
  });

  it('the issue example keeps exactly the entries a reader would pick', () => {
    const q = parseQuery('operator:jane category:"User Group" setting:passcode severity:high -detail:test');
    const got = entries.filter((e) => q.test(e, parseDetail(e.operationDetail), findings.get(e)));
    const want = entries.filter(
      (e) =>
        e.operator === 'jane@example.com' &&
        e.categoryType === 'User Group' &&
        e.operationDetail.startsWith('Edit Group Sales'),
    );
    assert.ok(want.length > 0);
    assert.deepEqual(got, want);
    // Without findings, severity: matches nothing.
    assert.equal(entries.filter((e) => q.test(e)).length, 0);
  });
});
