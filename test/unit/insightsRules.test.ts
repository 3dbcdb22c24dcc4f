/** src/insights/rules.ts: every built-in rule fires on its example and not on a near miss; user rules; trust. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  overlappingRepetitions,
  BUILT_IN_RULES,
  compileRules,
  globMatches,
  GuardedPattern,
  hasNestedRepetition,
  SLOW_BUDGET_MS,
  SLOW_TEST_MS,
  WINDOW_TESTS,
  lowerSeverity,
  type Rule,
  type RuleEngine,
} from '../../src/insights/rules';
import { parseDetail } from '../../src/insights/parse';
import { logEntry } from './support/helpers';
import type { OperationLogEntry } from '../../src/zoom/types';
import { HOSTILE_STRINGS, HUGE_STRING } from '../simulator/data';

let n = 0;
function entry(
  action: string,
  categoryType: string,
  detail: string,
  operator = 'admin@example.com',
): OperationLogEntry {
  return logEntry({ action, categoryType, detail, operator, ms: Date.UTC(2026, 10, 20, 10, 0, n++ % 60) });
}

type Case = [action: string, category: string, detail: string];
/** Per rule: entries it must flag (`real` ones are the notes' strings verbatim) and near misses it must not. */
const CASES: Record<string, { real?: Case[]; fires?: Case[]; misses: Case[] }> = {
  'two-factor-off': {
    real: [['Update', 'Account', 'Security  - Sign in with Two-Factor Authentication: from On to Off']],
    misses: [['Update', 'Account', 'Security  - Sign in with Two-Factor Authentication: from Off to On']],
  },
  'meeting-passcode-off': {
    real: [['Update', 'Account', 'Security  - Require a passcode when scheduling new meetings: from On to Off']],
    fires: [
      [
        'Update',
        'User Settings',
        "Update User Settings a@example.com - Require Passcode for Meetings: from 'On' to 'Off'",
      ],
    ],
    misses: [
      ['Update', 'Account', 'Security  - Require a passcode when scheduling new meetings: from Off to On'],
      ['Update', 'Account', 'Security  - Embed passcode in invite link: from On to Off'],
    ],
  },
  'pmi-passcode-off': {
    real: [['Update', 'User Group', 'Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from On to Off']],
    misses: [['Update', 'User Group', 'Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from Off to On']],
  },
  'webinar-passcode-off': {
    fires: [['Update', 'Account', 'Webinar  - Require a passcode for webinars: from On to Off']],
    misses: [['Update', 'Account', 'Webinar  - Require a passcode for webinars: from Off to On']],
  },
  'secure-all-meetings-off': {
    real: [
      [
        'Update',
        'Account',
        'Security  - Require that all meetings are secured with one security option: from On to Off',
      ],
    ],
    misses: [
      [
        'Update',
        'Account',
        'Security  - Require that all meetings are secured with one security option: from Off to On',
      ],
    ],
  },
  'auto-sign-out-off': {
    real: [['Update', 'Account', 'Security  - Automatically sign users out after a specified time: from On to Off']],
    misses: [['Update', 'Account', 'Security  - Automatically sign users out after a specified time: from Off to On']],
  },
  'password-length-lowered': {
    fires: [
      [
        'Update',
        'Account',
        'Sign-In Password Requirement  - Have at least specified length of characters: from 14 to 8',
      ],
    ],
    misses: [
      // The real string raises the length: a near miss for this rule.
      [
        'Update',
        'Account',
        'Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off',
      ],
    ],
  },
  'password-complexity-off': {
    real: [
      [
        'Update',
        'Account',
        'Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off',
      ],
    ],
    misses: [['Update', 'Account', 'Sign-In Password Requirement  - Include at least 1 letter: from Off to On']],
  },
  'sign-in-method-added': {
    real: [['Update', 'Account', 'Sign-in Methods  - Allow users to sign in with Google: from Off to On']],
    fires: [
      ['Update', 'Account', 'Sign-in Methods  - Allow users to sign in with Apple ID: from Off to On'],
      ['Update', 'Account', 'Sign-in Methods  - Allow users to sign in with SSO: from Off to On'],
    ],
    misses: [['Update', 'Account', 'Sign-in Methods  - Allow users to sign in with Google: from On to Off']],
  },
  'role-raised-privileged': {
    real: [['Batch Update', 'User', 'Change Role  - jane@example.com: from User to Co-Owner']],
    fires: [
      ['Update', 'User', 'Change Role  - jane@example.com: from Member to Billing Admin'],
      ['Update', 'User', 'Update User jane@example.com  - User Role: from Member to Owner'],
    ],
    misses: [
      ['Update', 'User', 'Change Role  - jane@example.com: from Co-Owner to User'],
      ['Update', 'User', 'Change Role  - jane@example.com: from Admin to Owner'],
      ['Update', 'User', 'Change Role  - jane@example.com: from User to Helpdesk'],
    ],
  },
  'role-assigned-privileged': {
    fires: [['Assign', 'Role', "Assign Role 'Billing Admin' to jane@example.com"]],
    misses: [['Assign', 'Role', "Assign Role 'Helpdesk' to jane@example.com"]],
  },
  'e2ee-off': {
    fires: [['Update', 'Account', 'Security  - Allow use of end-to-end encryption: from On to Off']],
    misses: [['Update', 'Account', 'Security  - Allow use of end-to-end encryption: from Off to On']],
  },
  'waiting-room-off': {
    fires: [['Update', 'User Settings', "Update User Settings a@example.com - Waiting Room: from 'On' to 'Off'"]],
    misses: [['Update', 'User Settings', "Update User Settings a@example.com - Waiting Room: from 'Off' to 'On'"]],
  },
  'authenticated-join-off': {
    fires: [
      ['Update', 'Account', "Update Account Settings - Only authenticated users can join meetings: from 'On' to 'Off'"],
    ],
    misses: [
      ['Update', 'Account', "Update Account Settings - Only authenticated users can join meetings: from 'Off' to 'On'"],
    ],
  },
  'join-before-host-on': {
    fires: [['Update', 'User Settings', "Update User Settings a@example.com - Join Before Host: from 'Off' to 'On'"]],
    misses: [['Update', 'User Settings', "Update User Settings a@example.com - Join Before Host: from 'On' to 'Off'"]],
  },
  'recording-deleted': {
    fires: [['Delete', 'Recording', "Delete Recording 'Weekly Sync' (Meeting ID 812 1234 5678) of a@example.com"]],
    misses: [['Recover', 'Recording', "Recover Recording 'Weekly Sync' (Meeting ID 812 1234 5678) from trash"]],
  },
  'recording-shared': {
    fires: [['Update', 'Recording', "Update Recording 'Board Meeting' - Share: from 'Off' to 'On'"]],
    misses: [['Update', 'Recording', "Update Recording 'Board Meeting' - Share: from 'On' to 'Off'"]],
  },
  'recording-sharing-on': {
    fires: [['Update', 'Account', 'Recording  - Allow cloud recording sharing: from Off to On']],
    misses: [['Update', 'Account', 'Recording  - Allow cloud recording sharing: from On to Off']],
  },
  'retention-changed': {
    real: [['Update', 'Channels', 'Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New']],
    fires: [
      ['Update', 'Account', 'Recording  - Delete cloud recordings after a specified number of days: from Off to On'],
    ],
    misses: [['Update', 'Channels', 'Update a Channel Ops  - Name: from Old to New']],
  },
  'user-deleted': {
    fires: [['Delete', 'User', 'Delete User jane@example.com - Transfer data to john@example.com']],
    misses: [['Add', 'User', 'Add User jane@example.com  - User Type: Basic - Department: Sales']],
  },
  'user-deactivated': {
    real: [['Update', 'User', 'Deactivate User jane@example.com ']],
    misses: [['Update', 'User', 'Activate User jane@example.com ']],
  },
  'sub-account-deleted': {
    fires: [['Delete', 'Sub Account', "Delete Sub Account 'Acme Test'"]],
    misses: [['Delete', 'User', "Delete Sub Account 'Acme Test'"]],
  },
  'bulk-role-change': {
    real: [
      ['Batch Update', 'User', 'Change Role  - jane@example.com: from User to Co-Owner'],
      ['SCIM API - Update', 'User', 'Edit User jane@example.com  - Change Type: from Basic to Licensed'],
    ],
    misses: [
      ['Update', 'User', 'Change Role  - jane@example.com: from User to Co-Owner'],
      ['SCIM API - Update', 'User', 'Edit User jane@example.com  - Job Title: set to Contractor'],
    ],
  },
  'information-barrier-changed': {
    fires: [['Update', 'Account', 'Information Barriers  - Enable information barriers: from Off to On']],
    misses: [['Update', 'Account', 'Security  - Screen sharing: from Off to On']],
  },
};

