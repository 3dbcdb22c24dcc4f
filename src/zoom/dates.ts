/**
 * Calendar dates as Zoom's report API takes them: `yyyy-mm-dd`, UTC days.
 * Everything here is pure: `today` is passed in.
 */

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
  if (ms === undefined) throw new RangeError(`Not a yyyy-mm-dd date: ${JSON.stringify(date)}`);
  return ms;
}

/** Why one date is unusable, or undefined when it is fine. */
export function checkDate(value: string, today: string, label: string): string | undefined {
  const v = value.trim();
  if (!v) return `Enter the ${label} date as yyyy-mm-dd.`;
  if (!DATE_RE.test(v)) return `"${shorten(v)}" is not a date in the form yyyy-mm-dd (for example ${today}).`;
  if (parseDate(v) === undefined) return `${v} is not a real calendar date.`;
  if (v > today) return `${v} is in the future; the latest date is today (${today}, UTC).`;
  const earliest = horizonStart(today);
  if (v < earliest) {
    return `${v} is more than ${HORIZON_MONTHS} months ago; Zoom keeps operation logs for ${HORIZON_MONTHS} months, so the earliest date is ${earliest}.`;
  }
  return undefined;
}

/**
 * Validates a range before any request: format, real dates, from <= to,
 * nothing in the future, nothing older than the six-month horizon.
 * Returns a message a person understands, or undefined when the range is valid.
 */
export function checkRange(from: string, to: string, today: string): string | undefined {
  const f = checkDate(from, today, 'start');
  if (f) return `Start date: ${f}`;
  const t = checkDate(to, today, 'end');
  if (t) return `End date: ${t}`;
  if (from.trim() > to.trim()) return `The start date ${from.trim()} is after the end date ${to.trim()}; swap them.`;
  return undefined;
}

/**
 * Splits an inclusive range into calendar-month windows, newest first.
 * Each window lies within one calendar month, so it is within Zoom's one-month limit.
 */
export function monthWindows(from: string, to: string): DateWindow[] {
  const start = mustParse(from);
  const end = mustParse(to);
  if (start > end) throw new RangeError(`from ${from} is after to ${to}`);
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
