/**
 * Detection rules over operation-log entries: what SIEMs (Panther, Sumo Logic, Microsoft Sentinel) flag,
 * plus user rules from `zoomOperationLogs.rules` and trusted operators from
 * `zoomOperationLogs.trustedOperators`. Plain Node; compiled once, then cheap per entry.
 *
 * A rule matches an entry when every field it sets matches:
 *  - `category`: the entry's category, case-insensitively, as display string or query enum
 *    (`User Settings` = `user_settings`; `User Group` matches the display string `User Group`);
 *  - `action`: the entry's action, case-insensitively, equal or as its last words
 *    (`Update` also matches `Batch Update` and `SCIM API - Update`);
 *  - `text`: a regular expression over the raw detail (first 8,192 characters);
 *  - `setting`, `from`, `to`, `numeric`: ONE change of the parsed detail must satisfy all that are set.
 *    `setting` is tested on the change's path joined with ` > ` (`Security > Sign in with Two-Factor
 *    Authentication`), `from` on its `from`, `to` on its `to`, else its `set to` value, else its plain value;
 *    `numeric: 'decrease' | 'increase'` needs both `from` and `to` to be numbers that went down / up.
 * Regular expressions are case-insensitive. Trusted operators' findings drop one level
 * (high -> medium -> low; low stays low) and are marked `trusted`.
 *
 * User rules (`zoomOperationLogs.rules`): `{ id, title?, severity? ('medium'), match, check? }` with the regex
 * fields written as strings. A user rule with a built-in's id replaces it; `{ id, enabled: false }` turns a
 * built-in off. Invalid rules are dropped with one message each; patterns longer than 200 characters or that
 * repeat a group holding a repetition or an alternative (`(a+)+`, `(a|ab)*`) are refused, and every regex runs
 * on capped text (8,192 characters of detail, 1,024 of a setting or value). A pattern with several adjacent
 * unbounded repetitions can still be slow (polynomial) on that capped text.
 */
import { categoryKey } from '../zoom/categories';
import type { OperationLogEntry } from '../zoom/types';
import { parsedOf, type Change, type ParsedDetail } from './parse';
import { anyWordRegExp, requiredWords, WordFinder } from './prefilter';
import { hashText, StringTable } from './memo';
import { l10n } from '../l10n';

export type Severity = 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

export interface RuleMatch {
  category?: string | string[];
  action?: string | string[];
  setting?: string | RegExp;
  from?: string | RegExp;
  to?: string | RegExp;
  text?: string | RegExp;
  numeric?: 'decrease' | 'increase';
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  match: RuleMatch;
  /** One sentence: what to check. */
  check: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  /** After the trusted-operator adjustment. */
  severity: Severity;
  /** The rule's own severity. */
  ruleSeverity: Severity;
  check: string;
  /** The operator is on the trusted list. */
  trusted: boolean;
  entry: OperationLogEntry;
}

/** Regex patterns longer than this are refused; the text they run on is capped too. */
export const MAX_PATTERN = 200;
export const MAX_TEXT = 8192;
const MAX_VALUE = 1024;

const ON = /^(on|enabled?|true|yes)$/i;
const OFF = /^(off|disabled?|false|no)$/i;
const PRIVILEGED = /^(admin|owner|co-owner|billing admin)$/i;
const NOT_PRIVILEGED = /^(?!(admin|owner|co-owner|billing admin)$)/i;

/**
 * The built-in rules. Sources: Panther's zoom_operation_rules, Sumo Logic Cloud SIEM, Microsoft Sentinel.
 * `title` and `check` are getters, so they are translated when read (after activate() sets the translator).
 */