function ids(engine: RuleEngine, e: OperationLogEntry): string[] {
  return engine.check(e).map((f) => f.ruleId);
}

describe('Insights: built-in rules', () => {
  const { engine, problems } = compileRules();

  it('there are at least 15, with unique ids, and every one has a test case here', () => {
    assert.deepEqual(problems, []);
    assert.ok(BUILT_IN_RULES.length >= 15, String(BUILT_IN_RULES.length));
    assert.equal(new Set(BUILT_IN_RULES.map((r) => r.id)).size, BUILT_IN_RULES.length);
    assert.deepEqual(Object.keys(CASES).sort(), BUILT_IN_RULES.map((r) => r.id).sort());
    for (const r of BUILT_IN_RULES) {
      assert.ok(r.check.endsWith('.') && r.check.length < 160, r.id);
      assert.ok(['high', 'medium', 'low'].includes(r.severity), r.id);
    }
  });

  for (const rule of BUILT_IN_RULES) {
    it(`${rule.id} (${rule.severity}) fires on its example${CASES[rule.id]?.real ? ' (real)' : ''} and not on a near miss`, () => {
      const c = CASES[rule.id];
      const fires = [...(c.real ?? []), ...(c.fires ?? [])];
      assert.ok(fires.length > 0);
      for (const [a, cat, d] of fires) {
        const e = entry(a, cat, d);
        const found = engine.check(e).filter((f) => f.ruleId === rule.id);
        assert.equal(found.length, 1, `${rule.id} should fire on ${d}`);
        assert.deepEqual(
          { ...found[0] },
          {
            ruleId: rule.id,
            title: rule.title,
            severity: rule.severity,
            ruleSeverity: rule.severity,
            check: rule.check,
            trusted: false,
            entry: e,
          },
        );
      }
      for (const [a, cat, d] of c.misses) {
        assert.ok(!ids(engine, entry(a, cat, d)).includes(rule.id), `${rule.id} must not fire on ${a} | ${cat} | ${d}`);
      }
    });
  }

  it('the same result with a parse given or computed, and never throws on hostile or huge entries', () => {
    for (const c of Object.values(CASES)) {
      for (const [a, cat, d] of [...(c.real ?? []), ...(c.fires ?? []), ...c.misses]) {
        const e = entry(a, cat, d);
        assert.deepEqual(engine.check(e, parseDetail(d)), engine.check(e));
      }
    }
    for (const h of HOSTILE_STRINGS) {
      for (const e of [
        entry(h, h, h, h),
        entry('Update', 'Account', `Security  - ${h}: from On to Off`, h),
        entry('Delete', 'Recording', h),
      ]) {
        assert.ok(Array.isArray(engine.check(e)));
      }
    }
    const t0 = performance.now();
    engine.check(entry('Update', 'Account', `Security  - ${HUGE_STRING}: from On to Off - ${HUGE_STRING}`));
    assert.ok(performance.now() - t0 < 2000);
    assert.deepEqual(engine.check({} as OperationLogEntry), []);
  });
});

