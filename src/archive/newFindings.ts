/**
 * What to tell the person after a background sync: the high-severity findings among the entries
 * this sync added (SyncResult.added), as one notification with at most a few of them named and an
 * action that shows them. Plain Node; findings come from the caller (src/archive does not use
 * src/insights), as records with a rule title, a severity and the entry (Zoom's or our field names).
 */
import type { OperationLogEntry } from '../zoom/types';
import { utcDayOf } from './format';
import { l10n } from '../l10n';

/** A high-severity finding on an entry a sync added. */
export interface NewFinding {
  readonly ruleId: string;
  readonly title: string;
  readonly operator: string;
  readonly time: string;
  /** The entry's UTC day, when its time is usable. */
  readonly day?: string;
}

export interface NewFindingsNotice {
  /** New high-severity findings (all of them, newest first). */
  readonly findings: readonly NewFinding[];
  readonly message: string;
  /** The button that shows them. */
  readonly action: string;
  /** What the action shows: the range to fetch (the findings' UTC days, which the archive holds) and the filter. */
  readonly show: { readonly from: string; readonly to: string; readonly filter: string };
}

/** Findings of entries, as InsightsService.findingRecords returns them. */
export type FindingsOfEntries = (
  entries: readonly OperationLogEntry[],
) => readonly unknown[] | Promise<readonly unknown[]>;

const str = (o: Record<string, unknown>, k: string): string | undefined =>
  typeof o[k] === 'string' ? (o[k] as string) : undefined;

/** The high-severity findings among finding records of any shape (others are ignored), newest first. */
export function highFindings(records: readonly unknown[]): NewFinding[] {
  const out: NewFinding[] = [];
  for (const r of records) {
    if (!r || typeof r !== 'object') continue;
    const f = r as Record<string, unknown>;
    const entry = f.entry && typeof f.entry === 'object' ? (f.entry as Record<string, unknown>) : undefined;
    const title = str(f, 'title')?.trim();
    if (f.severity !== 'high' || !title || !entry) continue;
    const time = str(entry, 'time') ?? '';
    out.push({
      ruleId: str(f, 'ruleId') ?? '',
      title,
      operator: (str(entry, 'operator') ?? '').trim(),
      time,
      day: utcDayOf(time),
    });
  }
  const ms = (f: NewFinding): number => {
    const t = Date.parse(f.time);
    return Number.isFinite(t) ? t : -Infinity;
  };
  return out.sort((a, b) => ms(b) - ms(a));
}

/**
 * The notification for new high-severity findings, or undefined when there are none. Findings
 * with the same rule title and operator are named once, with how often; at most `maxNamed`
 * (default 3) are named, the rest counted ("and 4 more").
 */
export function newFindingsNotice(
  findings: readonly NewFinding[],
  opts: { today: string; maxNamed?: number },
): NewFindingsNotice | undefined {
  if (!findings.length) return undefined;
  const maxNamed = Math.max(1, opts.maxNamed ?? 3);
  const groups = new Map<string, { title: string; operator: string; n: number }>();
  for (const f of findings) {
    const key = JSON.stringify([f.title, f.operator]);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { title: f.title, operator: f.operator, n: 1 });
  }
  const named = [...groups.values()].slice(0, maxNamed);
  const rest = findings.length - named.reduce((k, g) => k + g.n, 0);
  const names = named.map((g) => {
    const who = g.operator ? l10n.t('{0} by {1}', g.title, g.operator) : g.title;
    return g.n > 1 ? l10n.t('{0} ({1} times)', who, g.n) : who;
  });
  const list = rest > 0 ? l10n.t('{0}, and {1} more', names.join('; '), rest) : names.join('; ');
  const message =
    findings.length === 1
      ? l10n.t('1 new high-severity finding in Zoom operation logs: {0}.', list)
      : l10n.t('{0} new high-severity findings in Zoom operation logs: {1}.', findings.length, list);
  const days = findings.map((f) => f.day).filter((d): d is string => !!d);
  const oldest = days.length ? days.reduce((a, b) => (a < b ? a : b)) : opts.today;
  const newest = days.length ? days.reduce((a, b) => (a > b ? a : b)) : opts.today;
  return {
    findings,
    message,
    action: l10n.t('Show Them'),
    show: { from: oldest, to: newest > opts.today ? opts.today : newest, filter: 'severity:high' },
  };
}

/**
 * The notice for a sync: the high-severity findings among the entries it added. Undefined on a
 * first sync (result.added is undefined: everything would be "new") and when nothing new is high.
 */
export async function newFindingsAfterSync(
  result: { readonly added?: readonly OperationLogEntry[] },
  findingsOf: FindingsOfEntries,
  opts: { today: string; maxNamed?: number },
): Promise<NewFindingsNotice | undefined> {
  if (!result.added?.length) return undefined;
  return newFindingsNotice(highFindings(await findingsOf(result.added)), opts);
}
