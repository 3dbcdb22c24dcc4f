/** src/insights/parse.ts: every real shape of the notes, the quirks, random strings, round trips, bounded time. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDetail, parsedOf, summarize, type Change, type ParsedDetail } from '../../src/insights/parse';
import { HOSTILE_STRINGS, HUGE_STRING } from '../simulator/data';
import type { OperationLogEntry } from '../../src/zoom/types';

/** A change without its undefined keys, for readable deepEqual. */
function plain(c: Change): Partial<Change> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Partial<Change>;
}

function check(
  detail: string,
  want: { target?: ParsedDetail['target']; verb?: string; section?: string; changes: Partial<Change>[] },
): ParsedDetail {
  const p = parseDetail(detail);
  assert.equal(p.raw, detail);
  assert.deepEqual(p.target, want.target, 'target');
  assert.equal(p.verb, want.verb, 'verb');
  assert.equal(p.section, want.section, 'section');
  assert.deepEqual(p.changes.map(plain), want.changes, 'changes');
  return p;
}

describe('Insights: parseDetail on the real entries of the notes', () => {
  it('Security  - Sign in with Two-Factor Authentication: from On to Off (two spaces before " - ")', () => {
    check('Security  - Sign in with Two-Factor Authentication: from On to Off', {
      section: 'Security',
      changes: [{ path: ['Security', 'Sign in with Two-Factor Authentication'], from: 'On', to: 'Off' }],
    });
  });
  it('the three other Security settings', () => {
    for (const setting of [
      'Require that all meetings are secured with one security option',
      'Require a passcode when scheduling new meetings',
      'Automatically sign users out after a specified time',
    ]) {
      check(`Security  - ${setting}: from On to Off`, {
        section: 'Security',
        changes: [{ path: ['Security', setting], from: 'On', to: 'Off' }],
      });
    }
  });
  it('Sign-in Methods (hyphen in the section) - Allow users to sign in with Google: from Off to On', () => {
    check('Sign-in Methods  - Allow users to sign in with Google: from Off to On', {
      section: 'Sign-in Methods',
      changes: [{ path: ['Sign-in Methods', 'Allow users to sign in with Google'], from: 'Off', to: 'On' }],
    });
  });
  it('Sign-In Password Requirement: two chained changes', () => {
    check(
      'Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off',
      {
        section: 'Sign-In Password Requirement',
        changes: [
          {
            path: ['Sign-In Password Requirement', 'Have at least specified length of characters'],
            from: '8',
            to: '14',
          },
          { path: ['Sign-In Password Requirement', 'Include at least 1 letter'], from: 'On', to: 'Off' },
        ],
      },
    );
  });
  it('Change Role  - jane@example.com: from User to Co-Owner (hyphen in the value; the user is the target)', () => {
    check('Change Role  - jane@example.com: from User to Co-Owner', {
      target: { kind: 'user', name: 'jane@example.com' },
      verb: 'Change Role',
      section: 'Change Role',
      changes: [{ path: ['Change Role', 'jane@example.com'], from: 'User', to: 'Co-Owner' }],
    });
  });
  it('Edit User jane@example.com  - Change Type: from Basic to Licensed (SCIM API - Update)', () => {
    check('Edit User jane@example.com  - Change Type: from Basic to Licensed', {
      target: { kind: 'user', name: 'jane@example.com' },
      verb: 'Edit User',
      changes: [{ path: ['Change Type'], from: 'Basic', to: 'Licensed' }],
    });
  });
  it('Update User jane@example.com  - Job Title: set to Contractor', () => {
    check('Update User jane@example.com  - Job Title: set to Contractor', {
      target: { kind: 'user', name: 'jane@example.com' },
      verb: 'Update User',
      changes: [{ path: ['Job Title'], setTo: 'Contractor' }],
    });
  });
  it('Add User jane@example.com  - User Type: Basic - Department: Sales (plain values)', () => {
    check('Add User jane@example.com  - User Type: Basic - Department: Sales', {
      target: { kind: 'user', name: 'jane@example.com' },
      verb: 'Add User',
      changes: [
        { path: ['User Type'], value: 'Basic' },
        { path: ['Department'], value: 'Sales' },
      ],
    });
  });
  it('Activate / Deactivate User jane@example.com (trailing space, no changes)', () => {
    for (const verb of ['Activate', 'Deactivate']) {
      check(`${verb} User jane@example.com `, {
        target: { kind: 'user', name: 'jane@example.com' },
        verb: `${verb} User`,
        changes: [],
      });
    }
  });
  it('Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from On to Off', () => {
    check('Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from On to Off', {
      target: { kind: 'group', name: 'Sales' },
      verb: 'Edit Group',
      changes: [{ path: ['Personal Meeting ID (PMI) Passcode'], from: 'On', to: 'Off' }],
    });
  });
  it('Add Group Engineers; Edit Group Recruiting (nothing after the name: the Panther helper bug)', () => {
    check('Add Group Engineers', { target: { kind: 'group', name: 'Engineers' }, verb: 'Add Group', changes: [] });
    check('Edit Group Recruiting ', { target: { kind: 'group', name: 'Recruiting' }, verb: 'Edit Group', changes: [] });
  });
  it('Assign admin for channel Ops  - jane@example.com (a bare value)', () => {
    check('Assign admin for channel Ops  - jane@example.com', {
      target: { kind: 'channel', name: 'Ops' },
      verb: 'Assign admin',
      changes: [{ path: [], value: 'jane@example.com' }],
    });
  });
  it('Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New (empty set to)', () => {
    check('Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New', {
      target: { kind: 'channel', name: 'Ops' },
      verb: 'Update Channel',
      changes: [
        { path: ['Cloud Storage Retention'], setTo: '' },
        { path: ['Name'], from: 'Old', to: 'New' },
      ],
    });
  });
});