describe('Insights: built-in rules with and without the prefilter', () => {
  it('every example and near miss above gives the same findings either way (see insightsPrefilter.test.ts)', () => {
    const on = compileRules(BUILT_IN_RULES, [], ['*@it.example.com']).engine;
    const off = compileRules(BUILT_IN_RULES, [], ['*@it.example.com'], { prefilter: false }).engine;
    let n = 0;
    for (const c of Object.values(CASES)) {
      for (const [a, cat, d] of [...(c.real ?? []), ...(c.fires ?? []), ...c.misses]) {
        for (const op of ['admin@example.com', 'x@it.example.com']) {
          const e = entry(a, cat, d, op);
          const want = off.check(e).map((f) => [f.ruleId, f.severity]);
          n += want.length;
          assert.deepEqual(
            on.check(e, parseDetail).map((f) => [f.ruleId, f.severity]),
            want,
            d,
          );
          assert.deepEqual(
            on.check(e).map((f) => [f.ruleId, f.severity]),
            want,
            `${d} (remembered)`,
          );
        }
      }
    }
    assert.ok(n >= 2 * BUILT_IN_RULES.length, `findings compared: ${n}`);
  });
});

describe('Insights: trusted operators', () => {
  const twoFactor: [string, string, string] = [
    'Update',
    'Account',
    'Security  - Sign in with Two-Factor Authentication: from On to Off',
  ];
  it('their findings drop one level (high -> medium -> low, low stays low), marked trusted', () => {
    assert.equal(lowerSeverity('high'), 'medium');
    assert.equal(lowerSeverity('medium'), 'low');
    assert.equal(lowerSeverity('low'), 'low');
    const { engine, problems } = compileRules(BUILT_IN_RULES, [], ['Boss@Example.com', '*@it.example.com']);
    assert.deepEqual(problems, []);
    const high = engine.check(entry(...twoFactor, 'boss@example.COM'));
    assert.deepEqual(
      high.map((f) => [f.severity, f.ruleSeverity, f.trusted]),
      [['medium', 'high', true]],
    );
    const glob = engine.check(entry(...twoFactor, 'Helpdesk@IT.example.com'));
    assert.equal(glob[0].severity, 'medium');
    const low = engine.check(entry('Update', 'User', 'Deactivate User jane@example.com ', 'x@it.example.com'));
    assert.deepEqual(
      low.map((f) => [f.severity, f.trusted]),
      [['low', true]],
    );
    // Not trusted: a look-alike domain, and the glob is anchored.
    for (const op of ['x@it.example.com.evil.example', 'boss@example.co', 'x@notit.example.org']) {
      assert.equal(engine.check(entry(...twoFactor, op))[0].severity, 'high', op);
    }
    assert.equal(engine.isTrusted('a@it.example.com'), true);
  });
  it('bad entries are reported and skipped', () => {
    const { engine, problems } = compileRules(BUILT_IN_RULES, [], ['', 42, 'ok@example.com']);
    assert.deepEqual(problems, [
      'Trusted operator #1 is not an e-mail or a pattern such as *@it.example.com; it is ignored.',
      'Trusted operator #2 is not an e-mail or a pattern such as *@it.example.com; it is ignored.',
    ]);
    assert.equal(engine.isTrusted('ok@example.com'), true);
    assert.ok(compileRules(BUILT_IN_RULES, [], 'x@example.com').problems[0].includes('trustedOperators'));
  });
});

