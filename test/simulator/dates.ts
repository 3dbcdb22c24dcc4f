/** UTC calendar-date helpers shared by the simulator and its generator. */

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `yyyy-mm-dd` as a valid UTC calendar date; returns its midnight in ms, or undefined. */
export function parseYmd(s: string | undefined | null): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = YMD.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return undefined;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

/** `yyyy-mm-dd` of a UTC instant. */
export function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of the day containing `ms`. */
export function startOfUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** Adds calendar months to a UTC date (midnight ms); the day is clamped to the target month's length. */
export function addMonthsUtc(dayMs: number, months: number): number {
  const d = new Date(dayMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay));
}

/** The oldest `from` date the API accepts when today (UTC) is the day of `nowMs`: six calendar months back. */
export function sixMonthsHorizon(nowMs: number): number {
  return addMonthsUtc(startOfUtcDay(nowMs), -6);
}

/** ISO-8601 UTC without milliseconds: `2026-11-20T19:09:01Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
