/**
 * Reads Zoom's free-text `operation_detail` into a target, a verb, a section and a list of changes.
 *
 * The shapes (see docs/architecture.md and the notes on real entries):
 *   `Security  - Sign in with Two-Factor Authentication: from On to Off`
 *   `Update User jane@example.com  - Job Title: set to Contractor - Department: Sales`
 *   `Change Role  - jane@example.com: from User to Co-Owner`
 *   `Activate User jane@example.com `
 * Segments are separated by a hyphen with whitespace on both sides (`Co-Owner`, `Sign-in`, `-1` and
 * hyphenated e-mails are not separators), never inside an embedded JSON array or object. A value that
 * itself holds ` - ` is split there: the text alone cannot tell the two apart (`raw` always keeps it).
 * Plain Node; never throws; linear in the length of the detail.
 */
import type { OperationLogEntry } from '../zoom/types';
import { l10n } from '../l10n';
import { hashText, StringTable } from './memo';

export type TargetKind =
  'user' | 'group' | 'room' | 'channel' | 'role' | 'account' | 'setting' | 'recording' | 'sub_account' | 'other';

export interface Target {
  kind: TargetKind;
  name: string;
}

export interface Change {
  /** The section (when the detail has one) and the setting: `['Security', 'Sign in with Two-Factor Authentication']`. */
  path: string[];
  /** `from X to Y` */
  from?: string;
  to?: string;
  /** `set to X` (possibly empty) */
  setTo?: string;
  /** `Setting: X`, or a segment with no setting at all (`jane@example.com`). */
  value?: string;
}

export interface ParsedDetail {
  target?: Target;
  /** `Update User`, `Edit Group`, `Change Role`, `Batch Update Users`... */
  verb?: string;
  /** The leading segment when it names a settings page rather than an object (`Security`, `Sign-in Methods`). */
  section?: string;
  changes: Change[];
  raw: string;
}

/** Longer segments are kept whole in `raw` but not read for a key (bounds regex work on huge details). */
const MAX_HEAD = 4096;

const VERBS =
  'Batch Update|Batch Delete|Batch Add|Add|Update|Edit|Delete|Remove|Activate|Deactivate|Assign|Unassign|Recover|Restore|Create|Change|Disable|Enable|Transfer|Upgrade|Downgrade|Link|Unlink|Invite|Reset|Revoke|Approve|Reject|Sign In|Sign Out';
const NOUNS: [string, TargetKind][] = [
  ['User Settings', 'user'],
  ['Users', 'user'],
  ['User Group', 'group'],
  ['User', 'user'],
  ['IM Group', 'group'],
  ['Groups', 'group'],
  ['Group', 'group'],
  ['Zoom Rooms', 'room'],
  ['Zoom Room', 'room'],
  ['Rooms', 'room'],
  ['Room', 'room'],
  ['Channels', 'channel'],
  ['Channel', 'channel'],
  ['Roles', 'role'],
  ['Role', 'role'],
  ['Sub Account', 'sub_account'],
  ['Account Settings', 'setting'],
  ['Meeting Settings', 'setting'],
  ['Webinar Settings', 'setting'],
  ['Recording Settings', 'setting'],
  ['Settings', 'setting'],
  ['Account', 'account'],
  ['Cloud Recordings', 'recording'],
  ['Cloud Recording', 'recording'],
  ['Recordings', 'recording'],
  ['Recording', 'recording'],
  ['Webinar', 'other'],
  ['Meeting', 'other'],
  ['Phone Contacts', 'other'],
  ['Phone Contact', 'other'],
  ['Plan', 'other'],
  ['Billing Contact', 'other'],
  ['Associated Domain', 'other'],
];
/** Canonical noun -> target kind. */
const NOUN_KIND = new Map(NOUNS);
/** Words by first character code (ASCII), longest first, for prefix matching without slicing or hashing. */
function byFirstChar(words: string[]): string[][] {
  const out: string[][] = Array.from({ length: 128 }, () => []);
  for (const w of [...words].sort((a, b) => b.length - a.length)) out[w.charCodeAt(0)].push(w);
  return out;
}
const VERB_LIST = VERBS.split('|');
const NOUN_LIST = NOUNS.map(([n]) => n);
const VERBS_BY_FIRST = byFirstChar(VERB_LIST);
const NOUNS_BY_FIRST = byFirstChar(NOUN_LIST);
const LOWER_VERBS_BY_FIRST = byFirstChar(VERB_LIST.map((v) => v.toLowerCase()));
const LOWER_NOUNS_BY_FIRST = byFirstChar(NOUN_LIST.map((v) => v.toLowerCase()));
const CANONICAL = new Map([...VERB_LIST, ...NOUN_LIST].map((w) => [w.toLowerCase(), w]));