describe('Insights: user rules (zoomOperationLogs.rules)', () => {
  it('a valid rule fires with its fields; category and action compare case-insensitively', () => {
    const { engine, problems } = compileRules(BUILT_IN_RULES, [
      {
        id: 'contractor',
        title: 'Someone became a contractor',
        severity: 'low',
        match: { category: 'user', action: 'update', setting: '^job title$', to: 'contract' },
        check: 'Check the contract.',
      },
    ]);
    assert.deepEqual(problems, []);
    const hit = engine.check(entry('Update', 'User', 'Update User jane@example.com  - Job Title: set to Contractor'));
    assert.deepEqual(
      hit.map((f) => [f.ruleId, f.title, f.severity, f.check]),
      [['contractor', 'Someone became a contractor', 'low', 'Check the contract.']],
    );
    assert.deepEqual(
      ids(engine, entry('Update', 'User', 'Update User jane@example.com  - Job Title: set to Engineer')),
      [],
    );
    assert.deepEqual(
      ids(engine, entry('Update', 'Account', 'Update User jane@example.com  - Job Title: set to Contractor')),
      [],
    );
    assert.deepEqual(
      ids(engine, entry('Add', 'User', 'Update User jane@example.com  - Job Title: set to Contractor')),
      [],
    );
    // `Update` also matches `Batch Update` and `SCIM API - Update`, but not `Updated` or `Update Plan`.
    assert.deepEqual(
      ids(engine, entry('SCIM API - Update', 'user', 'Edit User j@example.com  - Job Title: set to Contractor')),
      ['contractor'],
    );
    assert.deepEqual(
      ids(engine, entry('Update Plan', 'User', 'Edit User j@example.com  - Job Title: set to Contractor')),
      [],
    );
  });

  it('text, from and numeric fields; a display-string category outside the query enum', () => {
    const { engine, problems } = compileRules(
      [],
      [
        { id: 'chan', match: { category: 'Channels', text: 'assign admin' } },
        { id: 'seats', severity: 'high', match: { setting: 'seats', numeric: 'increase' } },
        { id: 'from-basic', match: { from: '^basic$' } },
      ],
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(ids(engine, entry('Update', 'Channels', 'Assign admin for channel Ops  - jane@example.com')), [
      'chan',
    ]);
    assert.deepEqual(ids(engine, entry('Update', 'Account', 'Assign admin for channel Ops  - jane@example.com')), []);
    assert.deepEqual(
      ids(engine, entry('Update', 'Sub Account', "Update Sub Account 'Acme' - Seats: from '5' to '10'")),
      ['seats'],
    );
    assert.deepEqual(
      ids(engine, entry('Update', 'Sub Account', "Update Sub Account 'Acme' - Seats: from '10' to '5'")),
      [],
    );
    assert.deepEqual(
      ids(engine, entry('Update', 'User', 'Edit User a@example.com  - Change Type: from Basic to Licensed')),
      ['from-basic'],
    );
    const r = engine.rules.find((x) => x.id === 'chan') as Rule;
    assert.equal(r.severity, 'medium');
    assert.equal(r.title, 'chan');
    assert.equal(r.check, 'Review this change.');
  });

  it('an invalid rule is dropped with a message naming it and the field; the others keep working', () => {
    const { engine, problems } = compileRules(BUILT_IN_RULES, [
      { id: 'my-rule', match: { text: '([a-z' } },
      { id: 'ok-rule', match: { text: 'zzz-marker' } },
      { match: { text: 'x' } },
      'not a rule',
      { id: 'sev', severity: 'critical', match: { text: 'x' } },
      { id: 'nomatch', match: {} },
      { id: 'long', match: { setting: 'a'.repeat(201) } },
      { id: 'redos', match: { text: '(a+)+$' } },
      { id: 'redos2', match: { to: '(x|xy)*z' } },
      { id: 'types', match: { category: 5 } },
      { id: 'num', match: { numeric: 'up' } },
      { id: 'extra', match: { text: 'yyy-marker', colour: 'red' } },
    ]);
    assert.equal(
      problems[0],
      "Rule 'my-rule': field 'text' is not a valid regular expression: Invalid regular expression: /([a-z/i: Unterminated character class. The rule is ignored.",
    );
    assert.deepEqual(problems.slice(1), [
      "Rule #3: field 'id' is missing or empty; give the rule an id. The rule is ignored.",
      'Rule #4 is not an object with an id and a match; it is ignored.',
      "Rule 'sev': field 'severity' must be 'high', 'medium' or 'low'. The rule is ignored.",
      "Rule 'nomatch': field 'match' sets no field, so it would flag every entry. The rule is ignored.",
      "Rule 'long': field 'setting' is longer than 200 characters; shorten it. The rule is ignored.",
      "Rule 'redos': field 'text' repeats a group that holds a repetition or an alternative (like (a+)+ or (a|ab)*), which can take very long; rewrite it without repeating that group. The rule is ignored.",
      "Rule 'redos2': field 'to' repeats a group that holds a repetition or an alternative (like (a+)+ or (a|ab)*), which can take very long; rewrite it without repeating that group. The rule is ignored.",
      "Rule 'types': field 'category' must be a string or a list of strings. The rule is ignored.",
      "Rule 'num': field 'numeric' must be 'decrease' or 'increase'. The rule is ignored.",
      "Rule 'extra': field 'match.colour' is not a match field and is ignored.",
    ]);
    assert.deepEqual(ids(engine, entry('Update', 'User', 'zzz-marker and yyy-marker')), ['ok-rule', 'extra']);
    assert.equal(engine.rules.length, BUILT_IN_RULES.length + 2);
    assert.ok(
      compileRules(BUILT_IN_RULES, { id: 'x' }).problems[0].includes("'zoomOperationLogs.rules' must be a list"),
    );
  });

  it('a user rule with a built-in id replaces it; { id, enabled: false } turns a built-in off', () => {
    const twoFactor = entry('Update', 'Account', 'Security  - Sign in with Two-Factor Authentication: from On to Off');
    const replaced = compileRules(BUILT_IN_RULES, [
      { id: 'two-factor-off', severity: 'low', match: { setting: 'two-factor', to: 'off' }, check: 'Ours.' },
    ]);
    assert.deepEqual(
      replaced.engine.check(twoFactor).map((f) => [f.ruleId, f.severity, f.check]),
      [['two-factor-off', 'low', 'Ours.']],
    );
    const off = compileRules(BUILT_IN_RULES, [{ id: 'two-factor-off', enabled: false }]);
    assert.deepEqual(off.problems, []);
    assert.deepEqual(ids(off.engine, twoFactor), []);
    assert.equal(off.engine.rules.length, BUILT_IN_RULES.length - 1);
  });

  it('the nested-repetition guard: refuses the exponential shapes, accepts ordinary patterns', () => {
    for (const p of ['(a+)+', '(a*)*', '((a)+)+', '(\\w+\\s?)*$', '(a|ab)*c', '(?:x+){2,}', '(.*a){3,}']) {
      assert.equal(hasNestedRepetition(p), true, p);
    }
    for (const p of [
      'two[- ]?factor',
      '^(admin|owner)$',
      '(?:on|off)',
      'a+b*',
      '\\(a+\\)+',
      '[(a+)]+',
      'x{2,3}',
      '(ab)+',
    ]) {
      assert.equal(hasNestedRepetition(p), false, p);
    }
  });

  it('two unbounded repetitions in a row that share a character are refused, naming the place; others are not', () => {
    const refused: [string, string][] = [
      ['.*.*=', '.*.*'],
      ['from .+\\s* to', '.+\\s*'],
      ['x\\w+\\d*y', '\\w+\\d*'],
      ['[a-z]*[a-y]+@', '[a-z]*[a-y]+'],
      ['[^]+[b]+', '[^]+[b]+'],
      ['[\\]x]+\\]*', '[\\]x]+\\]*'],
      ['a.*?.+b', '.*?.+'],
      ['\\d{2,}.{1,}', '\\d{2,}.{1,}'],
      ['ab*B+', 'b*B+'],
      ['x(y)\\s+ +', '\\s+ +'],
      ['[^a-z]+\\d*', '[^a-z]+\\d*'],
      ['^.*.*$', '.*.*'],
      ['\\.*\\.*x', '\\.*\\.*'],
      ['[a]+A*', '[a]+A*'],
      ['x[é]+[É]+', '[é]+[É]+'],
      ['\\s+[\u00a0]*', '\\s+[\u00a0]*'],
      ['[^\\x00-\\x7f]+[中]+', '[^\\x00-\\x7f]+[中]+'],
      ['[ā]+[ā]+', '[ā]+[ā]+'],
      ['x{2,}y?z+z{3,}', 'z+z{3,}'],
      ['[b-a]+x+', '[b-a]+x+'],
      ['x{10,}x+', 'x{10,}x+'],
    ];
    for (const [p, where] of refused) assert.equal(overlappingRepetitions(p), where, p);
    for (const p of [
      'Update.*passcode.*Off',
      '\\d+\\s*to\\s*\\d+',
      '[A-Za-z]+\\s*',
      '\\.+\\d+',
      '.?.?',
      '.{1,3}.{1,3}',
      '.*?x?.*',
      '\\w+\\s+\\w+',
      '[.]*x[.]*',
      '(.*)(.*)x',
      '.*(a).*',
      '.*|.*',
      '.*\\b.*',
      '(a)\\1*\\1*',
      '[0-9]+[a-z]+',
      '\\S+\\s+',
      '\\d+\\D+',
      'two[- ]?factor',
      '[\\]]*.x',
      '[^]a]+[b]+',
      '[^a]+a+',
      'x{2}y{2}',
      'a{1,3}a{1,3}',
      'a+\\\\',
      '\\B*\\B*',
      'x+[ab',
      'x*\\',
      '',
    ]) {
      assert.equal(overlappingRepetitions(p), undefined, p);
    }
    const { problems, engine } = compileRules([], [{ id: 'greedy', match: { text: 'role.*.*admin' } }]);
    assert.deepEqual(problems, [
      "Rule 'greedy': field 'text' repeats two things in a row that can match the same character ('.*.*'), which can take minutes on a long detail; keep one. The rule is ignored.",
    ]);
    assert.equal(engine.rules.length, 0);
  });

  it('GuardedPattern (fake clock): slow tests add up within a window of tests; past the budget it stops asking', () => {
    let clock = 0;
    let cost = 0;
    let asked = 0;
    const trips: [number, number][] = [];
    const g = new GuardedPattern(
      {
        test: (s: string) => {
          asked++;
          clock += cost;
          return s.includes('x');
        },
      },
      (ms, longest) => trips.push([ms, longest]),
      () => clock,
    );
    // Tests at exactly SLOW_TEST_MS are not slow, however many.
    cost = SLOW_TEST_MS;
    for (let k = 0; k < 3 * WINDOW_TESTS; k++) assert.equal(g.test('x'), true);
    assert.deepEqual(trips, []);
    // Slow tests up to the budget exactly: still on; the window then starts over.
    cost = SLOW_BUDGET_MS / 4;
    for (let k = 0; k < 4; k++) g.test('ab');
    cost = 0;
    for (let k = 4; k < WINDOW_TESTS; k++) g.test('ab');
    assert.deepEqual(trips, [], 'exactly the budget is not over it');
    cost = SLOW_BUDGET_MS / 4;
    for (let k = 0; k < 4; k++) g.test('abc');
    assert.deepEqual(trips, [], 'a new window: the earlier slow time no longer counts');
    // One more slow test in this window goes over: its answer stands, then no more questions.
    assert.equal(g.test(`x${'y'.repeat(99)}`), true);
    assert.deepEqual(trips, [[SLOW_BUDGET_MS + SLOW_BUDGET_MS / 4, 100]]);
    assert.equal(g.tripped, true);
    const before = asked;
    assert.equal(g.test('x'), false);
    assert.equal(asked, before, 'not asked once off');
    assert.equal(trips.length, 1);
    // A single test over the budget trips at once.
    const one: number[] = [];
    const h = new GuardedPattern(
      { test: () => ((clock += SLOW_BUDGET_MS + 1), false) },
      (ms) => one.push(ms),
      () => clock,
    );
    h.test('a');
    assert.deepEqual(one, [SLOW_BUDGET_MS + 1]);
  });

  it('a user pattern that backtracks on long details is switched off once, said once, and the others keep working', function () {
    this.timeout(60_000);
    const heard: string[] = [];
    const { engine, problems } = compileRules(
      BUILT_IN_RULES,
      [{ id: 'pass-off', severity: 'low', match: { text: 'Update.*passcode.*Off' } }],
      [],
      { onSlowRule: (m) => heard.push(m) },
    );
    assert.deepEqual(problems, []);
    const passOff = entry('Update', 'Account', 'Update Account  - passcode: from On to Off');
    assert.deepEqual(ids(engine, passOff), ['pass-off']);
    // A detail made of the pattern's own words, 8 KB long, without "Off": quadratic backtracking, ~250 ms a test.
    let tries = 0;
    while (!heard.length && tries < 200) {
      engine.check(entry('Update', 'Account', `${tries++} ${'Update passcode '.repeat(512)}`));
    }
    assert.equal(heard.length, 1, `switched off after ${tries} slow details`);
    assert.ok(tries >= 2, 'not at the first slow test: slow tests add up to a budget');
    assert.match(
      heard[0],
      /^Rule 'pass-off': its 'text' pattern spent \d+ ms on details of up to 8192 characters \(a pattern such as a\.\*b\.\*c can backtrack on long text\), so it is off until the rules setting changes or the window reloads\.$/,
    );
    // Off: no finding from it, even on a detail it flagged before (the engine forgot its remembered results).
    assert.deepEqual(ids(engine, passOff), []);
    for (let k = 0; k < 50; k++) engine.check(entry('Update', 'Account', `${k} ${'Update passcode '.repeat(512)}`));
    assert.equal(heard.length, 1, 'said once');
    const twoFactor = entry('Update', 'Account', 'Security  - Sign in with Two-Factor Authentication: from On to Off');
    assert.deepEqual(ids(engine, twoFactor), ['two-factor-off'], 'the built-in rules keep working');
    // A new engine (the setting changed) starts with the pattern on again.
    assert.deepEqual(
      ids(compileRules(BUILT_IN_RULES, [{ id: 'pass-off', match: { text: 'Update.*passcode.*Off' } }]).engine, passOff),
      ['pass-off'],
    );
  });

  it('trusted-operator globs match like their regular expression, and a long odd operator cannot stall them', () => {
    const oracle = (glob: string, text: string): boolean => {
      const body = glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[\\s\\S]*')
        .replace(/\?/g, '[\\s\\S]');
      return new RegExp(`^${body}$`).test(text);
    };
    const ch = fc.constantFrom('a', 'b', '@', '.', '*', '?', 'x');
    fc.assert(
      fc.property(fc.string({ unit: ch, maxLength: 8 }), fc.string({ unit: ch, maxLength: 12 }), (glob, text) => {
        assert.equal(globMatches(glob, text), oracle(glob, text), `${glob} on ${text}`);
      }),
      { numRuns: 5000, seed: 3 },
    );
    for (const [g, t, want] of [
      ['*@it.example.com', 'a@it.example.com', true],
      ['*@it.example.com', 'a@it.example.com.evil', false],
      ['', '', true],
      ['*', '', true],
      ['?', '', false],
      ['a*', 'b', false],
    ] as const) {
      assert.equal(globMatches(g, t), want, `${g} on ${t}`);
    }
    // `.*a.*a.*a.*a.*b` as a regular expression on this takes minutes; the matcher at most glob x text steps.
    const { engine } = compileRules(BUILT_IN_RULES, [], ['*a*a*a*a*b']);
    assert.equal(engine.isTrusted('a'.repeat(8192)), false);
    assert.equal(engine.isTrusted(`${'a'.repeat(8192)}b`), true);
  });

  it('user regexes run on capped text: a slow-but-accepted pattern over a 1 MB detail stays bounded', () => {
    const { engine, problems } = compileRules([], [{ id: 'slowish', match: { text: '[a-z]*@$' } }]);
    assert.deepEqual(problems, []);
    const t0 = performance.now();
    engine.check(entry('Update', 'User', 'a'.repeat(1_000_000)));
    assert.ok(performance.now() - t0 < 5000, `${performance.now() - t0} ms`);
  });
});
