import { l10n } from '../l10n';
import type { OperationLogEntry } from '../zoom/types';
import { severityName } from '../views/treeModel';
import { formatEntryJson } from './entryJson';
import type { Severity, Finding } from '../insights';
import { insights } from '../services/insights';
import type { ChangeRow, EntryViewModel, FindingRow } from './protocol';

import type { TimeZoneSetting } from '../model/timeZones';

/** Severities, most severe first (as src/insights orders them; kept here so nothing loads insights for it). */
const SEVERITY_ORDER: readonly Severity[] = ['high', 'medium', 'low'];

const LONG_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};
const SHORT_FORMAT: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** Everything the entry view shows, as text. */
export function toViewModel(
  entry: OperationLogEntry,
  timeZone: TimeZoneSetting,
  findings: readonly Finding[] = [],
): EntryViewModel {
  const action = entry.action || l10n.t('Operation log entry');
  return {
    json: formatEntryJson(entry),
    timeLocal: formatTime(entry, timeZone, LONG_FORMAT),
    timeUtc: entry.time,
    operator: entry.operator,
    category: entry.categoryType || entry.category,
    action: entry.action,
    title: `${action} · ${formatTime(entry, timeZone, SHORT_FORMAT)}`,
    changes: changeRows(entry),
    findings: findingRows(findings),
  };
}

/** The parsed changes as table rows: the whole path as setting (`Security > Sign in with ...`). */
export function changeRows(entry: OperationLogEntry): ChangeRow[] {
  const parsed = insights().parsedOf(entry);
  return parsed.changes.slice(0, 1000).map((c) => {
    const setting = c.path.join(' > ') || insights().settingOf(c, parsed);
    if (c.from !== undefined || c.to !== undefined) return { setting, from: c.from ?? '', to: c.to ?? '' };
    if (c.setTo !== undefined) return { setting, from: '', to: c.setTo };
    return { setting, from: '', to: c.value ?? '' };
  });
}

function findingRows(findings: readonly Finding[]): FindingRow[] {
  const rank = (f: Finding): number => SEVERITY_ORDER.indexOf(f.severity);
  return [...findings]
    .sort((a, b) => rank(a) - rank(b))
    .map((f) => ({
      severity: f.severity,
      title: f.title,
      rule: f.ruleId,
      check: f.check,
      note: f.trusted ? l10n.t('Trusted operator: lowered from {0}.', severityName(f.ruleSeverity)) : '',
    }));
}

function formatTime(entry: OperationLogEntry, timeZone: TimeZoneSetting, options: Intl.DateTimeFormatOptions): string {
  if (!Number.isFinite(entry.timeMs)) return entry.time || l10n.t('Unknown time');
  const date = new Date(entry.timeMs);
  if (timeZone === 'UTC') return `${date.toLocaleString(undefined, { ...options, timeZone: 'UTC' })} UTC`;
  // dateStyle/timeStyle cannot be combined with timeZoneName; the long format names the zone.
  const named = options.dateStyle ? options : { ...options, timeZoneName: 'short' as const };
  return date.toLocaleString(undefined, named);
}