export const BUILT_IN_RULES: readonly Rule[] = [
  {
    id: 'two-factor-off',
    get title() {
      return l10n.t('Two-factor sign-in turned off');
    },
    severity: 'high',
    match: { setting: /two[- ]?factor|\b2fa\b/i, from: ON, to: OFF },
    get check() {
      return l10n.t(
        'Confirm the operator meant to turn off two-factor sign-in for the account, and turn it back on if not.',
      );
    },
  },
  {
    id: 'meeting-passcode-off',
    get title() {
      return l10n.t('Meeting passcode requirement turned off');
    },
    severity: 'high',
    match: {
      setting: /passcode (when scheduling|for) (new |scheduled |instant |all )?meetings|\bmeeting passcode/i,
      from: ON,
      to: OFF,
    },
    get check() {
      return l10n.t('Check that meetings are still protected (passcode or waiting room) and who approved the change.');
    },
  },
  {
    id: 'pmi-passcode-off',
    get title() {
      return l10n.t('Personal Meeting ID (PMI) passcode turned off');
    },
    severity: 'high',
    match: { setting: /\bPMI\b[^>]*passcode|personal meeting id[^>]*passcode/i, from: ON, to: OFF },
    get check() {
      return l10n.t(
        'Check which users or group lost the PMI passcode and whether their PMI meetings are now open to anyone.',
      );
    },
  },
  {
    id: 'webinar-passcode-off',
    get title() {
      return l10n.t('Webinar passcode requirement turned off');
    },
    severity: 'high',
    match: { setting: /webinar[^>]*passcode|passcode[^>]*webinar/i, from: ON, to: OFF },
    get check() {
      return l10n.t('Check that webinars still require registration or a passcode and who approved the change.');
    },
  },
  {
    id: 'secure-all-meetings-off',
    get title() {
      return l10n.t('"Secure all meetings with one security option" turned off');
    },
    severity: 'high',
    match: { setting: /secured with one security option|all meetings are secured/i, from: ON, to: OFF },
    get check() {
      return l10n.t('Confirm meetings can no longer run without a passcode, waiting room or authentication, and why.');
    },
  },
  {
    id: 'auto-sign-out-off',
    get title() {
      return l10n.t('Automatic sign-out turned off');
    },
    severity: 'medium',
    match: { setting: /sign (users )?out after|automatically sign users out/i, from: ON, to: OFF },
    get check() {
      return l10n.t('Check whether idle sessions now stay signed in indefinitely and whether that was approved.');
    },
  },
  {
    id: 'password-length-lowered',
    get title() {
      return l10n.t('Sign-in password minimum length lowered');
    },
    severity: 'medium',
    match: { setting: /password[^>]*>.*length|minimum password length|length of characters/i, numeric: 'decrease' },
    get check() {
      return l10n.t('Check the new minimum password length against your password policy.');
    },
  },
  {
    id: 'password-complexity-off',
    get title() {
      return l10n.t('Sign-in password requirement relaxed');
    },
    severity: 'medium',
    match: { setting: /password requirement/i, from: ON, to: OFF },
    get check() {
      return l10n.t('Check which password rule was turned off and whether your password policy allows it.');
    },
  },
  {
    id: 'sign-in-method-added',
    get title() {
      return l10n.t('New sign-in method allowed');
    },
    severity: 'medium',
    match: { setting: /sign[- ]in with|sign[- ]in methods/i, from: OFF, to: ON },
    get check() {
      return l10n.t(
        'Confirm the new sign-in method (Google, Apple, Facebook, SSO...) is wanted and cannot bypass your SSO.',
      );
    },
  },
  {
    id: 'role-raised-privileged',
    get title() {
      return l10n.t('User role raised to Admin, Owner, Co-Owner or Billing Admin');
    },
    severity: 'high',
    match: { setting: /\brole\b/i, from: NOT_PRIVILEGED, to: PRIVILEGED },
    get check() {
      return l10n.t('Confirm the user should hold this privileged role and that the operator was allowed to grant it.');
    },
  },
  {
    id: 'role-assigned-privileged',
    get title() {
      return l10n.t('Privileged role assigned');
    },
    severity: 'high',
    match: { text: /^\s*assign role '?(admin|owner|co-owner|billing admin)'? to\b/i },
    get check() {
      return l10n.t('Confirm the user should hold this privileged role and that the operator was allowed to grant it.');
    },
  },
  {
    id: 'e2ee-off',
    get title() {
      return l10n.t('End-to-end encryption turned off');
    },
    severity: 'high',
    match: { setting: /end[- ]to[- ]end encrypt|\be2ee\b/i, from: ON, to: OFF },
    get check() {
      return l10n.t('Check which meetings lose end-to-end encryption and whether compliance requires it.');
    },
  },
  {
    id: 'waiting-room-off',
    get title() {
      return l10n.t('Waiting room turned off');
    },
    severity: 'medium',
    match: { setting: /waiting room/i, from: ON, to: OFF },
    get check() {
      return l10n.t(
        'Check that affected meetings still have a passcode or authentication so uninvited people cannot join.',
      );
    },
  },
  {
    id: 'authenticated-join-off',
    get title() {
      return l10n.t('"Only authenticated users can join" turned off');
    },
    severity: 'medium',
    match: { setting: /authenticated users can join/i, from: ON, to: OFF },
    get check() {
      return l10n.t(
        'Check whether meetings are now open to people outside your organisation and whether that was intended.',
      );
    },
  },
  {
    id: 'join-before-host-on',
    get title() {
      return l10n.t('Join before host turned on');
    },
    severity: 'low',
    match: { setting: /join before host/i, from: OFF, to: ON },
    get check() {
      return l10n.t(
        'Check that meetings where participants can join before the host still have a passcode or waiting room.',
      );
    },
  },
  {
    id: 'recording-deleted',
    get title() {
      return l10n.t('Recording deleted');
    },
    severity: 'low',
    match: { category: 'recording', action: 'Delete' },
    get check() {
      return l10n.t(
        'Check the recording was not needed for retention or legal hold; it can be recovered from trash for 30 days.',
      );
    },
  },
  {
    id: 'recording-shared',
    get title() {
      return l10n.t('Recording shared or made downloadable');
    },
    severity: 'medium',
    match: { category: 'recording', setting: /^(share|sharing|public|download)/i, to: ON },
    get check() {
      return l10n.t('Check who can now view or download the recording and whether it holds confidential content.');
    },
  },
  {
    id: 'recording-sharing-on',
    get title() {
      return l10n.t('Cloud recording sharing or download allowed');
    },
    severity: 'medium',
    match: {
      setting: /recording[^>]*(shar|public|download)|(shar|public|download)[^>]*recording/i,
      from: OFF,
      to: ON,
    },
    get check() {
      return l10n.t(
        'Check whether recordings can now be shared publicly or downloaded by viewers, and whether that is allowed.',
      );
    },
  },
  {
    id: 'retention-changed',
    get title() {
      return l10n.t('Data retention setting changed');
    },
    severity: 'medium',
    match: { setting: /retention|retain|auto[- ]?delet|delete[^>]* after/i },
    get check() {
      return l10n.t('Check the new retention period against your records policy and legal holds.');
    },
  },
  {
    id: 'user-deleted',
    get title() {
      return l10n.t('User deleted');
    },
    severity: 'medium',
    match: { category: 'user', action: 'Delete' },
    get check() {
      return l10n.t(
        "Confirm the deletion was requested and the user's data (recordings, meetings) was transferred if needed.",
      );
    },
  },
  {
    id: 'user-deactivated',
    get title() {
      return l10n.t('User deactivated');
    },
    severity: 'low',
    match: { text: /^\s*deactivate user\b/i },
    get check() {
      return l10n.t('Confirm the deactivation matches an offboarding or a security response.');
    },
  },
  {
    id: 'sub-account-deleted',
    get title() {
      return l10n.t('Sub account deleted');
    },
    severity: 'high',
    match: { category: 'sub_account', action: 'Delete' },
    get check() {
      return l10n.t("Confirm the sub account's deletion was approved; its users, meetings and recordings go with it.");
    },
  },
  {
    id: 'bulk-role-change',
    get title() {
      return l10n.t('Role or user type changed in bulk or through SCIM/API');
    },
    severity: 'medium',
    match: {
      action: ['Batch Update', 'SCIM API - Update', 'API - Update'],
      setting: /\brole\b|user type|change type|\btype\b/i,
    },
    get check() {
      return l10n.t(
        'Check which identity-provider sync or script made the change and that every affected user was meant to change.',
      );
    },
  },
  {
    id: 'information-barrier-changed',
    get title() {
      return l10n.t('Information barrier changed');
    },
    severity: 'medium',
    match: { text: /information barrier/i },
    get check() {
      return l10n.t(
        'Check the change with compliance: information barriers keep groups that must not communicate apart.',
      );
    },
  },
];

