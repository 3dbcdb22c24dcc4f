/** Timers in Node overflow above 2^31-1 ms and fire at once; never ask for more. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses a Retry-After header: delta-seconds (`^\d+$`), an HTTP-date (IMF-fixdate,
 * RFC 850 or asctime) or an ISO-8601 date with a zone. Of a comma-separated list
 * (two header lines, which node-fetch joins as `5, 10`) the first value counts.
 * Returns the delay in ms clamped to [0, capMs] (capMs itself is clamped to a
 * legal timer: Infinity means at most MAX_TIMER_MS, NaN or a negative cap 0), or undefined when the value is absent or unusable (`+5`, `5s`,
 * `1e3`, `-1`, free text): the caller then falls back to backoff. Never throws.
 */
export function parseRetryAfter(value: unknown, nowMs: number, capMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const cap = clampCap(capMs);
  const v = value.trim();
  if (!v || v.length > 200) return undefined;
  let ms: number;
  const first = firstValue(v);
  if (/^\d+$/.test(first)) {
    ms = Number(first) * 1000;
  } else {
    const at = parseHttpOrIsoDate(first, nowMs);
    if (at === undefined) return undefined;
    ms = at - nowMs;
  }
  // Finite either way: at most 200 digits, and the date forms name real instants.
  return Math.min(cap, Math.max(0, Math.ceil(ms)));
}

const DAYS = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const LONG_DAYS = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MON = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^(?:${DAYS}), (\\d{2}) (${MON}) (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^(?:${LONG_DAYS}), (\\d{2})-(${MON})-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^(?:${DAYS}) (${MON}) ([ \\d]\\d) ${TIME} (\\d{4})$`);
const ISO_ZONED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The first value of a comma-separated header; an IMF-fixdate or RFC 850 date keeps its own comma. */
function firstValue(v: string): string {
  const dated = new RegExp(`^(?:${DAYS}|${LONG_DAYS}),[^,]*`).exec(v);
  const head = dated ? dated[0] : (v.split(',')[0] ?? '');
  return head.trim();
}

/** Epoch ms of a strict HTTP-date or zoned ISO-8601 date, or undefined. */
export function parseHttpOrIsoDate(v: string, nowMs: number): number | undefined {
  let m = IMF_FIXDATE.exec(v);
  if (m) return utc(Number(m[3]), MONTHS.indexOf(m[2]), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC_850.exec(v);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(m[3]);
    if (year > nowYear + 50) year -= 100;
    return utc(year, MONTHS.indexOf(m[2]), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME.exec(v);
  if (m) {
    // A one-digit day comes space-padded (` 6`); Number() reads it as 6.
    return utc(Number(m[6]), MONTHS.indexOf(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  }
  m = ISO_ZONED.exec(v);
  if (m) {
    const local = utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
    if (local === undefined) return undefined;
    const frac = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
    const zone = m[8].toUpperCase();
    if (zone === 'Z') return local + frac;
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!z || Number(z[2]) > 23 || Number(z[3]) > 59) return undefined;
    const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000 * (z[1] === '+' ? 1 : -1);
    return local + frac - offset;
  }
  return undefined;
}

/** Date.UTC for fields that must name a real instant (no 31 February, no 25:00). */
function utc(year: number, month: number, day: number, h: number, min: number, s: number): number | undefined {
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 23 || min > 59 || s > 60) return undefined;
  const ms = Date.UTC(year, month, day, h, min, Math.min(s, 59));
  const d = new Date(ms);
  if (!Number.isFinite(ms) || d.getUTCDate() !== day || d.getUTCMonth() !== month) return undefined;
  return ms;
}

/** The absolute time a Retry-After points to (for daily-limit messages), or undefined. */
export function retryAfterAt(value: unknown, nowMs: number): number | undefined {
  const delay = parseRetryAfter(value, nowMs, MAX_TIMER_MS);
  return delay === undefined ? undefined : nowMs + delay;
}

/**
 * Exponential backoff with full jitter: a uniform delay in
 * [0, min(capMs, baseMs * 2^attempt)], where attempt counts from 0.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const cap = clampCap(capMs);
  const exp = Math.min(cap, baseMs * 2 ** Math.min(Math.max(0, attempt), 52));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * exp);
}

/** A cap as a legal timer: Infinity (no cap) is the longest timer; NaN and negatives are 0. */
function clampCap(capMs: number): number {
  if (Number.isNaN(capMs) || capMs < 0) return 0;
  return Math.min(capMs, MAX_TIMER_MS);
}

/** Resolves after ms, or rejects with `onAbort()` as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const timer = setTimeout(done, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    signal?.addEventListener('abort', abort, { once: true });
    function done(): void {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(onAbort());
    }
  });
}
