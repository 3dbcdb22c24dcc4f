/**
 * The messages between the extension and the entry view page: one contract for both sides.
 * The page script bundles this file, so it must import neither `vscode` nor Node modules.
 */
import { listOf, ownString as ownText, ownValue, plainObject } from './guards';

/** One parsed change of the detail: `from` empty for `set to` and plain values. */
export interface ChangeRow {
  readonly setting: string;
  readonly from: string;
  readonly to: string;
}

/** One rule that flags the entry. */
export interface FindingRow {
  /** `high`, `medium` or `low` (after the trusted-operator adjustment). */
  readonly severity: string;
  readonly title: string;
  readonly rule: string;
  readonly check: string;
  /** Empty, or why the severity was lowered. */
  readonly note: string;
}

/** What the page displays for one entry; every field is plain text. */
export interface EntryViewModel {
  /** Zoom's raw JSON, pretty-printed. */
  readonly json: string;
  /** The time in the configured zone (local or UTC). */
  readonly timeLocal: string;
  /** The time exactly as Zoom sent it (ISO-8601 UTC). */
  readonly timeUtc: string;
  readonly operator: string;
  readonly category: string;
  readonly action: string;
  readonly title: string;
  /** The detail read as changes (empty when the parser found none). */
  readonly changes: readonly ChangeRow[];
  /** The rules that flag it, highest severity first. */
  readonly findings: readonly FindingRow[];
}

/** Extension → page. */
export type ToPage =
  | { readonly type: 'show'; readonly entry: EntryViewModel }
  /** The entry's JSON is on the clipboard: the page announces it. */
  | { readonly type: 'copied' };

/** Page → extension. */
export type FromPage =
  | { readonly type: 'ready' }
  /** Sent after an entry is rendered; `time` is the entry's `timeUtc`. */
  | { readonly type: 'shown'; readonly time: string; readonly action: string }
  | { readonly type: 'copyJson' }
  | { readonly type: 'openAsDocument' };

/** Longest string accepted in a message field, in UTF-16 code units (2 MiB). */
export const MAX_STRING_LENGTH = 2 * 1024 * 1024;

const VIEW_MODEL_FIELDS = ['json', 'timeLocal', 'timeUtc', 'operator', 'category', 'action', 'title'] as const;
const CHANGE_FIELDS = ['setting', 'from', 'to'] as const;
const FINDING_FIELDS = ['severity', 'title', 'rule', 'check', 'note'] as const;
/** Rows accepted per list (a detail rarely holds more than a few dozen changes). */
export const MAX_ROWS = 1000;

/** A string field of at most MAX_STRING_LENGTH, unless told otherwise. */
const ownString = (obj: object, key: string, maxLength = MAX_STRING_LENGTH): string | undefined =>
  ownText(obj, key, maxLength);

/**
 * Validates a message from the page. Returns a fresh object holding only the known fields,
 * or `undefined` for anything else. Never throws, whatever it is given.
 */
export function parseFromPage(msg: unknown): FromPage | undefined {
  try {
    const obj = plainObject(msg);
    if (!obj) return undefined;
    switch (ownString(obj, 'type')) {
      case 'ready':
        return { type: 'ready' };
      case 'copyJson':
        return { type: 'copyJson' };
      case 'openAsDocument':
        return { type: 'openAsDocument' };
      case 'shown': {
        const time = ownString(obj, 'time');
        const action = ownString(obj, 'action');
        return time !== undefined && action !== undefined ? { type: 'shown', time, action } : undefined;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** Validates a message from the extension (used by the page). Never throws. */
export function parseToPage(msg: unknown): ToPage | undefined {
  try {
    const obj = plainObject(msg);
    if (!obj) return undefined;
    switch (ownString(obj, 'type')) {
      case 'copied':
        return { type: 'copied' };
      case 'show': {
        const entry = parseViewModel(ownValue(obj, 'entry'));
        return entry ? { type: 'show', entry } : undefined;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** The extension builds these itself, so a long `json` (a huge operation detail) is allowed. */
function parseViewModel(value: unknown): EntryViewModel | undefined {
  const obj = plainObject(value);
  if (!obj) return undefined;
  const model: Partial<Record<(typeof VIEW_MODEL_FIELDS)[number], string>> = {};
  for (const field of VIEW_MODEL_FIELDS) {
    const text = ownString(obj, field, Infinity);
    if (text === undefined) return undefined;
    model[field] = text;
  }
  const changes = rows(obj, 'changes', CHANGE_FIELDS);
  const findings = rows(obj, 'findings', FINDING_FIELDS);
  if (!changes || !findings) return undefined;
  return { ...(model as Omit<EntryViewModel, 'changes' | 'findings'>), changes, findings };
}

/** An own array property of plain objects with exactly these string fields (copied), or undefined. */
function rows<K extends string>(obj: object, key: string, fields: readonly K[]): Record<K, string>[] | undefined {
  return listOf(ownValue(obj, key), MAX_ROWS, (item) => {
    const o = plainObject(item);
    if (!o) return undefined;
    const row: Partial<Record<K, string>> = {};
    for (const f of fields) {
      const text = ownString(o, f);
      if (text === undefined) return undefined;
      row[f] = text;
    }
    return row as Record<K, string>;
  });
}
