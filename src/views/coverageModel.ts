/**
 * What the Archive view shows, as plain data (no `vscode`; unit-tested in test/unit/coverageModel.test.ts):
 * a warning with "Sync now" while days that are not archived completely are about to fall off
 * Zoom's six-month horizon, a summary, then months (newest first) and their days, each with an
 * icon for complete, incomplete, missing, at risk, or gone from Zoom.
 */
import type { Coverage, DayCoverage } from '../archive/coverage';
import { COMMANDS } from '../commands/ids';
import { addDays, horizonStart } from '../zoom/dates';
import { DateKeyer } from '../model/timeZones';

export interface CoverageItem {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  /** A codicon id. */
  readonly icon: string;
  /** A theme colour id for the icon. */
  readonly color?: string;
  readonly contextValue: string;
  readonly command?: { command: string; title: string; arguments: unknown[] };
  readonly children?: readonly CoverageItem[];
}

/** How a day of the archive stands. */
export type DayState = 'complete' | 'incomplete' | 'missing' | 'atRisk' | 'gone';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days within this many days of falling off Zoom's horizon count as at risk (as the warning does). */
export const AT_RISK_DAYS = 14;

export function dayState(c: DayCoverage, today: string): DayState {
  if (c.status === 'complete') return 'complete';
  if (!c.recoverable) return c.status === 'missing' ? 'gone' : 'incomplete';
  if (c.day !== today && c.day < horizonStart(addDays(today, AT_RISK_DAYS))) return 'atRisk';
  return c.status;
}

const DAY_ICONS: Record<DayState, { icon: string; color?: string; text: string }> = {
  complete: { icon: 'pass-filled', color: 'testing.iconPassed', text: 'archived, complete' },
  incomplete: { icon: 'circle-large-outline', text: 'archived, incomplete (sync again once the day is over)' },
  missing: { icon: 'circle-slash', text: 'not archived; Zoom still has it' },
  atRisk: { icon: 'warning', color: 'list.warningForeground', text: 'not archived completely; soon gone from Zoom' },
  gone: { icon: 'error', color: 'list.errorForeground', text: 'not archived and gone from Zoom' },
};

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The Archive view's root items. `lastSync` is the manifest's record of the last sync, if any. */
export function coverageItems(
  cov: Coverage | undefined,
  opts: { syncing?: boolean; lastSync?: { at: string; requests: number } } = {},
): CoverageItem[] {
  if (!cov) {
    return [
      {
        id: 'cov/none',
        label: 'Sign in to archive this account’s operation logs.',
        icon: 'info',
        contextValue: 'coverageMessage',
      },
    ];
  }
  const out: CoverageItem[] = [];
  if (cov.warning) {
    out.push({
      id: 'cov/warning',
      label: cov.warning.message,
      description: opts.syncing ? 'syncing…' : undefined,
      tooltip: `${cov.warning.message}. The oldest is ${cov.warning.firstDay}; Zoom keeps operation logs for six months. Click to sync the archive now.`,
      icon: 'warning',
      color: 'list.warningForeground',
      contextValue: 'coverageWarning',
      command: { command: COMMANDS.syncArchive, title: 'Sync now', arguments: [] },
    });
  }
  const { complete, incomplete, missing } = cov.counts;
  out.push({
    id: 'cov/summary',
    label: `${plural(complete, 'day', 'days')} complete, ${incomplete} incomplete, ${missing} missing`,
    description: opts.syncing
      ? 'syncing…'
      : opts.lastSync
        ? `last sync ${opts.lastSync.at.slice(0, 16).replace('T', ' ')} UTC`
        : 'never synced',
    tooltip: `From ${cov.from} to ${cov.to} (UTC days). Zoom still has every day from ${cov.horizon}.${opts.lastSync ? ` The last sync took ${plural(opts.lastSync.requests, 'request', 'requests')}.` : ''}`,
    icon: 'archive',
    contextValue: 'coverageSummary',
    command: opts.syncing ? undefined : { command: COMMANDS.syncArchive, title: 'Sync now', arguments: [] },
  });
  const months = new Map<string, DayCoverage[]>();
  for (const d of cov.days) {
    const m = d.day.slice(0, 7);
    let list = months.get(m);
    if (!list) months.set(m, (list = []));
    list.push(d);
  }
  for (const [month, days] of months) {
    const states = days.map((d) => dayState(d, cov.to));
    const n = (s: DayState): number => states.filter((x) => x === s).length;
    const risky = n('atRisk');
    const parts = [
      `${n('complete')}/${days.length} complete`,
      risky ? `${risky} at risk` : '',
      n('missing') ? `${n('missing')} missing` : '',
      n('gone') ? `${n('gone')} gone` : '',
    ].filter(Boolean);
    const entries = days.reduce((k, d) => k + d.entries, 0);
    out.push({
      id: `cov/${month}`,
      label: `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`,
      description: parts.join(', '),
      tooltip: `${plural(entries, 'entry', 'entries')} archived in ${month}.`,
      icon: risky ? 'warning' : n('complete') === days.length ? 'pass' : 'calendar',
      color: risky ? 'list.warningForeground' : undefined,
      contextValue: 'coverageMonth',
      children: days.map((d, i) => {
        const st = DAY_ICONS[states[i]];
        return {
          id: `cov/${d.day}`,
          label: DateKeyer.label(d.day),
          description: d.status === 'missing' ? st.text.split(';')[0] : `${plural(d.entries, 'entry', 'entries')}`,
          tooltip: `${d.day} (UTC): ${st.text}${d.status === 'missing' ? '' : `, ${plural(d.entries, 'entry', 'entries')}`}.`,
          icon: st.icon,
          color: st.color,
          contextValue: `coverageDay ${states[i]}`,
        };
      }),
    });
  }
  return out;
}