interface CompiledRule {
  rule: Rule;
  index: number;
  categories?: Set<string>;
  actions?: string[];
  text?: Tester;
  /** Index into the engine's pool of distinct setting regexes, or -1. */
  setting: number;
  /** Indexes into the pool of distinct value regexes, or -1. */
  from: number;
  to: number;
  numeric?: 'decrease' | 'increase';
  needsChanges: boolean;
  /** Fires on category and action alone (no text, no change fields). */
  free: boolean;
  /**
   * Lowercase words the raw detail must hold one of for the rule to fire (from its `text`, else its `setting`
   * pattern; see prefilter.ts), or undefined when they cannot be told.
   */
  words?: string[];
  /** Lowercase words the `setting` pattern needs one of, or undefined. */
  settingWords?: string[];
  /** The rule's title and check as read (translated) at its first finding: once per engine, not per finding. */
  title?: string;
  check?: string;
}

/** What the engine runs a pattern through: a RegExp (built-in rules), or a user's pattern under a time guard. */
interface Tester {
  test(s: string): boolean;
}

/** A user rule's pattern slower than this on one text counts towards its budget (ordinary tests take microseconds). */
export const SLOW_TEST_MS = 20;
/** Slow time a pattern may spend within WINDOW_TESTS tests before it is switched off. */
export const SLOW_BUDGET_MS = 1000;
export const WINDOW_TESTS = 1000;

/**
 * A user rule's pattern, timed: one that spends more than SLOW_BUDGET_MS in slow tests within WINDOW_TESTS tests
 * (a pattern such as `a.*b.*c` on long details made of its own words, or a single test over the budget) stops
 * matching and says so once. A regular expression cannot be interrupted, so this bounds the cost of a bad
 * pattern to about one budget per rule; overlappingRepetitions refuses the shapes whose single test takes minutes.
 */
export class GuardedPattern implements Tester {
  private tests = 0;
  private slowMs = 0;
  private longest = 0;
  tripped = false;

