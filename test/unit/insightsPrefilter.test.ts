/**
 * The rule engine's prefilter (src/insights/prefilter.ts and the gates in rules.ts): entries whose detail holds
 * none of the words a rule needs skip that rule and the parsing of their detail, and results are remembered per
 * detail. The findings must be exactly those of the engine without it.
 */
import assert from 'node:assert/strict';
import { BUILT_IN_RULES, compileRules, parseDetail, type Finding, type Rule } from '../../src/insights';
import { anyWordRegExp, requiredWords, WordFinder } from '../../src/insights/prefilter';
import { hashText, StringTable } from '../../src/insights/memo';
import { entriesFromRaw } from './support/helpers';
import { logEntry } from './support/helpers';
import type { OperationLogEntry } from '../../src/zoom/types';
import { generateEntries, HOSTILE_STRINGS, mulberry32 } from '../simulator/data';

const entries = entriesFromRaw;

function entry(action: string, categoryType: string, detail: string, operator = 'a@example.com'): OperationLogEntry {
  return logEntry({ action, categoryType, detail, operator, ms: Date.UTC(2026, 10, 20) });
}

/** User rules that exercise the gates: no words, words only in `from`, odd syntax, a `>` and a verb-noun section. */
const USER_RULES = [
  { id: 'u-to-only', match: { to: '^licensed$' } },
  { id: 'u-numeric', match: { numeric: 'increase' } },
  { id: 'u-escape', match: { setting: '\\x54ype' } },
  { id: 'u-category', match: { category: 'Billing', action: 'Update' } },
  { id: 'u-text-group', match: { text: '(screen|local) (sharing|recording)' } },
  { id: 'u-section', match: { setting: 'update channel > name' } },
  { id: 'u-link', match: { setting: '^link user > x$' } },
  { id: 'u-password', match: { setting: 'password[^>]*> .*length', numeric: 'decrease' } },
  { id: 'u-optional', match: { setting: 'plan(s)? > licen[cs]es?' } },
];

const keyOf = (f: Finding): string => `${f.ruleId}|${f.severity}|${f.trusted}`;

function bothEngines(rules: readonly Rule[] = BUILT_IN_RULES, user: unknown[] = USER_RULES) {
  const trusted = ['*@it.example.com', 'jane@example.com'];
  const on = compileRules(rules, user, trusted);
  const off = compileRules(rules, user, trusted, { prefilter: false });
  assert.deepEqual(on.problems, []);
  return { on: on.engine, off: off.engine };
}

/** Same findings, entry by entry, twice (the second pass answers from what the engine remembered). */
function assertSame(list: readonly OperationLogEntry[]): number {
  const { on, off } = bothEngines();
  let n = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const e of list) {
      const want = off.check(e).map(keyOf);
      const got = on.check(e, parseDetail).map(keyOf);
      assert.deepEqual(got, want, `${e.categoryType} | ${e.action} | ${String(e.operationDetail).slice(0, 200)}`);
      n += want.length;
    }
  }
  return n;
}