/** The word of `table` that `s` holds at `pos`, followed by a space or the end (`Username` is no `User`). */
function wordAt(s: string, pos: number, table: string[][]): string | undefined {
  const list = table[s.charCodeAt(pos)];
  if (list === undefined) return undefined;
  for (const w of list) {
    if (s.startsWith(w, pos)) {
      const after = pos + w.length;
      if (after === s.length || s.charCodeAt(after) === 32) return w;
    }
  }
  return undefined;
}

/** [verb, noun, where the noun ends] in `h`, with the given tables. */
function verbNoun(h: string, verbs: string[][], nouns: string[][]): [string, string, number] | undefined {
  const verb = wordAt(h, 0, verbs);
  if (verb === undefined || verb.length >= h.length) return undefined;
  let pos = verb.length + 1;
  const c = h.charCodeAt(pos) | 32;
  if (c === 97 || c === 116) {
    // a / an / the
    if (h.startsWith('a ', pos) || h.startsWith('A ', pos)) pos += 2;
    else if (h.startsWith('an ', pos) || h.startsWith('An ', pos)) pos += 3;
    else if (h.startsWith('the ', pos) || h.startsWith('The ', pos)) pos += 4;
  }
  const noun = wordAt(h, pos, nouns);
  return noun === undefined ? undefined : [verb, noun, pos + noun.length];
}

/**
 * `<Verb> [a|an|the] <Noun>[ <name>]`, e.g. `Update User jane@example.com`, `Update a Channel Ops`,
 * `Batch Update Users`: [verb, noun, name] in canonical spelling, or undefined. Case-insensitive.
 */
function readHead(head: string): [string, string, string] | undefined {
  let m = verbNoun(head, VERBS_BY_FIRST, NOUNS_BY_FIRST);
  if (m === undefined) {
    // Other spellings (`update user`, `UPDATE USER`) through a lowercase copy of the start.
    const c0 = head.charCodeAt(0);
    const c1 = head.charCodeAt(1);
    if (!(c0 >= 97 || (c1 >= 65 && c1 <= 90))) return undefined;
    const low = head.slice(0, 64).toLowerCase();
    const lm = verbNoun(low, LOWER_VERBS_BY_FIRST, LOWER_NOUNS_BY_FIRST);
    if (lm === undefined) return undefined;
    m = [CANONICAL.get(lm[0]) ?? lm[0], CANONICAL.get(lm[1]) ?? lm[1], lm[2]];
  }
  return [m[0], m[1], m[2] < head.length ? head.slice(m[2] + 1) : ''];
}
/** `Assign admin for channel Ops` */
const CHANNEL_ADMIN_RE = /^((?:Assign|Remove|Add|Delete) (?:an? )?admins?) (?:for|from|to) (?:the )?channel (.+)$/is;
/** A setting name: no brackets or quotes, so a colon inside embedded JSON is never taken for one. */
const KEY_RE = /^([^:[\]{}"]{1,300}?):(?:[ \t]+|$)/s;
const EMAIL_RE = /^[^\s@'"]+@[^\s@'"]+\.[^\s@'"]+$/;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 160;
}

/** The trimmed, non-empty segments between top-level ` - `; inside embedded JSON brackets nothing splits. */
function splitSegments(s: string, respectBrackets: boolean): string[] {
  const out: string[] = [];
  let start = 0;
  const n = s.length;
  if (!respectBrackets) {
    // Fast path (no `[` or `{` in the detail): only hyphens matter.
    let i = s.indexOf('-');
    while (i >= 0) {
      if (i > 0 && i + 1 < n && isSpace(s.charCodeAt(i - 1)) && isSpace(s.charCodeAt(i + 1))) {
        push(out, s, start, i);
        start = i + 1;
      }
      i = s.indexOf('-', i + 1);
    }
    push(out, s, start, n);
    return out;
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character.
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 34 && depth > 0) inString = true;
    else if (
      c === 45 &&
      depth === 0 &&
      i > 0 &&
      i + 1 < n &&
      isSpace(s.charCodeAt(i - 1)) &&
      isSpace(s.charCodeAt(i + 1))
    ) {
      push(out, s, start, i);
      start = i + 1;
    }
  }
  // An opening bracket never closed is not JSON: split as if there were no brackets.
  if (depth > 0 || inString) return splitSegments(s, false);
  push(out, s, start, n);
  return out;
}

