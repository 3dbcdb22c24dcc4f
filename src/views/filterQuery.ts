/**
 * The view's filter: the insights filter syntax (`operator:jane action:Delete category:"User Settings"
 * setting:passcode severity:high -detail:test free text`, src/insights/query.ts) plus `date:2026-11-20`
 * (or a prefix such as `date:2026-11`), a calendar date in the view's time zone, which is what clicking a day
 * in the overview adds. Plain Node: no `vscode`.
 */
import type { Finding } from '../insights';
import { l10n } from '../l10n';
import { insights } from '../services/insights';
import type { OperationLogEntry } from '../zoom/types';

export interface CompiledFilter {
  readonly text: string;
  readonly problems: readonly string[];
  /** True when nothing is filtered. */
  readonly empty: boolean;
  test(entry: OperationLogEntry): boolean;
}

export interface FilterContext {
  /** An entry's date key in the view's zone (`DateKeyer.dateKey`). */
  dateKey(ms: number): string;
  /** Findings of an entry, for `severity:` and `rule:`. */
  findingsOf(entry: OperationLogEntry): readonly Finding[];
  /** The rules in use, so a `rule:` term no rule answers to can say so. */
  rules?(): readonly { readonly id: string; readonly title: string }[];
}

const DATE_TERM = /(^|\s)(-?)date:("([^"]*)"?|\S*)/gi;
const DATE_VALUE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** Compiles a filter. Never throws; what it cannot read is reported in `problems`. */
export function compileFilter(text: string, ctx: FilterContext): CompiledFilter {
  // No filter (every query shown starts so): nothing to load.
  if (!String(text ?? '').trim()) return { text: '', problems: [], empty: true, test: () => true };
  const problems: string[] = [];
  const dates: { value: string; negated: boolean }[] = [];
  const rest = String(text ?? '').replace(DATE_TERM, (_m, lead: string, neg: string, raw: string, quoted?: string) => {
    const value = (quoted ?? raw).trim();
    if (!DATE_VALUE.test(value)) {
      problems.push(
        l10n.t("'date:{0}' is not a date; write it as date:2026-11-20 (or date:2026-11 for a month).", value),
      );
    } else dates.push({ value, negated: neg === '-' });
    return lead;
  });
  const { parseQuery, namesRule } = insights();
  const query = parseQuery(rest);
  problems.push(...query.problems);
  // Like severity:critical (src/insights/query.ts): a rule no rule answers to is kept as typed, and said, so an empty
  // tree is not a mystery. The rules are asked for only when a term needs them.
  const ruleTerms = query.terms.filter((t) => t.field === 'rule');
  const rules = ruleTerms.length ? ctx.rules?.() : undefined;
  for (const t of ruleTerms) {
    if (rules && !rules.some((r) => namesRule(r.id, r.title, t.value))) {
      problems.push(l10n.t("No rule's id or title contains '{0}'; the Findings view lists the rules.", t.value));
    }
  }
  const needsFindings = query.terms.some((t) => t.field === 'severity' || t.field === 'rule');
  const empty = query.empty && dates.length === 0;
  return {
    text: String(text ?? '').trim(),
    problems,
    empty,
    test(entry) {
      if (dates.length) {
        const key = ctx.dateKey(entry.timeMs);
        for (const d of dates) if (key.startsWith(d.value) === d.negated) return false;
      }
      if (query.empty) return true;
      return query.test(entry, undefined, needsFindings ? ctx.findingsOf(entry) : undefined);
    },
  };
}

/** A value as a filter term: quoted when it holds a space or a quote (inner quotes dropped). */
export function termOf(field: string, value: string): string {
  const v = value.replace(/"/g, '').trim();
  return /[\s:]/.test(v) || v === '' ? `${field}:"${v}"` : `${field}:${v}`;
}

/**
 * The filter with `field` set to `value`: earlier terms of that field (negated or not) are replaced, every
 * other term is kept. `withTerm('date:2026-11-19 update', 'operator', 'jane@x.com')` →
 * `date:2026-11-19 update operator:jane@x.com`.
 */
export function withTerm(filter: string, field: string, value: string): string {
  const tokens = String(filter ?? '').match(/-?[A-Za-z_]+:"[^"]*"?|-?"[^"]*"?|\S+/g) ?? [];
  const prefix = `${field.toLowerCase()}:`;
  const kept = tokens.filter((t) => !t.replace(/^-/, '').toLowerCase().startsWith(prefix));
  return [...kept, termOf(field, value)].join(' ');
}
