/**
 * The filter syntax: `operator:jane action:Delete category:"User Settings" setting:passcode severity:high
 * -detail:test free text`. Terms are ANDed; `-` negates a term; `"..."` quotes a phrase (also after a field);
 * every comparison is a case-insensitive substring, except `severity:` which must equal a finding's severity (another
 * value is kept, so it matches nothing, and reported in `problems`).
 * Free text matches operator, action, detail or category. An unknown field (`foo:bar`) is searched as the
 * free text `foo:bar` and reported in `problems`. Plain Node; never throws.
 */
import type { OperationLogEntry } from '../zoom/types';
import { parsedOf, type ParsedDetail } from './parse';
import { SEVERITIES, type Finding, type Severity } from './rules';
import { l10n } from '../l10n';

export const QUERY_FIELDS = [
  'operator',
  'action',
  'category',
  'detail',
  'target',
  'setting',
  'from',
  'to',
  'severity',
  'rule',
] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

export interface QueryTerm {
  /** `undefined` for free text. */
  field?: QueryField;
  /** Lowercased. */
  value: string;
  negated: boolean;
}

export interface Query {
  terms: QueryTerm[];
  problems: string[];
  /** True when the query has no terms (every entry passes). */
  empty: boolean;
  /**
   * Whether an entry passes. `parsed` defaults to the entry's cached parse (only computed when a
   * target/setting/from/to term needs it); `findings` default to none (severity:/rule: then match nothing).
   */
  test(entry: OperationLogEntry, parsed?: ParsedDetail, findings?: readonly Finding[]): boolean;
}

const FIELD_SET = new Set<string>(QUERY_FIELDS);
const MAX_QUERY = 2000;

interface Token {
  negated: boolean;
  field?: string;
  value: string;
  quoted: boolean;
  /** The quote was never closed: the phrase ran to the end of the filter. */
  unclosed: boolean;
  /** The token as typed. */
  text: string;
}

/** Splits into tokens, honouring quotes: `-category:"User Settings"` is one token. */
function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = q.length;
  while (i < n) {
    while (i < n && /\s/.test(q[i])) i++;
    if (i >= n) break;
    const start = i;
    let negated = false;
    if (q[i] === '-' && i + 1 < n && !/\s/.test(q[i + 1])) {
      negated = true;
      i++;
    }
    let field: string | undefined;
    const fm = /^([A-Za-z_]+):/.exec(q.slice(i, i + 40));
    if (fm) {
      field = fm[1];
      i += fm[0].length;
    }
    let value = '';
    let quoted = false;
    let unclosed = false;
    if (q[i] === '"') {
      quoted = true;
      const close = q.indexOf('"', i + 1);
      const end = close < 0 ? n : close;
      value = q.slice(i + 1, end);
      i = close < 0 ? n : close + 1;
      unclosed = close < 0;
    } else {
      const from = i;
      while (i < n && !/\s/.test(q[i])) i++;
      value = q.slice(from, i);
    }
    out.push({ negated, field, value, quoted, unclosed, text: q.slice(start, i) });
  }
  return out;
}

function has(hay: string | undefined, needle: string): boolean {
  return hay !== undefined && hay.toLowerCase().includes(needle);
}

/** Whether a `rule:` term's value (lowercased) names the rule with this id and title: a substring of either. */
export function namesRule(id: string, title: string, value: string): boolean {
  return has(id, value) || has(title, value);
}

function termMatches(
  t: QueryTerm,
  e: OperationLogEntry,
  getParsed: () => ParsedDetail,
  findings: readonly Finding[],
): boolean {
  const v = t.value;
  switch (t.field) {
    case undefined:
      return has(e.operator, v) || has(e.action, v) || has(e.operationDetail, v) || has(e.categoryType, v);
    case 'operator':
      return has(e.operator, v);
    case 'action':
      return has(e.action, v);
    case 'category':
      return has(e.categoryType, v) || has(e.category, v);
    case 'detail':
      return has(e.operationDetail, v);
    case 'target':
      return has(getParsed().target?.name, v);
    case 'setting':
      return getParsed().changes.some((c) => has(c.path.join(' > '), v));
    case 'from':
      return getParsed().changes.some((c) => has(c.from, v));
    case 'to':
      return getParsed().changes.some((c) => has(c.to ?? c.setTo ?? c.value, v));
    case 'severity':
      return findings.some((f) => f.severity === v);
    case 'rule':
      return findings.some((f) => namesRule(f.ruleId, f.title, v));
  }
}

/** Parses a filter. Never throws; a query it cannot read fully still filters by what it could read. */
export function parseQuery(input: string): Query {
  const problems: string[] = [];
  const terms: QueryTerm[] = [];
  try {
    let q = typeof input === 'string' ? input : '';
    if (q.length > MAX_QUERY) {
      problems.push(l10n.t('The filter is longer than {0} characters; only the first {0} are used.', MAX_QUERY));
      q = q.slice(0, MAX_QUERY);
    }
    for (const tok of tokenize(q)) {
      let field: QueryField | undefined;
      let value = tok.value;
      if (tok.unclosed) {
        // Searched as typed (the phrase runs to the end), and said: a missing quote can swallow later terms.
        const typed = tok.text.length > 40 ? `${tok.text.slice(0, 40)}…` : tok.text;
        problems.push(
          l10n.t(
            "The quote in '{0}' is not closed, so the phrase runs to the end of the filter; add the closing \".",
            typed,
          ),
        );
      }
      if (tok.field !== undefined) {
        const f = tok.field.toLowerCase();
        if (FIELD_SET.has(f)) field = f as QueryField;
        else {
          problems.push(
            l10n.t(
              "'{0}' is not a filter field, so '{0}:{1}' is searched as text. Fields: {2}.",
              tok.field,
              value,
              QUERY_FIELDS.join(', '),
            ),
          );
          value = `${tok.field}:${value}`;
        }
      }
      if (field && value === '' && !tok.quoted) {
        problems.push(l10n.t('\'{0}:\' has no value and is ignored; write e.g. {0}:"some text".', field));
        continue;
      }
      if (!field && value === '') continue;
      if (field === 'severity' && !SEVERITIES.includes(value.toLowerCase() as Severity)) {
        // Kept (it matches no finding, as typed), and said, so an empty result is not a mystery.
        problems.push(
          l10n.t("No finding has the severity '{0}'; write severity:high, severity:medium or severity:low.", value),
        );
      }
      terms.push({ field, value: value.toLowerCase(), negated: tok.negated });
    }
  } catch {
    // tokenize does not throw on strings; keep what was read.
  }
  return {
    terms,
    problems,
    empty: terms.length === 0,
    test(entry, parsed, findings) {
      try {
        let p = parsed;
        const getParsed = (): ParsedDetail => (p ??= parsedOf(entry));
        const fs = findings ?? [];
        for (const t of terms) {
          if (termMatches(t, entry, getParsed, fs) === t.negated) return false;
        }
        return true;
      } catch {
        return false;
      }
    },
  };
}