  constructor(
    private readonly re: Pick<RegExp, 'test'>,
    private readonly onTrip: (ms: number, longest: number) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  test(s: string): boolean {
    if (this.tripped) return false;
    const t0 = this.now();
    const hit = this.re.test(s);
    const ms = this.now() - t0;
    if (ms > SLOW_TEST_MS) {
      this.slowMs += ms;
      this.longest = Math.max(this.longest, s.length);
      if (this.slowMs > SLOW_BUDGET_MS) {
        // This answer stands (the test finished); the next ones are not asked.
        this.tripped = true;
        this.onTrip(this.slowMs, this.longest);
      }
    }
    if (++this.tests === WINDOW_TESTS) {
      this.tests = 0;
      this.slowMs = 0;
    }
    return hit;
  }
}

/**
 * Distinct regexes by source and flags, so each is run once per string however many rules use it. A user rule's
 * pattern is its own entry (`guard`), so switching it off affects no other rule.
 */
class RegexPool {
  readonly list: Tester[] = [];
  /** The regexes, for the prefilter's analysis. */
  readonly regexps: RegExp[] = [];
  private readonly ids = new Map<string, number>();
  add(r: RegExp | undefined, guard?: (re: RegExp) => GuardedPattern): number {
    if (!r) return -1;
    const re = new RegExp(r.source, r.flags.replace(/[gy]/g, ''));
    if (guard) {
      this.regexps.push(re);
      return this.list.push(guard(re)) - 1;
    }
    const key = `${r.flags}/${r.source}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(re);
      this.regexps.push(re);
      this.ids.set(key, id);
    }
    return id;
  }
}

export interface RuleEngine {
  /** The rules in force, built-ins first (a user rule with a built-in's id replaces it). */
  readonly rules: readonly Rule[];
  /**
   * Every rule that fires on the entry, in rule order. Never throws. `parsed` is the entry's parsed detail, or
   * a function that parses it (called only when a rule may need the changes); by default `parsedOf(entry)`.
   */
  check(entry: OperationLogEntry, parsed?: ParsedDetail | ((entry: OperationLogEntry) => ParsedDetail)): Finding[];
  /** Whether the operator matches `trustedOperators`. */
  isTrusted(operator: string): boolean;
}

export function lowerSeverity(s: Severity): Severity {
  return s === 'high' ? 'medium' : 'low';
}

function asList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter((x) => x !== '');
}

function toRegExp(v: string | RegExp): RegExp {
  return typeof v === 'string' ? new RegExp(v, 'i') : v;
}

function cap(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}

function num(s: string | undefined): number {
  if (s === undefined) return NaN;
  const t = s.trim();
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

/** Called when a user rule's pattern is switched off for taking too long (see GuardedPattern). */
export type SlowRuleListener = (message: string) => void;

function compileOne(
  rule: Rule,
  index: number,
  settings: RegexPool,
  values: RegexPool,
  onSlow: SlowRuleListener,
): CompiledRule {
  const m = rule.match;
  const cats = asList(m.category);
  const actions = asList(m.action)?.map((a) => a.toLowerCase());
  // Built-in patterns are RegExp literals, reviewed and tested; a user's are strings from the settings: guarded.
  const guard =
    (field: string) =>
    (re: RegExp): GuardedPattern =>
      new GuardedPattern(re, (ms, longest) =>
        onSlow(
          l10n.t(
            "Rule '{0}': its '{1}' pattern spent {2} ms on details of up to {3} characters (a pattern such as a.*b.*c can backtrack on long text), so it is off until the rules setting changes or the window reloads.",
            rule.id,
            field,
            Math.round(ms),
            longest,
          ),
        ),
      );
  const user = (v: string | RegExp | undefined): boolean => typeof v === 'string';
  const textRe = m.text !== undefined ? toRegExp(m.text) : undefined;
  const c: CompiledRule = {
    rule,
    index,
    categories: cats?.length ? new Set(cats.flatMap((x) => [categoryKey(x), `other:${x.toLowerCase()}`])) : undefined,
    actions: actions?.length ? actions : undefined,
    text: textRe && user(m.text) ? guard('text')(textRe) : textRe,
    setting: settings.add(
      m.setting !== undefined ? toRegExp(m.setting) : undefined,
      user(m.setting) ? guard('setting') : undefined,
    ),
    from: values.add(m.from !== undefined ? toRegExp(m.from) : undefined, user(m.from) ? guard('from') : undefined),
    to: values.add(m.to !== undefined ? toRegExp(m.to) : undefined, user(m.to) ? guard('to') : undefined),
    numeric: m.numeric,
    needsChanges: false,
    free: false,
  };
  c.needsChanges = c.setting >= 0 || c.from >= 0 || c.to >= 0 || !!c.numeric;
  c.free = !c.text && !c.needsChanges;
  // `text` runs on the raw detail; `setting` on a change's path, whose words are words of the raw detail too.
  c.settingWords = c.setting >= 0 ? requiredWords(settings.regexps[c.setting]) : undefined;
  c.words = (textRe && requiredWords(textRe)) || c.settingWords;
  return c;
}

function actionMatches(actions: string[], action: string): boolean {
  for (const a of actions) {
    if (action === a) return true;
    if (action.length > a.length && action.endsWith(a)) {
      const before = action.charCodeAt(action.length - a.length - 1);
      if (before === 32) return true;
    }
  }
  return false;
}

/** The change fields of a rule whose setting already matched (or that has none). */
function changeMatches(r: CompiledRule, c: Change, values: Tester[]): boolean {
  if (r.from >= 0 && (c.from === undefined || !values[r.from].test(cap(c.from, MAX_VALUE)))) return false;
  if (r.to >= 0) {
    const to = c.to ?? c.setTo ?? c.value;
    if (to === undefined || !values[r.to].test(cap(to, MAX_VALUE))) return false;
  }
  if (r.numeric) {
    const a = num(c.from);
    const b = num(c.to);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    if (r.numeric === 'decrease' ? !(b < a) : !(b > a)) return false;
  }
  return true;
}

/**
 * Whether `text` matches the whole `glob` (`*` any run, `?` one character; both already lowercase). Linear
 * backtracking to the last `*` only, so at most `glob.length * text.length` steps: a regular expression made of
 * the glob (`.*a.*a.*`) can take minutes on a long operator an odd server sends.
 */
export function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = glob[g]; // undefined past the glob's end, equal to no character
    if (c === '*') {
      star = g++;
      resume = t;
    } else if (c === '?' || c === text[t]) {
      g++;
      t++;
    } else if (star >= 0) {
      g = star + 1;
      t = ++resume;
    } else return false;
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/**
 * Whether a pattern repeats (`+`, `*`, `{n,}`, `{n,m}`) a group that holds a repetition or an alternative,
 * e.g. `(a+)+`, `((\w)*)*` or `(a|ab)*`: the shapes that can take exponential time on a short text.
 * Conservative: it also refuses some harmless patterns such as `(on|off)+`.
 */
export function hasNestedRepetition(pattern: string): boolean {
  const stack: boolean[] = []; // per open group: does it hold a quantifier or `|`?
  let inClass = false;
  let risky = false; // the group that just closed
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      risky = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    const quantifier = c === '+' || c === '*' || (c === '{' && /^\{\d*,?\d*\}/.test(pattern.slice(i, i + 12)));
    if (quantifier && risky) return true;
    risky = false;
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      risky = inner;
      if (inner && stack.length) stack[stack.length - 1] = true;
    } else if ((quantifier || c === '|' || c === '?') && stack.length) {
      // `?` right after `(` starts `(?:`/`(?=`: not a repetition.
      if (c !== '?' || pattern[i - 1] !== '(') stack[stack.length - 1] = true;
    }
  }
  return false;
}

/** Characters to tell whether two one-character atoms can match the same character: ASCII and a few others. */
const PROBES = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), '\u00e9', '\u00a0', '\u4e2d'];

/** Whether two one-character atoms (`.`, `a`, `\d`, `[a-z]`, ...) can match the same character (case-insensitively). */
function overlap(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const ra = new RegExp(`^(?:${a})$`, 'i');
    const rb = new RegExp(`^(?:${b})$`, 'i');
    return PROBES.some((ch) => ra.test(ch) && rb.test(ch));
  } catch {
    return true; // not read as an atom: assume the worst
  }
}

/**
 * The first place where a pattern repeats, without bound, two one-character atoms in a row that can match the same
 * character (`.*.*`, `\w+\d*`, `[a-z]+[a-y]+`): each such character can go to either, so a long text without a
 * match is tried in quadratic or cubic time (`.*.*=` took a second on 2,000 characters, minutes on 8,000).
 * `[A-Za-z]+\s*` (no common character) is fine. Undefined when there is none.
 */
export function overlappingRepetitions(pattern: string): string | undefined {
  let prev: { atom: string; text: string } | undefined;
  for (let i = 0; i < pattern.length;) {
    const start = i;
    const c = pattern[i];
    let atom: string | undefined; // a one-character atom, or undefined for a group, an anchor or `|`
    if (c === '\\') {
      i += 2;
      // \b, \B and back references match no character of their own.
      atom = 'bB123456789'.includes(pattern[start + 1] ?? 'b') ? undefined : pattern.slice(start, i);
    } else if (c === '[') {
      // The first `]` not escaped closes the class, as in JavaScript (`[]` and `[^]` close at once).
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      atom = pattern.slice(start, i);
    } else {
      i++;
      atom = '()|^$'.includes(c) ? undefined : c;
    }
    const q = /^(?:[*+]|\{\d+,\})\??/.exec(pattern.slice(i, i + 12));
    // Anything else (a group, an anchor, an atom repeated a bounded number of times, whose `?` or `{1,3}` the next
    // turns read as atoms of their own) stands between two repetitions.
    if (atom === undefined || !q) {
      prev = undefined;
      continue;
    }
    i += q[0].length;
    const text = pattern.slice(start, i);
    if (prev && overlap(prev.atom, atom)) return prev.text + text;
    prev = { atom, text };
  }
  return undefined;
}

const REGEX_FIELDS = ['setting', 'from', 'to', 'text'] as const;
const KNOWN_FIELDS = new Set(['id', 'title', 'severity', 'match', 'check', 'enabled']);
const KNOWN_MATCH = new Set(['category', 'action', 'setting', 'from', 'to', 'text', 'numeric']);

/** Validates one user rule; returns the rule, `disable` for `{ id, enabled: false }`, or problems. */
function validateUserRule(
  raw: unknown,
  index: number,
): { rule?: Rule; disable?: string; problems: string[]; name: string } {
  const problems: string[] = [];
  let name = l10n.t('Rule #{0}', index + 1);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [l10n.t('{0} is not an object with an id and a match; it is ignored.', name)], name };
  }
  const r = raw as Record<string, unknown>;
  if (typeof r.id === 'string' && r.id.trim()) name = l10n.t("Rule '{0}'", r.id.trim());
  else {
    const problem = l10n.t("{0}: field 'id' is missing or empty; give the rule an id. The rule is ignored.", name);
    return { problems: [problem], name };
  }
  const id = r.id.trim();
  if (r.enabled === false) return { disable: id, problems, name };
  for (const k of Object.keys(r)) {
    if (!KNOWN_FIELDS.has(k)) problems.push(l10n.t("{0}: field '{1}' is not a rule field and is ignored.", name, k));
  }
  const severity = r.severity === undefined ? 'medium' : r.severity;
  if (typeof severity !== 'string' || !SEVERITIES.includes(severity as Severity)) {
    problems.push(l10n.t("{0}: field 'severity' must be 'high', 'medium' or 'low'. The rule is ignored.", name));
    return { problems, name };
  }
  if (r.title !== undefined && typeof r.title !== 'string') {
    problems.push(l10n.t("{0}: field 'title' must be a string. The rule is ignored.", name));
    return { problems, name };
  }
  if (r.check !== undefined && typeof r.check !== 'string') {
    problems.push(l10n.t("{0}: field 'check' must be a string. The rule is ignored.", name));
    return { problems, name };
  }
  if (typeof r.match !== 'object' || r.match === null || Array.isArray(r.match)) {
    problems.push(
      l10n.t(
        "{0}: field 'match' must be an object such as {1}. The rule is ignored.",
        name,
        '{ "setting": "passcode" }',
      ),
    );
    return { problems, name };
  }
  const m = r.match as Record<string, unknown>;
  const match: RuleMatch = {};
  let bad = false;
  for (const k of Object.keys(m)) {
    if (!KNOWN_MATCH.has(k)) {
      problems.push(l10n.t("{0}: field 'match.{1}' is not a match field and is ignored.", name, k));
    }
  }
  for (const k of ['category', 'action'] as const) {
    const v = m[k];
    if (v === undefined) continue;
    if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) match[k] = v;
    else {
      problems.push(l10n.t("{0}: field '{1}' must be a string or a list of strings. The rule is ignored.", name, k));
      bad = true;
    }
  }
  for (const k of REGEX_FIELDS) {
    const v = m[k];
    if (v === undefined) continue;
    if (typeof v !== 'string') {
      problems.push(
        l10n.t("{0}: field '{1}' must be a regular expression written as a string. The rule is ignored.", name, k),
      );
      bad = true;
      continue;
    }
    if (v.length > MAX_PATTERN) {
      problems.push(
        l10n.t(
          "{0}: field '{1}' is longer than {2} characters; shorten it. The rule is ignored.",
          name,
          k,
          MAX_PATTERN,
        ),
      );
      bad = true;
      continue;
    }
    try {
      new RegExp(v, 'i');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      problems.push(
        l10n.t("{0}: field '{1}' is not a valid regular expression: {2}. The rule is ignored.", name, k, why),
      );
      bad = true;
      continue;
    }
    const wild = overlappingRepetitions(v);
    if (wild !== undefined) {
      problems.push(
        l10n.t(
          "{0}: field '{1}' repeats two things in a row that can match the same character ('{2}'), which can take minutes on a long detail; keep one. The rule is ignored.",
          name,
          k,
          wild,
        ),
      );
      bad = true;
      continue;
    }
    if (hasNestedRepetition(v)) {
      problems.push(
        l10n.t(
          "{0}: field '{1}' repeats a group that holds a repetition or an alternative (like (a+)+ or (a|ab)*), which can take very long; rewrite it without repeating that group. The rule is ignored.",
          name,
          k,
        ),
      );
      bad = true;
      continue;
    }
    match[k] = v;
  }
  if (m.numeric !== undefined) {
    if (m.numeric === 'decrease' || m.numeric === 'increase') match.numeric = m.numeric;
    else {
      problems.push(l10n.t("{0}: field 'numeric' must be 'decrease' or 'increase'. The rule is ignored.", name));
      bad = true;
    }
  }
  if (bad) return { problems, name };
  if (Object.keys(match).length === 0) {
    problems.push(l10n.t("{0}: field 'match' sets no field, so it would flag every entry. The rule is ignored.", name));
    return { problems, name };
  }
  return {
    rule: {
      id,
      title: typeof r.title === 'string' && r.title.trim() ? r.title.trim() : id,
      severity: severity as Severity,
      match,
      check: typeof r.check === 'string' && r.check.trim() ? r.check.trim() : l10n.t('Review this change.'),
    },
    problems,
    name,
  };
}

/**
 * Compiles built-in and user rules (the setting's raw value: anything) and the trusted operators
 * (e-mails or globs such as `*@it.example.com`, case-insensitive). Invalid user rules are dropped
 * with one message each in `problems`; the others keep working. Never throws.
 */
export function compileRules(
  builtIns: readonly Rule[] = BUILT_IN_RULES,
  userRules: unknown = [],
  trusted: unknown = [],
  options: CompileOptions = {},
): { engine: RuleEngine; problems: string[] } {
  const problems: string[] = [];
  const byId = new Map<string, Rule>();
  for (const r of builtIns) byId.set(r.id, r);
  if (userRules !== undefined && userRules !== null && !Array.isArray(userRules)) {
    problems.push(l10n.t("Setting 'zoomOperationLogs.rules' must be a list of rules; it is ignored."));
  } else if (Array.isArray(userRules)) {
    const seen = new Set<string>();
    userRules.forEach((raw, i) => {
      const v = validateUserRule(raw, i);
      problems.push(...v.problems);
      const id = v.rule?.id ?? v.disable;
      if (id !== undefined) {
        if (seen.has(id)) {
          problems.push(l10n.t('{0}: another user rule has the same id; the later one is used.', v.name));
        }
        seen.add(id);
      }
      if (v.disable !== undefined) byId.delete(v.disable);
      else if (v.rule) {
        byId.delete(v.rule.id); // re-insert at the end: user rules come after built-ins
        byId.set(v.rule.id, v.rule);
      }
    });
  }

  const exact = new Set<string>();
  const globs: string[] = [];
  if (trusted !== undefined && trusted !== null && !Array.isArray(trusted)) {
    problems.push(
      l10n.t("Setting 'zoomOperationLogs.trustedOperators' must be a list of e-mails or patterns; it is ignored."),
    );
  } else if (Array.isArray(trusted)) {
    trusted.forEach((t, i) => {
      if (typeof t !== 'string' || !t.trim()) {
        problems.push(
          l10n.t('Trusted operator #{0} is not an e-mail or a pattern such as *@it.example.com; it is ignored.', i + 1),
        );
      } else if (t.length > MAX_PATTERN) {
        problems.push(
          l10n.t('Trusted operator #{0} is longer than {1} characters; it is ignored.', i + 1, MAX_PATTERN),
        );
      } else if (/[*?]/.test(t)) globs.push(t.trim().toLowerCase());
      else exact.add(t.trim().toLowerCase());
    });
  }

  const rules = [...byId.values()];
  const settings = new RegexPool();
  const values = new RegexPool();
  let engine: Engine | undefined = undefined;
  const onSlow = (message: string): void => {
    // What the engine remembers (rules by detail and by setting) was worked out with the pattern on.
    engine?.forget();
    options.onSlowRule?.(message);
  };
  const compiled = rules.map((r, i) => compileOne(r, i, settings, values, onSlow));
  engine = new Engine(rules, compiled, exact, globs, settings.list, values.list, options.prefilter !== false);
  return { engine, problems };
}

export interface CompileOptions {
  /**
   * Skip an entry's text and change rules (and the parsing of its detail) when the detail holds none of the
   * words those rules need (default true). The findings are the same either way; false is for tests.
   */
  prefilter?: boolean;
  /**
   * Told (once per pattern) when a user rule's pattern is switched off for spending too long on the details
   * (see GuardedPattern); the message names the rule and field.
   */
  onSlowRule?: SlowRuleListener;
}

/** What an entry of one category and action needs checked (see Engine.gateFor). */
interface Gate {
  /** The rules that fire on this category and action alone, in rule order. */
  free: CompiledRule[];
  /** Finds a word some other rule needs; null when no other rule can fire (`always` false) or any may. */
  words: WordFinder | null;
  /** Some rule that may fire has no known words: check every entry in full. */
  always: boolean;
  /** Like `words` and `always`, for the rules that need the parsed changes (the detail is parsed only then). */
  changeWords: WordFinder | null;
  changeAlways: boolean;
  /** The rules that fired, by detail (a pure function of category, action and detail). */
  memo: StringTable<readonly CompiledRule[]>;
}

/** Details longer than this are not remembered. */
const MEMO_DETAIL = 1024;
/**
 * The remembered details' characters, across categories and actions, before they are forgotten at once. The
 * details are the loaded entries' own strings, so this costs memory only once their entries are gone (then at most
 * about 12 MB, until the memo starts over). A million realistic entries hold about 75,000 distinct details that
 * may fire a rule (7 million characters): with 4 million the memo started over mid-range and checked 23,000 of
 * them twice (bench: 5-10% of the parse + rules time).
 */
const MEMO_CHARS = 12_000_000;

const NO_RULES: readonly CompiledRule[] = Object.freeze([]) as readonly CompiledRule[];

/**
 * Rules without change fields (category, action, text) are tried per entry through a per-category list.
 * Rules with change fields are found per change: the rules whose `setting` regex matches a setting name
 * are computed once per distinct setting and cached (setting names repeat across entries), so a change
 * whose setting no rule mentions costs one map lookup.
 */
class Engine implements RuleEngine {
  private readonly plainAny: CompiledRule[];
  private readonly plainByCategory = new Map<string, CompiledRule[]>();
  private readonly plainPerCategory = new Map<string, CompiledRule[]>();
  private readonly changeRules: CompiledRule[];
  private readonly bySetting = new Map<string, readonly CompiledRule[]>();
  private readonly bySection = new Map<string, Map<string, readonly CompiledRule[]>>();
  private readonly trustCache = new Map<string, boolean>();
  private readonly lowerActions = new Map<string, string>();
  /** Per rule, the number of the last check() it fired in (one finding per rule and entry). */
  private readonly firedAt: number[];
  private checks = 0;
  /** Per category, per action (as Zoom spells it): the gate, or undefined when the prefilter is off. */
  private readonly gates?: Map<string, Map<string, Gate>>;

  constructor(
    readonly rules: readonly Rule[],
    compiled: CompiledRule[],
    private readonly exact: Set<string>,
    private readonly globs: string[],
    private readonly settings: Tester[],
    private readonly values: Tester[],
    prefilter: boolean,
  ) {
    const plain = compiled.filter((c) => !c.needsChanges);
    this.changeRules = compiled.filter((c) => c.needsChanges);
    this.plainAny = plain.filter((c) => !c.categories);
    for (const c of plain) {
      for (const k of c.categories ?? []) {
        let list = this.plainByCategory.get(k);
        if (!list) this.plainByCategory.set(k, (list = []));
        list.push(c);
      }
    }
    this.firedAt = compiled.map(() => 0);
    if (prefilter) {
      this.gates = new Map();
      const words = this.changeRules.flatMap((r) => r.settingWords ?? []);
      if (words.length) this.settingWords = anyWordRegExp(words);
    }
    this.compiled = compiled;
  }

  private readonly compiled: CompiledRule[];
  /** Finds any word of the change rules' `setting` patterns (prefilter on). */
  private settingWords?: RegExp;

  /**
   * The prefilter for a category and action: the rules that can fire on them, split into those that fire on
   * category and action alone and the others, with one pattern for every word the others need. An entry whose
   * detail holds none of those words gets only the first kind, without parsing its detail.
   */
  private gateFor(category: string, action: string): Gate {
    let byAction = this.gates!.get(category);
    if (!byAction) {
      if (this.gates!.size >= 1000) this.gates!.clear();
      this.gates!.set(category, (byAction = new Map()));
    }
    let gate = byAction.get(action);
    if (!gate) {
      const lower = this.lowerAction(action);
      const candidates = this.compiled.filter(
        (r) => (!r.categories || r.categories.has(category)) && (!r.actions || actionMatches(r.actions, lower)),
      );
      const others = candidates.filter((r) => !r.free);
      const always = others.some((r) => !r.words);
      const changes = others.filter((r) => r.needsChanges);
      const changeAlways = changes.some((r) => !r.words);
      gate = {
        free: candidates.filter((r) => r.free),
        words: always || !others.length ? null : this.finder(others),
        always,
        changeWords: changeAlways || !changes.length ? null : this.finder(changes),
        changeAlways,
        memo: new StringTable(),
      };
      if (byAction.size >= 1000) byAction.clear();
      byAction.set(action, gate);
    }
    return gate;
  }

  /** Forgets the rules remembered per detail and per setting (a user pattern was switched off). */
  forget(): void {
    this.gates?.clear();
    this.bySetting.clear();
    this.bySection.clear();
    this.memoChars = 0;
  }

  /** Finders by the rules they serve (most gates share their rules): one table per distinct list of words. */
  private readonly finders = new Map<string, WordFinder>();

  /** Finds a word of any of the rules (each has words). */
  private finder(rules: readonly CompiledRule[]): WordFinder {
    const key = rules.map((r) => r.index).join(',');
    let f = this.finders.get(key);
    if (!f) {
      if (this.finders.size >= 1000) this.finders.clear();
      this.finders.set(key, (f = new WordFinder(rules.flatMap((r) => r.words ?? []))));
    }
    return f;
  }

  /** Plain rules that can fire on a category, in rule order (computed once per category). */
  private plainFor(category: string): CompiledRule[] {
    let list = this.plainPerCategory.get(category);
    if (!list) {
      list = [...(this.plainByCategory.get(category) ?? []), ...this.plainAny].sort((a, b) => a.index - b.index);
      if (this.plainPerCategory.size < 1000) this.plainPerCategory.set(category, list);
    }
    return list;
  }

  /** Change rules whose `setting` matches the path (or that have none), in rule order. */
  private compute(text: string): readonly CompiledRule[] {
    const capped = cap(text, MAX_VALUE);
    // Most settings hold none of the words of any rule's `setting` (one test instead of one per rule).
    const worded = !this.settingWords || this.settingWords.test(capped);
    const list = this.changeRules.filter(
      (r) => r.setting < 0 || ((worded || !r.settingWords) && this.settings[r.setting].test(capped)),
    );
    return list.length ? list : NO_RULES;
  }

  private rulesFor(path: readonly string[]): readonly CompiledRule[] {
    if (path.length === 2) {
      let m = this.bySection.get(path[0]);
      if (!m) {
        if (this.bySection.size >= 1000) this.bySection.clear();
        this.bySection.set(path[0], (m = new Map()));
      }
      let list = m.get(path[1]);
      if (list === undefined) {
        list = this.compute(`${path[0]} > ${path[1]}`);
        if (m.size >= 5000) m.clear();
        m.set(path[1], list);
      }
      return list;
    }
    const key = path.length === 1 ? path[0] : path.join(' > ');
    let list = this.bySetting.get(key);
    if (list === undefined) {
      list = this.compute(key);
      if (this.bySetting.size >= 20_000) this.bySetting.clear();
      this.bySetting.set(key, list);
    }
    return list;
  }

  isTrusted(operator: string): boolean {
    if (this.exact.size === 0 && this.globs.length === 0) return false;
    const op = typeof operator === 'string' ? operator : '';
    let hit = this.trustCache.get(op);
    if (hit === undefined) {
      const lower = op.trim().toLowerCase();
      hit = this.exact.has(lower) || this.globs.some((g) => globMatches(g, lower));
      if (this.trustCache.size < 10_000) this.trustCache.set(op, hit);
    }
    return hit;
  }

  private lowerAction(action: string): string {
    let a = this.lowerActions.get(action);
    if (a === undefined) {
      a = action.trim().toLowerCase();
      if (this.lowerActions.size < 1000) this.lowerActions.set(action, a);
    }
    return a;
  }

  private finding(r: CompiledRule, entry: OperationLogEntry, trusted: boolean): Finding {
    // Built-in titles and checks are getters that translate: read once per engine (compiled after activate()
    // set the translator), not once per finding.
    if (r.title === undefined) {
      r.title = r.rule.title;
      r.check = r.rule.check;
    }
    const severity = r.rule.severity;
    return {
      ruleId: r.rule.id,
      title: r.title,
      severity: trusted ? lowerSeverity(severity) : severity,
      ruleSeverity: severity,
      check: r.check!,
      trusted,
      entry,
    };
  }

  check(entry: OperationLogEntry, parsed?: ParsedDetail | ((entry: OperationLogEntry) => ParsedDetail)): Finding[] {
    let hits: readonly CompiledRule[] | undefined;
    try {
      const category = entry.category ?? categoryKey(entry.categoryType);
      const detail = entry.operationDetail ?? '';
      const action = entry.action ?? '';
      // Odd values (not strings) take the full path, which copes with them as it always did.
      if (this.gates && typeof category === 'string' && typeof action === 'string' && typeof detail === 'string') {
        const gate = this.gateFor(category, action);
        if (!gate.always && !gate.words?.test(detail)) hits = gate.free;
        else {
          const memo = detail.length <= MEMO_DETAIL ? gate.memo : undefined;
          const hash = memo ? hashText(detail) : 0;
          hits = memo?.get(detail, hash);
          if (hits === undefined) {
            const changes = gate.changeAlways || !!gate.changeWords?.test(detail);
            hits = this.full(entry, category, changes ? parsed : null);
            if (memo) this.remember(memo, detail, hash, hits);
          }
        }
      } else hits = this.full(entry, category, parsed);
    } catch {
      // A rule must never break the view: keep what was found so far.
      hits = this.partial?.sort((a, b) => a.index - b.index);
    }
    this.partial = undefined;
    if (!hits || !hits.length) return [];
    const trusted = this.isTrusted(entry.operator);
    const out: Finding[] = [];
    for (let k = 0; k < hits.length; k++) out.push(this.finding(hits[k], entry, trusted));
    return out;
  }

  /** What full() had found when a rule threw. */
  private partial: CompiledRule[] | undefined;

  /** Remembers an entry's rules by its detail (per category and action), within MEMO_CHARS characters of keys. */
  private remember(
    memo: StringTable<readonly CompiledRule[]>,
    detail: string,
    hash: number,
    hits: readonly CompiledRule[],
  ): void {
    this.memoChars += detail.length + 16;
    if (this.memoChars > MEMO_CHARS) {
      for (const byAction of this.gates!.values()) for (const g of byAction.values()) g.memo.clear();
      this.memoChars = detail.length + 16;
    }
    memo.add(detail, hash, hits);
  }

  private memoChars = 0;

  /** Every rule that fires, in rule order; `parsed` null when the prefilter found that no change rule can fire. */
  private full(
    entry: OperationLogEntry,
    category: string,
    parsed: ParsedDetail | ((entry: OperationLogEntry) => ParsedDetail) | undefined | null,
  ): readonly CompiledRule[] {
    let hits: CompiledRule[] | undefined;
    this.partial = undefined;
    let action: string | undefined;
    let text: string | undefined;
    for (const r of this.plainFor(category)) {
      if (r.actions && !actionMatches(r.actions, (action ??= this.lowerAction(entry.action ?? '')))) continue;
      if (r.text && !r.text.test((text ??= cap(entry.operationDetail ?? '', MAX_TEXT)))) continue;
      (this.partial = hits ??= []).push(r);
    }
    if (this.changeRules.length && parsed !== null) {
      const changes = (typeof parsed === 'function' ? parsed(entry) : (parsed ?? parsedOf(entry))).changes;
      const stamp = ++this.checks;
      for (const c of changes) {
        const list = this.rulesFor(c.path);
        for (let k = 0; k < list.length; k++) {
          const r = list[k];
          if (this.firedAt[r.index] === stamp) continue;
          if (r.categories && !r.categories.has(category)) continue;
          if (r.actions && !actionMatches(r.actions, (action ??= this.lowerAction(entry.action ?? '')))) continue;
          if (r.text && !r.text.test((text ??= cap(entry.operationDetail ?? '', MAX_TEXT)))) continue;
          if (!changeMatches(r, c, this.values)) continue;
          this.firedAt[r.index] = stamp;
          (this.partial = hits ??= []).push(r);
        }
      }
    }
    if (!hits) return NO_RULES;
    if (hits.length > 1) hits.sort((a, b) => a.index - b.index);
    return hits;
  }
}
