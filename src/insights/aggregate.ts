/**
 * Grouping and the overview behind the insights views. Plain Node.
 * `target` needs the parsed detail: it is computed lazily and cached per entry (parsedOf), so grouping
 * by operator, action or category never parses a detail.
 */
import { categoryLabel } from '../zoom/categories';
import type { OperationLogEntry } from '../zoom/types';
import { parsedOf } from './parse';
import type { Finding, Severity } from './rules';

export type GroupKey = 'category' | 'operator' | 'target' | 'action';

export interface Group {
  /** What the entries share: the category's label, the operator, the target's name or the action. */
  name: string;
  count: number;
  entries: OperationLogEntry[];
}

export interface Count {
  name: string;
  count: number;
}

export interface DaySummary {
  /** As given by the keyer, e.g. `2026-11-20`. */
  date: string;
  /** Entries per category label (a prototype-less object: any label is safe as a key). */
  byCategory: Record<string, number>;
  entries: number;
  findings: number;
}

export interface Overview {
  /** Oldest date first. */
  days: DaySummary[];
  topOperators: Count[];
  topActions: Count[];
  topTargets: Count[];
  totals: {
    entries: number;
    findings: number;
    findingsBySeverity: Record<Severity, number>;
    operators: number;
    categories: number;
  };
}

/** Entries with no operator, target or action are grouped under this name. */
export const NONE = '(none)';

function nameOf(e: OperationLogEntry, by: GroupKey): string {
  switch (by) {
    case 'operator':
      return e.operator || NONE;
    case 'action':
      return e.action || NONE;
    case 'category':
      return categoryLabel(e.category, e.categoryType);
    case 'target':
      return parsedOf(e).target?.name || NONE;
  }
}

function byCountThenName(a: { name: string; count: number }, b: { name: string; count: number }): number {
  return b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Groups in order: most entries first, then by name. Each group keeps the entries' order. */
export function groupBy(entries: readonly OperationLogEntry[], by: GroupKey): Group[] {
  const map = new Map<string, OperationLogEntry[]>();
  if (by === 'category') {
    // One label per category key, looked up once per key rather than once per entry.
    const labels = new Map<string, string>();
    for (const e of entries) {
      let label = labels.get(e.category);
      if (label === undefined) labels.set(e.category, (label = nameOf(e, by)));
      let list = map.get(label);
      if (!list) map.set(label, (list = []));
      list.push(e);
    }
  } else {
    for (const e of entries) {
      const name = nameOf(e, by);
      let list = map.get(name);
      if (!list) map.set(name, (list = []));
      list.push(e);
    }
  }
  const groups: Group[] = [];
  for (const [name, list] of map) groups.push({ name, count: list.length, entries: list });
  return groups.sort(byCountThenName);
}

function top(counts: Map<string, number>, n: number): Count[] {
  const all: Count[] = [];
  for (const [name, count] of counts) all.push({ name, count });
  return all.sort(byCountThenName).slice(0, n);
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * Activity per day and category, findings per day, the top 10 operators, actions and targets, totals.
 * `keyer` turns an entry's `timeMs` into its date (e.g. `DateKeyer.dateKey`, so dates follow the time-zone
 * setting). Entries without a target are not counted in `topTargets`.
 */
export function overview(
  entries: readonly OperationLogEntry[],
  findings: readonly Finding[],
  keyer: (ms: number) => string,
): Overview {
  const days = new Map<string, DaySummary>();
  const day = (ms: number): DaySummary => {
    const date = keyer(ms);
    let d = days.get(date);
    if (!d) {
      days.set(
        date,
        (d = { date, byCategory: Object.create(null) as Record<string, number>, entries: 0, findings: 0 }),
      );
    }
    return d;
  };
  const operators = new Map<string, number>();
  const actions = new Map<string, number>();
  const targets = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const e of entries) {
    const d = day(e.timeMs);
    let label = labels.get(e.category);
    if (label === undefined) labels.set(e.category, (label = categoryLabel(e.category, e.categoryType)));
    d.byCategory[label] = (d.byCategory[label] ?? 0) + 1;
    d.entries++;
    bump(operators, e.operator || NONE);
    bump(actions, e.action || NONE);
    const t = parsedOf(e).target?.name;
    if (t) bump(targets, t);
  }
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of findings) {
    day(f.entry.timeMs).findings++;
    bySeverity[f.severity]++;
  }
  return {
    days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    topOperators: top(operators, 10),
    topActions: top(actions, 10),
    topTargets: top(targets, 10),
    totals: {
      entries: entries.length,
      findings: findings.length,
      findingsBySeverity: bySeverity,
      operators: operators.size,
      categories: labels.size,
    },
  };
}
