/**
 * What the Archive view shows, as plain data (no `vscode`; unit-tested in test/unit/coverageModel.test.ts):
 * a warning with "Sync now" while days that are not archived completely are about to fall off
 * Zoom's six-month horizon, a summary, then months (newest first) and their days, each with an
 * icon for complete, incomplete, missing, at risk, or gone from Zoom.
 */
import type { Coverage, DayCoverage } from '../archive/coverage';
import { COMMANDS } from '../commands/ids';
import { l10n } from '../l10n';
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

/** A month's name (1 = January), in the person's language. */
function monthName(month: number): string {
  const names = [
    l10n.t('January'),
    l10n.t('February'),
    l10n.t('March'),
    l10n.t('April'),
    l10n.t('May'),
    l10n.t('June'),
    l10n.t('July'),
    l10n.t('August'),
    l10n.t('September'),
    l10n.t('October'),
    l10n.t('November'),
    l10n.t('December'),
  ];
  return names[month - 1];
}

/** Days within this many days of falling off Zoom's horizon count as at risk (as the warning does). */
export const AT_RISK_DAYS = 14;

export function dayState(c: DayCoverage, today: string): DayState {
  if (c.status === 'complete') return 'complete';
  if (!c.recoverable) return c.status === 'missing' ? 'gone' : 'incomplete';
  if (c.day !== today && c.day < horizonStart(addDays(today, AT_RISK_DAYS))) return 'atRisk';
  return c.status;
}

const DAY_ICONS: Record<DayState, { icon: string; color?: string }> = {
  complete: { icon: 'pass-filled', color: 'testing.iconPassed' },
  incomplete: { icon: 'circle-large-outline' },
  missing: { icon: 'circle-slash' },
  atRisk: { icon: 'warning', color: 'list.warningForeground' },
  gone: { icon: 'error', color: 'list.errorForeground' },
};

/**
 * How a day stands, in words.
 * @userFacing
 */
function dayText(state: DayState): string {
  switch (state) {
    case 'complete':
      return l10n.t('archived, complete');
    case 'incomplete':
      return l10n.t('archived, incomplete (sync again once the day is over)');
    case 'missing':
      return l10n.t('not archived; Zoom still has it');
    case 'atRisk':
      return l10n.t('not archived completely; soon gone from Zoom');
    case 'gone':
      return l10n.t('not archived and gone from Zoom');
  }
}

/**
 * A missing day's state, short: the day's text up to its `;`.
 * @userFacing
 */
function dayShortText(state: DayState): string {
  if (state === 'missing') return l10n.t('not archived');
  if (state === 'atRisk') return l10n.t('not archived completely');
  return dayText(state);
}

const count = (n: number): string => n.toLocaleString('en-US');

/** @userFacing */
function entriesText(n: number): string {
  return n === 1 ? l10n.t('1 entry') : l10n.t('{0} entries', count(n));
}

/** The Archive view's root items. `lastSync` is the manifest's record of the last sync, if any. */
export function coverageItems(
  cov: Coverage | undefined,
  opts: { syncing?: boolean; lastSync?: { at: string; requests: number } } = {},
): CoverageItem[] {
  if (!cov) {
    return [
      {
        id: 'cov/none',
        // Shown signed out, and signed in before the first sync (a token's account is named at that sync).
        label: l10n.t('No archive for this account yet.'),
        description: l10n.t('Sync Archive'),
        tooltip: l10n.t(
          'Click to copy this account’s operation logs to your disk (sign in first). Later syncs fetch only what is new.',
        ),
        icon: 'info',
        contextValue: 'coverageMessage',
        command: { command: COMMANDS.syncArchive, title: l10n.t('Sync Archive'), arguments: [] },
      },
    ];
  }
  const out: CoverageItem[] = [];
  if (cov.warning) {
    out.push({
      id: 'cov/warning',
      label: cov.warning.message,
      description: opts.syncing ? l10n.t('syncing…') : undefined,
      tooltip: l10n.t(
        '{0}. The oldest is {1}; Zoom keeps operation logs for six months. Click to sync the archive now.',
        cov.warning.message,
        cov.warning.firstDay,
      ),
      icon: 'warning',
      color: 'list.warningForeground',
      contextValue: 'coverageWarning',
      command: { command: COMMANDS.syncArchive, title: l10n.t('Sync now'), arguments: [] },
    });
  }
  const { complete, incomplete, missing } = cov.counts;
  out.push({
    id: 'cov/summary',
    label:
      complete === 1
        ? l10n.t('1 day complete, {0} incomplete, {1} missing', incomplete, missing)
        : l10n.t('{0} days complete, {1} incomplete, {2} missing', count(complete), incomplete, missing),
    description: opts.syncing
      ? l10n.t('syncing…')
      : opts.lastSync
        ? l10n.t('last sync {0} UTC', opts.lastSync.at.slice(0, 16).replace('T', ' '))
        : l10n.t('never synced'),
    tooltip: l10n.t(
      'From {0} to {1} (UTC days). Zoom still has every day from {2}.{3}',
      cov.from,
      cov.to,
      cov.zoomFrom,
      !opts.lastSync
        ? ''
        : opts.lastSync.requests === 1
          ? l10n.t(' The last sync took 1 request.')
          : l10n.t(' The last sync took {0} requests.', count(opts.lastSync.requests)),
    ),
    icon: 'archive',
    contextValue: 'coverageSummary',
    command: opts.syncing ? undefined : { command: COMMANDS.syncArchive, title: l10n.t('Sync now'), arguments: [] },
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
      l10n.t('{0}/{1} complete', n('complete'), days.length),
      risky ? l10n.t('{0} at risk', risky) : '',
      n('missing') ? l10n.t('{0} missing', n('missing')) : '',
      n('gone') ? l10n.t('{0} gone', n('gone')) : '',
    ].filter(Boolean);
    const entries = days.reduce((k, d) => k + d.entries, 0);
    out.push({
      id: `cov/${month}`,
      label: l10n.t('{0} {1}', monthName(Number(month.slice(5, 7))), month.slice(0, 4)),
      description: parts.join(', '),
      tooltip: l10n.t('{0} archived in {1}.', entriesText(entries), month),
      icon: risky ? 'warning' : n('complete') === days.length ? 'pass' : 'calendar',
      color: risky ? 'list.warningForeground' : undefined,
      contextValue: 'coverageMonth',
      children: days.map((d, i) => {
        const st = DAY_ICONS[states[i]];
        const text = dayText(states[i]);
        return {
          id: `cov/${d.day}`,
          label: DateKeyer.label(d.day),
          description: d.status === 'missing' ? dayShortText(states[i]) : entriesText(d.entries),
          tooltip:
            d.status === 'missing'
              ? l10n.t('{0} (UTC): {1}.', d.day, text)
              : l10n.t('{0} (UTC): {1}, {2}.', d.day, text, entriesText(d.entries)),
          icon: st.icon,
          color: st.color,
          contextValue: `coverageDay ${states[i]}`,
        };
      }),
    });
  }
  return out;
}