function push(out: string[], s: string, start: number, end: number): void {
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  if (end > start) out.push(s.slice(start, end));
}

/** `'x'` -> `x` when the quotes wrap the whole value and nothing else is quoted. */
function unquote(v: string): string {
  if (v.length >= 2 && v.charCodeAt(0) === 39 && v.charCodeAt(v.length - 1) === 39) {
    const inner = v.slice(1, -1);
    if (!inner.includes("'")) return inner;
  }
  return v;
}

/** Every change has the same five keys (one object shape for the engine's hot loop). */
function change(path: string[], from?: string, to?: string, setTo?: string, value?: string): Change {
  return { path, from, to, setTo, value };
}

/** `s.slice(a, b)` without the blanks at either end. */
function trimmed(s: string, a: number, b: number): string {
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a < b ? s.slice(a, b) : '';
}

/** The change in `s` from index `r` on (what follows `Setting: `); `s` has no trailing blanks. */
function readChange(path: string[], s: string, r: number): Change {
  const n = s.length;
  if (s.startsWith('from', r) && r + 4 < n && s.charCodeAt(r + 4) === 32) {
    // `from 'X' to 'Y'` (X without quotes): the simulator's and some exports' quoting.
    if (s.charCodeAt(r + 5) === 39 && n - r >= 12 && s.charCodeAt(n - 1) === 39) {
      const q = s.indexOf("'", r + 6);
      if (q > 0 && s.startsWith("' to '", q) && q + 6 <= n - 1) {
        return change(path, s.slice(r + 6, q), s.slice(q + 6, n - 1));
      }
    }
    let at = s.indexOf(' to ', r + 4);
    if (at < 0 && n - 3 >= r + 4 && s.endsWith(' to')) at = n - 3; // `from X to` (empty to)
    if (at >= 0) return change(path, unquote(trimmed(s, r + 5, at)), unquote(trimmed(s, at + 4, n)));
  }
  if (s.startsWith('set to', r) && (r + 6 === n || isSpace(s.charCodeAt(r + 6)))) {
    return change(path, undefined, undefined, unquote(trimmed(s, r + 6, n)));
  }
  return change(path, undefined, undefined, undefined, unquote(r === 0 ? s : s.slice(r)));
}

/** Where the setting name ends (the index of its colon) and its rest starts, or undefined when there is none. */
function keyEnd(seg: string, plain: boolean): number | undefined {
  if (plain) {
    // No brackets or double quotes anywhere: the first colon within 300 characters followed by a blank or the end.
    const at = seg.indexOf(':');
    if (at < 1 || at > 300) return undefined;
    const next = seg.charCodeAt(at + 1);
    return at + 1 === seg.length || next === 32 || next === 9 ? at : undefined;
  }
  const m = seg.length <= MAX_HEAD ? KEY_RE.exec(seg) : null;
  return m ? m[1].length : undefined;
}

function readSegment(section: string | undefined, seg: string, plain: boolean): Change {
  const at = keyEnd(seg, plain);
  const key = at === undefined ? '' : trimmed(seg, 0, at);
  if (at === undefined || !key) return change(section ? [section] : [], undefined, undefined, undefined, unquote(seg));
  const path = section ? [section, key] : [key];
  let r = at + 1;
  while (r < seg.length && (seg.charCodeAt(r) === 32 || seg.charCodeAt(r) === 9)) r++;
  return readChange(path, seg, r);
}