describe('Insights: parseDetail quirks', () => {
  it('embedded JSON arrays and objects stay one value, even with " - " and ": " inside', () => {
    check(
      'Update User jane@example.com  - assistant: [{"id":"a - b","email":"x-y@ex-ample.com"}] - userId: ["u1", "u2"]',
      {
        target: { kind: 'user', name: 'jane@example.com' },
        verb: 'Update User',
        changes: [
          { path: ['assistant'], value: '[{"id":"a - b","email":"x-y@ex-ample.com"}]' },
          { path: ['userId'], value: '["u1", "u2"]' },
        ],
      },
    );
    check('Update User jane@example.com  - options: {"a": {"b": "c - d"}, "e": [1, 2]} - Dept: X', {
      target: { kind: 'user', name: 'jane@example.com' },
      verb: 'Update User',
      changes: [
        { path: ['options'], value: '{"a": {"b": "c - d"}, "e": [1, 2]}' },
        { path: ['Dept'], value: 'X' },
      ],
    });
  });
  it('an unclosed bracket is not JSON: the separators after it still split', () => {
    check('Update User jane@example.com  - Note: [draft - Dept: X', {
      target: { kind: 'user', name: 'jane@example.com' },
      verb: 'Update User',
      changes: [
        { path: ['Note'], value: '[draft' },
        { path: ['Dept'], value: 'X' },
      ],
    });
  });
  it('hyphens inside names, e-mails and values are not separators; negative numbers neither', () => {
    check(
      'Update User mary-ann.o-neil@corp-example.org  - Display Name: from Mary-Ann to Mary-Ann O-Neil - Quota: from 5 to -1',
      {
        target: { kind: 'user', name: 'mary-ann.o-neil@corp-example.org' },
        verb: 'Update User',
        changes: [
          { path: ['Display Name'], from: 'Mary-Ann', to: 'Mary-Ann O-Neil' },
          { path: ['Quota'], from: '5', to: '-1' },
        ],
      },
    );
  });
  it("the simulator's quoted values and single-space separators", () => {
    check("Update User Settings maria.khan@example.com - Waiting Room: from 'On' to 'Off'", {
      target: { kind: 'user', name: 'maria.khan@example.com' },
      verb: 'Update User Settings',
      changes: [{ path: ['Waiting Room'], from: 'On', to: 'Off' }],
    });
    check("Delete Recording 'Weekly Sync' (Meeting ID 812 1234 5678) of a@example.com", {
      target: { kind: 'recording', name: 'Weekly Sync' },
      verb: 'Delete Recording',
      changes: [],
    });
  });
  it('verbs and nouns in any case; a noun must be a whole word', () => {
    check('update user jane@example.com  - Job Title: set to X', {
      target: { kind: 'user', name: 'jane@example.com' },
      verb: 'Update User',
      changes: [{ path: ['Job Title'], setTo: 'X' }],
    });
    check('BATCH UPDATE USER GROUP Sales', {
      target: { kind: 'group', name: 'Sales' },
      verb: 'Batch Update User Group',
      changes: [],
    });
    check('Update Username  - A: B', {
      section: 'Update Username',
      changes: [{ path: ['Update Username', 'A'], value: 'B' }],
    });
    check('Update the Zoom Room HQ-3F Boardroom  - Location: from A to B', {
      target: { kind: 'room', name: 'HQ-3F Boardroom' },
      verb: 'Update Zoom Room',
      changes: [{ path: ['Location'], from: 'A', to: 'B' }],
    });
  });
  it('empty from and to, and "set to" with nothing at the very end', () => {
    check('Security  - Something: from  to On - Other: set to', {
      section: 'Security',
      changes: [
        { path: ['Security', 'Something'], from: '', to: 'On' },
        { path: ['Security', 'Other'], setTo: '' },
      ],
    });
  });
  it('unknown shapes: no changes, raw kept', () => {
    for (const s of ['', ' ', 'hello world', 'Sign In', '- - -', '{"a": 1}', '[1, 2]', 'from On to Off']) {
      const p = parseDetail(s);
      assert.equal(p.raw, s);
      assert.deepEqual(p.changes, [], s);
    }
  });
  /** An entry around a detail. */
  const base = {
    time: '2026-11-20T10:00:00Z',
    timeMs: Date.parse('2026-11-20T10:00:00Z'),
    operator: 'admin@example.com',
    categoryType: 'User',
    category: 'user',
    action: 'Update',
  };
  it('accepts an entry, and parsedOf caches per entry object', () => {
    const e: OperationLogEntry = {
      ...base,
      operationDetail: 'Update User jane@example.com  - Job Title: set to Contractor',
    };
    assert.deepEqual(parseDetail(e), parseDetail(e.operationDetail));
    assert.equal(parsedOf(e), parsedOf(e));
    assert.equal(parsedOf({ ...e }).raw, e.operationDetail);
  });
  it('parsedOf shares one parse among entries with the same detail, and copes with odd entries', () => {
    // Equal text from two different strings (as two pages' JSON gives them): one parsed object.
    const text = 'Update User shared@example.com  - Department: from Sales to HR';
    const a: OperationLogEntry = { ...base, operationDetail: text };
    const b: OperationLogEntry = { ...base, operationDetail: JSON.parse(JSON.stringify(text)) as string };
    assert.equal(parsedOf(a), parsedOf(b));
    assert.deepEqual(parsedOf(a), parseDetail(text));
    // Another detail: another parse, with its own values.
    const c: OperationLogEntry = { ...base, operationDetail: text.replace('HR', 'Legal') };
    assert.notEqual(parsedOf(c), parsedOf(a));
    assert.equal(parsedOf(c).changes[0].to, 'Legal');
    // Longer than the shared size: parsed per entry, still right.
    const long = `Update User long@example.com  - Notes: set to ${'x'.repeat(2000)}`;
    const d: OperationLogEntry = { ...base, operationDetail: long };
    const e: OperationLogEntry = { ...base, operationDetail: (' ' + long).slice(1) };
    assert.notEqual(parsedOf(d), parsedOf(e));
    assert.deepEqual(parsedOf(d), parsedOf(e));
    // A detail that is not a string, or a getter that throws: an empty parse, never an exception.
    const odd = { ...base, operationDetail: 42 } as unknown as OperationLogEntry;
    assert.equal(parsedOf(odd).raw, '');
    const hostile = Object.defineProperty({ ...base }, 'operationDetail', {
      get() {
        throw new Error('no');
      },
    }) as OperationLogEntry;
    assert.deepEqual(parsedOf(hostile).changes, []);
  });
  it('never throws on hostile values, including a missing detail', () => {
    for (const s of HOSTILE_STRINGS) {
      assert.equal(parseDetail(s).raw, s);
      assert.equal(parseDetail(`Update User ${s}  - ${s}: from ${s} to ${s}`).raw.length > 0, true);
    }
    assert.equal(parseDetail({ operationDetail: undefined } as unknown as OperationLogEntry).raw, '');
    assert.equal(parseDetail(null as unknown as string).raw, '');
  });
});

