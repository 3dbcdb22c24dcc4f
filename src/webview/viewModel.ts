import type { OperationLogEntry } from '../zoom/types';
import { formatEntryJson } from './entryJson';
import type { EntryViewModel } from './protocol';
import type { TimeZoneSetting } from '../model/timeZones';

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
export function toViewModel(entry: OperationLogEntry, timeZone: TimeZoneSetting): EntryViewModel {
  const action = entry.action || 'Operation log entry';
  return {
    json: formatEntryJson(entry),
    timeLocal: formatTime(entry, timeZone, LONG_FORMAT),
    timeUtc: entry.time,
    operator: entry.operator,
    category: entry.categoryType || entry.category,
    action: entry.action,
    title: `${action} · ${formatTime(entry, timeZone, SHORT_FORMAT)}`,
  };
}

function formatTime(entry: OperationLogEntry, timeZone: TimeZoneSetting, options: Intl.DateTimeFormatOptions): string {
  if (!Number.isFinite(entry.timeMs)) return entry.time || 'Unknown time';
  const date = new Date(entry.timeMs);
  if (timeZone === 'UTC') return `${date.toLocaleString(undefined, { ...options, timeZone: 'UTC' })} UTC`;
  // dateStyle/timeStyle cannot be combined with timeZoneName; the long format names the zone.
  const named = options.dateStyle ? options : { ...options, timeZoneName: 'short' as const };
  return date.toLocaleString(undefined, named);
}
