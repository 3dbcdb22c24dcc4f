/** Timers in Node overflow above 2^31-1 ms and fire at once; never ask for more. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses a Retry-After header: delta-seconds, an HTTP-date or an ISO-8601 date.
 * Returns the delay in ms clamped to [0, capMs] (capMs itself is clamped to a
 * legal timer), or undefined when the value is absent or unusable. Never throws.
 */
export function parseRetryAfter(value: unknown, nowMs: number, capMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const cap = clampCap(capMs);
  const v = value.trim();
  if (!v || v.length > 100) return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(v)) {
    ms = Number(v) * 1000;
  } else if (/^-\d+(\.\d+)?$/.test(v)) {
    ms = 0;
  } else {
    const at = Date.parse(v);
    if (!Number.isFinite(at)) return undefined;
    ms = at - nowMs;
  }
  if (!Number.isFinite(ms)) return cap;
  return Math.min(cap, Math.max(0, Math.ceil(ms)));
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

function clampCap(capMs: number): number {
  if (!Number.isFinite(capMs) || capMs < 0) return 0;
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