describe('Insights: parseDetail properties', () => {
  it('random strings never throw and keep raw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const p = parseDetail(s);
        assert.equal(p.raw, s);
        assert.ok(Array.isArray(p.changes));
        assert.equal(typeof summarize(p), 'string');
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
  it('random strings built from the separators and brackets never throw and keep raw', () => {
    const piece = fc.constantFrom(
      ' - ',
      '  - ',
      ': ',
      'from ',
      ' to ',
      'set to',
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      'a',
      'User ',
      'Update ',
      '-',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const s = parts.join('');
        const p = parseDetail(s);
        assert.equal(p.raw, s);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  // Values for round trips: no ` - ` (a separator), no quotes or brackets, no leading/trailing blanks.
  const chars = fc.constantFrom(...'abcXYZ019 -.@_/(),+&'.split(''));
  const text = (min: number): fc.Arbitrary<string> =>
    fc
      .array(chars, { minLength: min, maxLength: 20 })
      .map((cs) =>
        cs
          .join('')
          .trim()
          .replace(/\s+/g, ' ')
          .replace(/ -(?= )/g, ' x'),
      )
      .filter((s) => s.length >= min && !/(^|\s)-(\s|$)/.test(s));
  const noTo = (v: string): boolean => !` ${v} `.includes(' to ');
  const key = text(1).filter((k) => !k.includes(':'));
  const changeArb: fc.Arbitrary<{ key: string; text: string; want: Partial<Change> }> = fc.oneof(
    fc.record({ key, from: text(0).filter(noTo), to: text(0) }).map(({ key: k, from, to }) => ({
      key: k,
      text: `${k}: from ${from} to ${to}`,
      want: { from, to },
    })),
    fc.record({ key, v: text(0) }).map(({ key: k, v }) => ({ key: k, text: `${k}: set to ${v}`, want: { setTo: v } })),
    fc
      .record({ key, v: text(0).filter((v) => !/^(from|set to)( |$)/.test(v)) })
      .map(({ key: k, v }) => ({ key: k, text: `${k}: ${v}`, want: { value: v } })),
  );
  const email = fc
    .tuple(fc.constantFrom('jane', 'mary-ann', 'o.neil', 'x_y'), fc.constantFrom('example.com', 'corp-ex.org'))
    .map(([a, b]) => `${a}@${b}`);
  const head = fc.oneof(
    email.map((e) => ({ text: `Update User ${e}`, section: undefined as string | undefined })),
    fc.constantFrom('Sales', 'Co-Op Team', 'R&D').map((g) => ({ text: `Edit Group ${g}`, section: undefined })),
    fc
      .constantFrom('Security', 'Sign-in Methods', 'Sign-In Password Requirement')
      .map((s) => ({ text: s, section: s })),
  );

  it('real-shaped details (target + chained changes with random values) round-trip to the same changes', () => {
    fc.assert(
      fc.property(
        head,
        fc.array(changeArb, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(' - ', '  - '),
        fc.constantFrom('', ' '),
        (h, cs, sep, tail) => {
          const detail = `${h.text}${sep}${cs.map((c) => c.text).join(sep)}${tail}`;
          const p = parseDetail(detail);
          assert.equal(p.raw, detail);
          assert.equal(p.section, h.section);
          const want = cs.map((c) => ({ path: h.section ? [h.section, c.key] : [c.key], ...c.want }));
          assert.deepEqual(p.changes.map(plain), want, detail);
        },
      ),
      { numRuns: 1500, seed: 3 },
    );
  });
});

describe('Insights: parseDetail cost', () => {
  it('a 1 MB detail parses in bounded, linear time (with and without separators and brackets)', function () {
    this.timeout(20_000);
    const shapes = [
      HUGE_STRING,
      'Update User a@example.com  - ' + 'Key: from a to b - '.repeat(55_000),
      'Update User a@example.com  - x: ' + '['.repeat(500_000) + ' - '.repeat(100_000),
      'Update User a@example.com  - x: ' + '[" - '.repeat(250_000),
      'Security' + ' '.repeat(1_000_000) + '- a: from ' + 'to '.repeat(100_000),
      'Update User ' + 'a'.repeat(1_000_000),
    ];
    for (const s of shapes) {
      const t0 = performance.now();
      const p = parseDetail(s);
      const small = performance.now() - t0;
      const big = s + s + s + s;
      const t1 = performance.now();
      parseDetail(big);
      const four = performance.now() - t1;
      assert.equal(p.raw, s);
      assert.ok(small < 1500, `${s.length} chars took ${small.toFixed(0)} ms`);
      assert.ok(four < 6000, `${big.length} chars took ${four.toFixed(0)} ms`);
      assert.equal(typeof summarize(p), 'string');
    }
  });
});

describe('Insights: summarize', () => {
  it('target, then the first change, then how many more', () => {
    assert.equal(
      summarize(parseDetail('Edit User jane@example.com  - User Type: from Basic to Licensed')),
      'jane@example.com · User Type: Basic → Licensed',
    );
    assert.equal(
      summarize(parseDetail('Add User jane@example.com  - User Type: Basic - Department: Sales - Title: X')),
      'jane@example.com · User Type: Basic +2 more',
    );
    assert.equal(
      summarize(parseDetail('Security  - Sign in with Two-Factor Authentication: from On to Off')),
      'Security · Sign in with Two-Factor Authentication: On → Off',
    );
    assert.equal(
      summarize(parseDetail('Change Role  - jane@example.com: from User to Co-Owner')),
      'jane@example.com · Change Role: User → Co-Owner',
    );
    assert.equal(
      summarize(parseDetail('Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New')),
      'Ops · Cloud Storage Retention → (empty) +1 more',
    );
    assert.equal(summarize(parseDetail('Activate User jane@example.com ')), 'Activate User · jane@example.com');
    assert.equal(summarize(parseDetail('hello   world')), 'hello world');
    assert.equal(summarize(parseDetail('')), '');
  });
  it('is one short line even for huge or multi-line details', () => {
    const s = summarize(parseDetail(`Update User ${'x'.repeat(500)}  - A\nB: from ${'y'.repeat(500)} to z`));
    assert.ok(s.length <= 160, String(s.length));
    assert.ok(!s.includes('\n'));
    assert.ok(summarize(parseDetail(HUGE_STRING)).length <= 160);
  });
});