describe('Insights: the rule prefilter', () => {
  it('the simulator data: the same findings with and without it, for built-in and user rules', () => {
    const sim = entries(generateEntries({ seed: 1, count: 20000, now: Date.UTC(2026, 10, 26, 12) }));
    const hostile = entries(generateEntries({ seed: 3, count: 3000, now: Date.UTC(2026, 10, 26, 12), hostile: true }));
    const n = assertSame([...sim, ...hostile]);
    assert.ok(n > 1000, `findings compared: ${n}`);
  });

  it('the published examples, near misses and odd entries: the same findings with and without it', () => {
    const details = [
      'Security  - Sign in with Two-Factor Authentication: from On to Off',
      'Security  - Require that all meetings are secured with one security option: from On to Off',
      'Sign-In Password Requirement  - Have at least specified length of characters: from 10 to 8',
      'Sign-in Methods  - Allow users to sign in with Google: from Off to On',
      'Change Role  - jane@example.com: from User to Co-Owner',
      'Edit User jane@example.com  - Change Type: from Basic to Licensed',
      'Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from On to Off',
      'Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New',
      'Update a Channel  - Name: from Old to New',
      "Assign role 'Admin' to jane@example.com",
      'Deactivate User jane@example.com ',
      'Update Plan  - Licenses: from 10 to 12',
      'Update Recording Weekly Sync (3)  - Share: from Off to On',
      'Update User Settings jane@example.com  - Screen sharing: from On to Off',
      'Update User jane@example.com  - assistant: [{"id":"u1","email":"b@example.com"}] - userId: ["a","b"]',
      'Edit information barrier policy Sales',
      // The parser reads `LINK USER` through a lowercase copy, where the Kelvin sign becomes a plain k.
      'LIN\u212a USER  - X: from On to Off',
      '',
      ...HOSTILE_STRINGS,
    ];
    const list: OperationLogEntry[] = [];
    for (const d of details) {
      for (const [action, cat] of [
        ['Update', 'Account'],
        ['Batch Update', 'User'],
        ['SCIM API - Update', 'User'],
        ['Update', 'Channels'],
        ['Update', 'Billing'],
        ['Update', 'Recording'],
        ['Delete', 'Recording'],
        ['Update', 'User Settings'],
      ]) {
        list.push(entry(action, cat, d), entry(action, cat, d, 'x@it.example.com'));
      }
    }
    list.push({} as OperationLogEntry, entry('Update', 'Account', 42 as unknown as string));
    const n = assertSame(list);
    assert.ok(n > 100, `findings compared: ${n}`);
    // The Kelvin-sign entry is flagged (by u-link) either way.
    const { on } = bothEngines();
    assert.ok(
      on.check(entry('Update', 'Account', 'LIN\u212a USER  - X: from On to Off')).some((f) => f.ruleId === 'u-link'),
    );
  });

  it('skips the parsing of details no change rule can match (built-in rules, simulator data)', () => {
    const sim = entries(generateEntries({ seed: 1, count: 5000, now: Date.UTC(2026, 10, 26, 12) }));
    const { engine } = compileRules();
    let parsed = 0;
    const parse = (e: OperationLogEntry) => (parsed++, parseDetail(e));
    let flagged = 0;
    for (const e of sim) flagged += engine.check(e, parse).length;
    assert.ok(flagged > 100, `findings: ${flagged}`);
    assert.ok(parsed < sim.length / 2, `parsed ${parsed} of ${sim.length} details`);
    // Without it every detail is parsed.
    const off = compileRules(BUILT_IN_RULES, [], [], { prefilter: false }).engine;
    parsed = 0;
    for (const e of sim) off.check(e, parse);
    assert.equal(parsed, sim.length);
  });

  it('requiredWords: one of the words is in every match; undefined when that cannot be told', () => {
    const cases: [string, string[] | undefined][] = [
      ['two[- ]?factor|\\b2fa\\b', ['factor', '2fa']],
      ['^(share|sharing|public|download)', ['share', 'sharing', 'public', 'download']],
      ['ab?c', ['a']],
      ['x{2}yz', ['yz']],
      ['ab{1}c', ['abc']],
      ['ab{1,}c', ['ab']],
      ['a\\.b', ['a.b']],
      ['(?:new |)meeting', ['meeting']],
      ['(?<n>abc)d', ['abc']],
      ['foo(?=bar)', ['foo']],
      ['password[^>]*>.*length', ['password']],
      ['\\x41bc', undefined], // escapes not followed
      ['a|', undefined], // an empty alternative matches anything
      ['.*', undefined],
      ['(a)\\1', undefined],
      ['[abc]+', undefined],
    ];
    for (const [source, want] of cases) assert.deepEqual(requiredWords(new RegExp(source, 'i')), want, source);
    assert.equal(requiredWords(/abc/iu), undefined, 'unicode mode folds s and k differently');
    const re = anyWordRegExp(['delet', 'delete', 'link']);
    assert.ok(re.test('DELETE') && re.test('lin\u212a') && !re.test('lin'));
  });

  it('WordFinder answers as anyWordRegExp: real details, hostile strings and random text', () => {
    const lists = [
      // The built-in rules' words (one gate's), then lists with short words, punctuation, k and shared buckets.
      BUILT_IN_RULES.flatMap((r) => (r.match.setting instanceof RegExp ? (requiredWords(r.match.setting) ?? []) : [])),
      ['2fa', 'rfa', 'role', 'with', 'auto', 'after'],
      ['a', 'xy', 'kel', 'link', 'k-k', "o'b", 'x:y', 'a@b', 'e2ee'],
      ['delet', 'delete', 'link', 'passcode', 'pass'],
      ['@@@', '```', '!!!', '00000'],
    ];
    const r = mulberry32(99);
    const alphabet = "aAbBkKeElLiInNoOsStTrRpPwWfF2- :@'`!0\u212a\u017f\u0130\u00e9\u0000\n";
    const random = Array.from({ length: 4000 }, () => {
      let s = '';
      const n = Math.floor(r() * 24);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      return s;
    });
    const sim = generateEntries({ seed: 4, count: 3000, now: Date.UTC(2026, 10, 26, 12) }).map(
      (e) => e.operation_detail,
    );
    const texts = [
      ...random,
      ...sim,
      ...HOSTILE_STRINGS,
      '',
      'k',
      'LIN\u212a',
      'Sign in with Two-FACTOR',
      'wit',
      'ROLE',
    ];
    let found = 0;
    for (const words of lists) {
      const re = anyWordRegExp(words);
      const finder = new WordFinder(words);
      for (const t of texts) {
        const want = re.test(t);
        assert.equal(finder.test(t), want, `${JSON.stringify(words)} in ${JSON.stringify(t.slice(0, 80))}`);
        if (want) found++;
      }
    }
    assert.ok(found > 1000, `texts holding a word: ${found}`);
    assert.ok(new WordFinder(['link']).test('LIN\u212a USER') && !new WordFinder(['link']).test('lin'));
  });

  it('StringTable (the memo by detail): what was added is found, through colliding hashes, growth and clear', () => {
    const t = new StringTable<number>(2);
    const words = Array.from({ length: 3000 }, (_, i) => `Update User u${i}@example.com  - Job Title: set to ${i % 7}`);
    // Every fifth word shares one hash, so probes run past equal hashes with different strings.
    const h = (w: string, i: number): number => (i % 5 === 0 ? 12345 : hashText(w));
    words.forEach((w, i) => {
      assert.equal(t.get(w, h(w, i)), undefined);
      t.add(w, h(w, i), i);
    });
    assert.equal(t.size, words.length);
    // Fresh strings with the same characters are found.
    words.forEach((w, i) => assert.equal(t.get(`${w} `.slice(0, -1), h(w, i)), i, w));
    assert.equal(t.get('Update User nobody@example.com', hashText('Update User nobody@example.com')), undefined);
    assert.equal(t.get('not held', 12345), undefined);
    t.clear();
    assert.equal(t.size, 0);
    assert.equal(t.get(words[1], hashText(words[1])), undefined);
    // hashText: never 0 (0 marks a free slot), the same for equal strings, spread over the low bits.
    const low = new Set(words.map((w) => hashText(w) & 1023));
    assert.ok(low.size > 900, `distinct low bits: ${low.size}`);
    for (const s of ['', 'a', 'ab', 'abc', ...HOSTILE_STRINGS]) {
      assert.notEqual(hashText(s), 0);
      assert.equal(hashText(s), hashText(`${s}!`.slice(0, -1)));
    }
  });
});
