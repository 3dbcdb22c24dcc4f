/**
 * The activity overview's data: src/insights' overview() turned into the page's model (every day of the
 * range, categories as columns). Plain Node: no `vscode`.
 */
import { overview, type Finding } from '../insights';
import { addDays } from '../zoom/dates';
import type { OperationLogEntry } from '../zoom/types';
import type { OverviewModel } from './overviewProtocol';

/** Longest name sent to the page (operators and targets are Zoom's text). */
const NAME_MAX = 200;
// A plain prefix (no ellipsis), so that clicking a cut name still filters by a substring of it.
const cut = (s: string): string => (s.length > NAME_MAX ? s.slice(0, NAME_MAX) : s);

export function buildOverviewModel(
  entries: readonly OperationLogEntry[],
  findings: readonly Finding[],
  opts: { dateKey: (ms: number) => string; from: string; to: string; range: string },
): OverviewModel {
  const o = overview(entries, findings, opts.dateKey);
  const catTotals = new Map<string, number>();
  for (const d of o.days) {
    for (const [name, n] of Object.entries(d.byCategory)) catTotals.set(name, (catTotals.get(name) ?? 0) + n);
  }
  const categories = [...catTotals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n);
  const byDate = new Map(o.days.map((d) => [d.date, d]));
  const dates: string[] = [];
  // Every day of the range (bounded: at most ~190 days), then any day outside it (an entry's zone shift).
  for (let d = opts.from, i = 0; d <= opts.to && i < 400; d = addDays(d, 1), i++) dates.push(d);
  for (const d of byDate.keys()) if (!dates.includes(d)) dates.push(d);
  dates.sort();
  const days = dates.map((date) => {
    const d = byDate.get(date);
    return {
      date,
      byCategory: categories.map((c) => d?.byCategory[c] ?? 0),
      entries: d?.entries ?? 0,
      findings: d?.findings ?? 0,
    };
  });
  const names = (xs: { name: string; count: number }[]) => xs.map((x) => ({ name: cut(x.name), count: x.count }));
  return {
    title: 'Activity overview',
    range: opts.range,
    categories: categories.map(cut),
    days: days.filter((d) => d.date !== 'unknown'),
    topOperators: names(o.topOperators),
    topActions: names(o.topActions),
    topTargets: names(o.topTargets),
    totals: {
      entries: o.totals.entries,
      findings: o.totals.findings,
      high: o.totals.findingsBySeverity.high,
      medium: o.totals.findingsBySeverity.medium,
      low: o.totals.findingsBySeverity.low,
      operators: o.totals.operators,
    },
  };
}
