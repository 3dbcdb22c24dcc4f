/**
 * The activity overview's data: src/insights' overview() turned into the page's model (every day of the
 * range, categories as columns). Plain Node: no `vscode`.
 */
import type { Finding } from '../insights';
import { l10n } from '../l10n';
import { insights } from '../services/insights';
import { UNKNOWN_DATE } from '../model/timeZones';
import { categoryLabel } from '../zoom/categories';
import { addDays } from '../zoom/dates';
import type { OperationLogEntry } from '../zoom/types';
import type { OverviewModel, OverviewTexts } from './overviewProtocol';

/** Longest name sent to the page (operators and targets are Zoom's text). */
const NAME_MAX = 200;
// A plain prefix (no ellipsis), so that clicking a cut name still filters by a substring of it.
const cut = (s: string): string => (s.length > NAME_MAX ? s.slice(0, NAME_MAX) : s);

/**
 * One pass over the entries, with days and categories as small integers (the same figures as insights'
 * overview(), which test/unit/overviewUi.test.ts checks): the overview of six months opens within its budget.
 */
export function buildOverviewModel(
  entries: readonly OperationLogEntry[],
  findings: readonly Finding[],
  opts: { dateKey: (ms: number) => string; from: string; to: string; range: string },
): OverviewModel {
  const { NONE, parsedOf } = insights();
  const dayIndex = new Map<string, number>();
  const dayKeys: string[] = [];
  const perDay: { cats: number[]; entries: number; findings: number }[] = [];
  // dateKey gives one string per date (cached by the keyer); consecutive entries mostly share a date.
  let lastKey: string | undefined;
  let lastDay: { cats: number[]; entries: number; findings: number } | undefined;
  const day = (ms: number) => {
    const key = opts.dateKey(ms);
    if (key === lastKey && lastDay) return lastDay;
    let d = dayIndex.get(key);
    if (d === undefined) {
      dayIndex.set(key, (d = dayKeys.length));
      dayKeys.push(key);
      perDay.push({ cats: [], entries: 0, findings: 0 });
    }
    lastKey = key;
    return (lastDay = perDay[d]);
  };
  // Category keys to label indexes (two keys can share a label).
  const catOf = new Map<string, number>();
  const labelIndex = new Map<string, number>();
  const labels: string[] = [];
  // One lookup per entry and name: a counter object per distinct name, bumped in place.
  const operators = new Map<string, Counter>();
  const actions = new Map<string, Counter>();
  const targets = new Map<string, Counter>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const d = day(e.timeMs);
    let c = catOf.get(e.category);
    if (c === undefined) {
      const label = categoryLabel(e.category, e.categoryType);
      c = labelIndex.get(label);
      if (c === undefined) {
        labelIndex.set(label, (c = labels.length));
        labels.push(label);
      }
      catOf.set(e.category, c);
    }
    d.cats[c] = (d.cats[c] ?? 0) + 1;
    d.entries++;
    bump(operators, e.operator || NONE);
    bump(actions, e.action || NONE);
    const t = parsedOf(e).target?.name;
    if (t) bump(targets, t);
  }
  const bySeverity = { high: 0, medium: 0, low: 0 };
  for (const f of findings) {
    day(f.entry.timeMs).findings++;
    bySeverity[f.severity]++;
  }
  const catTotals = labels.map((_, i) => perDay.reduce((n, d) => n + (d.cats[i] ?? 0), 0));
  const order = labels.map((_, i) => i).sort((a, b) => catTotals[b] - catTotals[a] || (labels[a] < labels[b] ? -1 : 1));
  const dates: string[] = [];
  // Every day of the range (bounded: at most ~190 days), then any day outside it (an entry's zone shift).
  for (let d = opts.from, i = 0; d <= opts.to && i < 400; d = addDays(d, 1), i++) dates.push(d);
  for (const d of dayKeys) if (!dates.includes(d)) dates.push(d);
  dates.sort();
  const days = dates
    .filter((date) => date !== UNKNOWN_DATE)
    .map((date) => {
      const i = dayIndex.get(date);
      const d = i === undefined ? undefined : perDay[i];
      return {
        date,
        byCategory: order.map((c) => d?.cats[c] ?? 0),
        entries: d?.entries ?? 0,
        findings: d?.findings ?? 0,
      };
    });
  return {
    title: l10n.t('Activity overview'),
    texts: overviewTexts(),
    range: opts.range,
    categories: order.map((i) => cut(labels[i])),
    days,
    topOperators: top(operators),
    topActions: top(actions),
    topTargets: top(targets),
    totals: {
      entries: entries.length,
      findings: findings.length,
      high: bySeverity.high,
      medium: bySeverity.medium,
      low: bySeverity.low,
      operators: operators.size,
    },
  };
}