/**
 * One shared copy per target name that recurs (the same user or group is acted on in many entries): less memory,
 * and counting or grouping by target (overview, Group by: Target) compares names by reference, not character by
 * character. Bounded: names longer than 200 characters are not pooled, and the pool starts over at 50,000.
 * The pool keeps a copy of its own, not the slice of the detail: a slice would keep the whole detail of the first
 * entry alive, and comparing against a flat string is quicker.
 * A name is pooled the second time it is seen (`seen` remembers the hashes of names seen once): most names of a
 * large range are seen once (a recording or webinar with its ID), and copying and pooling each of them cost more
 * than the rest of the parse. A name not pooled is a slice of its own entry's detail, which the entry keeps anyway.
 */
const names = new StringTable<string>(10);
const SEEN_BITS = 16;
const seen = new Int32Array(1 << SEEN_BITS);
function intern(name: string): string {
  if (name.length > 200) return name;
  const h = hashText(name);
  const hit = names.get(name, h);
  if (hit !== undefined) return hit;
  const slot = h & ((1 << SEEN_BITS) - 1);
  if (seen[slot] !== h) {
    // First sighting (or a sighting whose slot another name took since): not pooled yet.
    seen[slot] = h;
    return name;
  }
  if (names.size >= 50_000) names.clear();
  const own = flatCopy(name);
  names.add(own, h, own);
  return own;
}

/**
 * A copy of `s` that shares no characters with the string it was cut from (V8 keeps a slice of 13 characters or
 * more as a view into its parent; a JSON round trip builds a new flat string). Called once per name pooled.
 */
