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
const NOUN_KIND = new Map(NOUNS.map(([n, k]) => [n.toLowerCase(), k]));
const HEAD_RE = new RegExp(
  `^(${VERBS}) (?:(?:a|an|the) )?(${NOUNS.map(([n]) => n).join('|')})(?![\\w-])(?: (.*))?$`,
  'is',
);
/** `Assign admin for channel Ops` */
const CHANNEL_ADMIN_RE = /^((?:Assign|Remove|Add|Delete) (?:an? )?admins?) (?:for|from|to) (?:the )?channel (.+)$/is;
/** A setting name: no brackets or quotes, so a colon inside embedded JSON is never taken for one. */
const KEY_RE = /^([^:[\]{}"]{1,300}?):(?:[ \t]+|$)/s;
const EMAIL_RE = /^[^\s@'"]+@[^\s@'"]+\.[^\s@'"]+$/;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 160;
}

/** Segment bounds [start, end) split at top-level ` - `; brackets of embedded JSON suspend splitting. */
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
      if (c === 92) {
        i++;
      } // backslash escape
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

const QUOTED_FROM_TO = /^from '([^']*)' to '(.*)'$/s;

/** The change in `rest` (what follows `Setting: `). */
/** Every change has the same five keys (one object shape for the engine's hot loop). */
function change(path: string[], from?: string, to?: string, setTo?: string, value?: string): Change {
  return { path, from, to, setTo, value };
}

function readChange(path: string[], rest: string): Change {
  if (rest.startsWith('from ') || rest === 'from') {
    const quoted = rest.charCodeAt(5) === 39 ? QUOTED_FROM_TO.exec(rest) : null;
    if (quoted) return change(path, quoted[1], quoted[2]);
    const padded = `${rest} `;
    const at = padded.indexOf(' to ', 4);
    if (at >= 0) return change(path, unquote(padded.slice(5, at).trim()), unquote(padded.slice(at + 4).trim()));
  }
  if (rest.startsWith('set to')) {
    const after = rest.slice(6);
    if (after === '' || isSpace(after.charCodeAt(0))) return change(path, undefined, undefined, unquote(after.trim()));
  }
  return change(path, undefined, undefined, undefined, unquote(rest));
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
  const key = at === undefined ? '' : seg.slice(0, at).trim();
  if (at === undefined || !key) return change(section ? [section] : [], undefined, undefined, undefined, unquote(seg));
  const path = section ? [section, key] : [key];
  let restStart = at + 1;
  while (restStart < seg.length && (seg.charCodeAt(restStart) === 32 || seg.charCodeAt(restStart) === 9)) restStart++;
  return readChange(path, seg.slice(restStart));
}

function readName(rest: string): string {
  const r = rest.trim();
  if (r.charCodeAt(0) === 39) {
    const close = r.indexOf("'", 1);
    if (close > 0) return r.slice(1, close);
  }
  return r;
}

const CANONICAL_NOUN = new Map<string, string>();
for (const [n] of NOUNS) {
  CANONICAL_NOUN.set(n, n);
  CANONICAL_NOUN.set(n.toLowerCase(), n);
}

function titleCaseNoun(noun: string): string {
  return CANONICAL_NOUN.get(noun) ?? CANONICAL_NOUN.get(noun.toLowerCase()) ?? noun;
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
  const hm = head.length <= MAX_HEAD ? HEAD_RE.exec(head) : null;
  if (hm) {
    const noun = titleCaseNoun(hm[2]);
    verb = `${hm[1]} ${noun}`;
    const name = hm[3] ? readName(hm[3]) : '';
    if (name) target = { kind: NOUN_KIND.get(noun.toLowerCase()) ?? 'other', name };
    else if (segs.length > 1) section = verb;
  } else {
    const cm = head.length <= MAX_HEAD ? CHANNEL_ADMIN_RE.exec(head) : null;
    if (cm) {
      verb = cm[1];
      target = { kind: 'channel', name: readName(cm[2]) };
    } else if (segs.length > 1 && keyEnd(head, plain) === undefined) {
      section = head;
    } else rest = 0; // `Setting: from X to Y` with no head, or one segment of unknown shape
  }
  const changes: Change[] = [];
  for (let i = rest; i < segs.length; i++) changes.push(readSegment(section, segs[i], plain));
  if (!verb && !changes.some((c) => c.path.length > (section ? 1 : 0))) {
    // No verb and no `Setting:` anywhere (`hello world`, `- - -`): an unknown shape, only raw is kept.
    return detail(undefined, undefined, undefined, [], raw);
  }
  if (!target && changes.length) {
    // `Change Role  - jane@example.com: from User to Co-Owner`: the setting names the user.
    const first = changes[0];
    const key = first.path[first.path.length - 1];
    if (key && first.path.length > (section ? 1 : 0) && EMAIL_RE.test(key)) target = { kind: 'user', name: key };
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
    return `${label}${clip(c.from || '(empty)', 40)} → ${clip(c.to || '(empty)', 40)}`;
  }
  if (c.setTo !== undefined) {
    return `${setting ? `${clip(setting, 60)} ` : ''}→ ${c.setTo ? clip(c.setTo, 60) : '(empty)'}`;
  }
  return `${label}${clip(c.value ?? '', 60)}`;
}

/**
 * A one-line label: `jane@example.com · User Type: Basic → Licensed +2 more`.
 * Target (or section, or verb), then the first change, then how many more; the raw text when nothing was read.
 */
export function summarize(parsed: ParsedDetail): string {
  try {
    const who = parsed.target?.name || parsed.section || '';
    const parts: string[] = [];
    if (who) parts.push(clip(who, 60));
    if (parsed.changes.length) {
      const more = parsed.changes.length - 1;
      parts.push(changeText(parsed.changes[0], parsed) + (more > 0 ? ` +${more} more` : ''));
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

/** `parseDetail(entry)`, computed once per entry object (kept as long as the entry is). */
export function parsedOf(entry: OperationLogEntry): ParsedDetail {
  let p = cache.get(entry);
  if (!p) {
    p = parseDetail(entry);
    cache.set(entry, p);
  }
  return p;
}