/** The page's texts in the person's language; the page fills the `{n}`s. */
export function overviewTexts(): OverviewTexts {
  // Each `{n}` is passed back as itself: the page fills it with its figures.
  const slot = (i: number): string => `{${i}}`;
  return {
    summary: l10n.t(
      '{0} · {1} entries by {2} operators · {3} findings ({4} high, {5} medium, {6} low)',
      slot(0),
      slot(1),
      slot(2),
      slot(3),
      slot(4),
      slot(5),
      slot(6),
    ),
    entriesChart: l10n.t('Entries per day, by category'),
    entriesDay: l10n.t('{0}: {1} entries{2}', slot(0), slot(1), slot(2)),
    findingsChart: l10n.t('Findings per day'),
    findingsDay: l10n.t('{0}: {1} findings', slot(0), slot(1)),
    chartCaption: l10n.t('{0} (highest: {1})', slot(0), slot(1)),
    chartLabel: l10n.t('{0}, one bar per day; arrow keys move, Enter filters the tree to the day', slot(0)),
    legend: l10n.t('Categories (click to filter the tree)'),
    topOperators: l10n.t('Top operators'),
    topActions: l10n.t('Top actions'),
    topTargets: l10n.t('Top targets'),
    topRow: l10n.t('{0}: {1} entries. Filter the tree to it.', slot(0), slot(1)),
    empty: l10n.t('None in this range.'),
    none: l10n.t('(none)'),
    table: l10n.t('Show the numbers as a table'),
    date: l10n.t('Date'),
    entries: l10n.t('Entries'),
    coverageChart: l10n.t('Archive coverage, one square per day (click a day to filter the tree to it)'),
    coverageCaption: l10n.t(
      'Archive coverage: {0} of {1} days complete, {2} about to become unrecoverable, {3} lost',
      slot(0),
      slot(1),
      slot(2),
      slot(3),
    ),
    coverageDay: l10n.t('{0}: {1}', slot(0), slot(1)),
    coverage_complete: l10n.t('archived, complete'),
    coverage_incomplete: l10n.t('archived, incomplete'),
    coverage_missing: l10n.t('not archived; Zoom still has it'),
    coverage_atRisk: l10n.t('not archived; Zoom forgets it within 14 days'),
    coverage_lost: l10n.t('not archived; Zoom no longer has it'),
    findings: l10n.t('Findings'),
    filtering: l10n.t('Filtering the tree to {0}', slot(0)),
  };
}

interface Counter {
  n: number;
}

function bump(counts: Map<string, Counter>, name: string): void {
  const c = counts.get(name);
  if (c === undefined) counts.set(name, { n: 1 });
  else c.n++;
}

/** The ten largest counts, most first, then by name (as insights' overview()). */
function top(counts: Map<string, Counter>): { name: string; count: number }[] {
  const best: { name: string; count: number }[] = [];
  for (const [name, { n: count }] of counts) {
    if (best.length === 10) {
      const last = best[9];
      if (count < last.count || (count === last.count && name > last.name)) continue;
    }
    best.push({ name, count });
    best.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (best.length > 10) best.pop();
  }
  return best.map((x) => ({ name: cut(x.name), count: x.count }));
}

/** An archive's coverage as the overview's strip reads it (src/archive's Coverage, by structure). */
export interface CoverageSource {
  readonly days: readonly { readonly day: string; readonly status: string; readonly recoverable: boolean }[];
  /** The oldest day Zoom still has. */
  readonly zoomFrom: string;
}

/**
 * One status per day from `from` to `to` (oldest first): archived and complete or incomplete; not archived
 * while Zoom still has it (`missing`), or within `withinDays` of falling off its horizon (`atRisk`); or
 * gone from Zoom (`lost`). A day before the coverage's first day was never archived and is past the horizon.
 */
export function overviewCoverage(
  cov: CoverageSource,
  from: string,
  to: string,
  withinDays = 14,
): NonNullable<OverviewModel['coverage']> {
  const byDay = new Map(cov.days.map((d) => [d.day, d]));
  const soon = addDays(cov.zoomFrom, withinDays);
  type Status = NonNullable<OverviewModel['coverage']>[number]['status'];
  const statusOf = (day: string): Status => {
    const d = byDay.get(day);
    if (d?.status === 'complete') return 'complete';
    const recoverable = d ? d.recoverable : day >= cov.zoomFrom;
    if (!recoverable) return d?.status === 'incomplete' ? 'incomplete' : 'lost';
    if (day < soon) return 'atRisk';
    return d?.status === 'incomplete' ? 'incomplete' : 'missing';
  };
  const out: { date: string; status: Status }[] = [];
  for (let day = from; day <= to && out.length < 4000; day = addDays(day, 1)) {
    out.push({ date: day, status: statusOf(day) });
  }
  return out;
}
