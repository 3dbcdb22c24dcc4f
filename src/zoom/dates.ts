/**
 * Calendar dates as Zoom's report API takes them: `yyyy-mm-dd`, UTC days.
 * Everything here is pure: `today` is passed in.
 */
import { l10n } from '../l10n';

export const HORIZON_MONTHS = 6;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export interface DateWindow {
  readonly from: string;
  readonly to: string;
}

/** Parses `yyyy-mm-dd` to UTC midnight in ms, or undefined for anything else. */
export function parseDate(value: string): number | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Today's UTC date. */
export function todayUtc(nowMs: number): string {
  return formatDate(nowMs);
}

export function addDays(date: string, days: number): string {
  return formatDate(mustParse(date) + days * DAY_MS);
}

/** Adds calendar months, clamping the day to the target month's end (Aug 31 - 6 months = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const d = new Date(mustParse(date));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return formatDate(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
}

/** The oldest date Zoom still reports on: six calendar months before today. */
export function horizonStart(today: string): string {
  return addMonths(today, -HORIZON_MONTHS);
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 8)}01`;
}

export function endOfMonth(date: string): string {
  const d = new Date(mustParse(date));
  return formatDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
}

function mustParse(date: string): number {
  const ms = parseDate(date);
  if (ms === undefined) throw new RangeError(l10n.t('Not a yyyy-mm-dd date: {0}', JSON.stringify(date)));
  return ms;
}

/**
 * Why one date is unusable, or undefined when it is fine.
 * @userFacing
 */
export function checkDate(value: string, today: string, label: 'start' | 'end'): string | undefined {
  const v = value.trim();
  if (!v) {
    return label === 'start'
      ? l10n.t('Enter the start date as yyyy-mm-dd.')
      : l10n.t('Enter the end date as yyyy-mm-dd.');
  }
  if (!DATE_RE.test(v)) {
    return l10n.t('"{0}" is not a date in the form yyyy-mm-dd (for example {1}).', shorten(v), today);
  }
  if (parseDate(v) === undefined) return l10n.t('{0} is not a real calendar date.', v);
  if (v > today) return l10n.t('{0} is in the future; the latest date is today ({1}, UTC).', v, today);
  const earliest = horizonStart(today);
  if (v < earliest) {
    return l10n.t(
      '{0} is more than {1} months ago; Zoom keeps operation logs for {1} months, so the earliest date is {2}.',
      v,
      HORIZON_MONTHS,
      earliest,
    );
  }
  return undefined;
}

/**
 * Validates a range before any request: format, real dates, from <= to,
 * nothing in the future, nothing older than the six-month horizon.
 * Returns a message a person understands, or undefined when the range is valid.
 * @userFacing
 */
export function checkRange(from: string, to: string, today: string): string | undefined {
  const f = checkDate(from, today, 'start');
  if (f) return l10n.t('Start date: {0}', f);
  const t = checkDate(to, today, 'end');
  if (t) return l10n.t('End date: {0}', t);
  if (from.trim() > to.trim()) {
    return l10n.t('The start date {0} is after the end date {1}; swap them.', from.trim(), to.trim());
  }
  return undefined;
}

/**
 * Splits an inclusive range into calendar-month windows, newest first.
 * Each window lies within one calendar month, so it is within Zoom's one-month limit.
 */
export function monthWindows(from: string, to: string): DateWindow[] {
  const start = mustParse(from);
  const end = mustParse(to);
  if (start > end) throw new RangeError(l10n.t('from {0} is after to {1}', from, to));
  const windows: DateWindow[] = [];
  let windowEnd = to;
  for (;;) {
    const monthStart = startOfMonth(windowEnd);
    const windowStart = monthStart > from ? monthStart : from;
    windows.push({ from: windowStart, to: windowEnd });
    if (windowStart === from) return windows;
    windowEnd = addDays(monthStart, -1);
  }
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