function flatCopy(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function readName(rest: string): string {
  const r = rest.trim();
  if (r.charCodeAt(0) === 39) {
    const close = r.indexOf("'", 1);
    if (close > 0) return r.slice(1, close);
  }
  return r;
}

/**
 * Parses an entry's `operation_detail` (or the detail, action and category given separately).
 * Never throws: an unknown shape gives no changes, and `raw` is always the detail as given.
 */
export function parseDetail(entry: OperationLogEntry): ParsedDetail;
export function parseDetail(detail: string, action?: string, categoryType?: string): ParsedDetail;
export function parseDetail(arg: OperationLogEntry | string, _action?: string, _categoryType?: string): ParsedDetail {
  let raw = '';
  try {
    const d = typeof arg === 'string' ? arg : arg?.operationDetail; // read once: entries may be proxies or getters
    raw = typeof d === 'string' ? d : '';
    return parseRaw(raw);
  } catch {
    return detail(undefined, undefined, undefined, [], raw);
  }
}

/** Every result has the same five keys (one object shape for callers' hot loops). */
function detail(
  target: Target | undefined,
  verb: string | undefined,
  section: string | undefined,
  changes: Change[],
  raw: string,
): ParsedDetail {
  return { target, verb, section, changes, raw };
}

function parseRaw(raw: string): ParsedDetail {
  const hasBrackets = raw.includes('[') || raw.includes('{');
  const plain = !hasBrackets && !raw.includes('"');
  const segs = splitSegments(raw, hasBrackets);
  if (segs.length === 0) return detail(undefined, undefined, undefined, [], raw);
  const head = segs[0];
  let target: Target | undefined;
  let verb: string | undefined;
  let section: string | undefined;
  let rest = 1;
  const hm = readHead(head);
  if (hm) {
    const noun = hm[1];
    verb = `${hm[0]} ${noun}`;
    const name = hm[2] ? readName(hm[2]) : '';
    if (name) target = { kind: NOUN_KIND.get(noun) ?? 'other', name: intern(name) };
    else if (segs.length > 1) section = verb;
  } else {
    const cm = head.length <= MAX_HEAD ? CHANNEL_ADMIN_RE.exec(head) : null;
    if (cm) {
      verb = cm[1];
      target = { kind: 'channel', name: intern(readName(cm[2])) };
    } else if (segs.length > 1 && keyEnd(head, plain) === undefined) {
      section = head;
    } else rest = 0; // `Setting: from X to Y` with no head, or one segment of unknown shape
  }
  const changes: Change[] = [];
  const keyed = section ? 2 : 1;
  let anyKey = false;
  for (let i = rest; i < segs.length; i++) {
    const c = readSegment(section, segs[i], plain);
    if (c.path.length === keyed) anyKey = true;
    changes.push(c);
  }
  if (!verb && !anyKey) {
    // No verb and no `Setting:` anywhere (`hello world`, `- - -`): an unknown shape, only raw is kept.
    return detail(undefined, undefined, undefined, [], raw);
  }
  if (!target && changes.length) {
    // `Change Role  - jane@example.com: from User to Co-Owner`: the setting names the user.
    const first = changes[0];
    const key = first.path[first.path.length - 1];
    if (key && first.path.length > (section ? 1 : 0) && key.includes('@') && EMAIL_RE.test(key)) {
      target = { kind: 'user', name: intern(key) };
    }
  }
  return detail(target, verb, section, changes, raw);
}

/** The setting a change is about (the last element of its path), or '' for a bare value. */
export function settingOf(c: Change, parsed?: ParsedDetail): string {
  const min = parsed?.section ? 1 : 0;
  return c.path.length > min ? c.path[c.path.length - 1] : '';
}

const SUMMARY_MAX = 160;

function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function changeText(c: Change, parsed: ParsedDetail): string {
  let setting = settingOf(c, parsed);
  // `Change Role  - jane@example.com: from User to Co-Owner`: the target is already shown; name the section.
  if (setting && setting === parsed.target?.name) setting = parsed.section ?? '';
  const label = setting ? `${clip(setting, 60)}: ` : '';
  if (c.from !== undefined || c.to !== undefined) {
    return `${label}${clip(c.from || l10n.t('(empty)'), 40)} → ${clip(c.to || l10n.t('(empty)'), 40)}`;
  }
  if (c.setTo !== undefined) {
    return `${setting ? `${clip(setting, 60)} ` : ''}→ ${c.setTo ? clip(c.setTo, 60) : l10n.t('(empty)')}`;
  }
  return `${label}${clip(c.value ?? '', 60)}`;
}

/**
 * A one-line label (a tree item's): `jane@example.com · User Type: Basic → Licensed +2 more`.
 * Target (or section, or verb), then the first change, then how many more; the raw text when nothing was read.
 * @userFacing
 */
export function summarize(parsed: ParsedDetail): string {
  try {
    const who = parsed.target?.name || parsed.section || '';
    const parts: string[] = [];
    if (who) parts.push(clip(who, 60));
    if (parsed.changes.length) {
      const more = parsed.changes.length - 1;
      parts.push(changeText(parsed.changes[0], parsed) + (more > 0 ? ` ${l10n.t('+{0} more', more)}` : ''));
    } else if (parsed.verb && parsed.target) {
      parts.unshift(parsed.verb);
    }
    const text = parts.join(' · ');
    return clip(text || parsed.raw.slice(0, SUMMARY_MAX * 2), SUMMARY_MAX);
  } catch {
    return '';
  }
}

const cache = new WeakMap<OperationLogEntry, ParsedDetail>();

/**
 * Parsed details by their text, shared by the entries that hold the same detail (more than a third of a range's
 * entries repeat an earlier detail: the same setting turned on for several users, a batch, a sync): a parse less
 * and one object less each. A parsed detail is never changed, so sharing it is safe. Bounded like the rule
 * engine's memo: details longer than SHARED_DETAIL are not shared, and after SHARED_CHARS characters of details
 * the table starts over (what it held stays with the entries that use it).
 */
const byDetail = new StringTable<ParsedDetail>(10);
const SHARED_DETAIL = 1024;
const SHARED_CHARS = 4_000_000;
let sharedChars = 0;

/** `parseDetail(entry)`, computed once per entry object (kept as long as the entry is) and shared by equal details. */
export function parsedOf(entry: OperationLogEntry): ParsedDetail {
  let p = cache.get(entry);
  if (!p) {
    let d: unknown;
    try {
      d = entry.operationDetail; // read once: entries may be proxies or getters
    } catch {
      d = undefined;
    }
    if (typeof d === 'string' && d.length <= SHARED_DETAIL) {
      const h = hashText(d);
      p = byDetail.get(d, h);
      if (!p) {
        p = parseDetail(d);
        sharedChars += d.length + 16;
        if (sharedChars > SHARED_CHARS) {
          byDetail.clear();
          sharedChars = d.length + 16;
        }
        byDetail.add(d, h, p);
      }
    } else p = parseDetail(typeof d === 'string' ? d : '');
    cache.set(entry, p);
  }
  return p;
}
