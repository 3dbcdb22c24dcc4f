/** Shared helpers for the Zoom-layer unit tests (simulator-backed). */
import assert from 'node:assert/strict';
import type { SimEntry, Simulator } from '../../simulator/index';
import { REPORT_PATH } from '../../simulator/index';
import { toRawEntry } from '../../../src/zoom/rawEntry';
import type { OperationLogEntry } from '../../../src/zoom/types';
import type { RequestSummary, ZoomLogger } from '../../../src/zoom/logger';
import type { Clock } from '../../../src/zoom/rateLimiter';
import { realClock } from '../../../src/zoom/rateLimiter';
import { ZoomError } from '../../../src/zoom/errors';
import { StaticTokenSource } from '../../../src/zoom/auth';
import { MAX_PAGE_SIZE, parsePage, ZoomClient, type ZoomClientOptions } from '../../../src/zoom/client';
import { categoryKey } from '../../../src/zoom/categories';

export { REPORT_PATH };

/** Identity of an entry in Zoom's raw shape (same field order as SimEntry). */
export function entryJson(e: OperationLogEntry): string {
  return JSON.stringify(toRawEntry(e));
}

export function simJson(e: SimEntry): string {
  return JSON.stringify({
    time: e.time,
    operator: e.operator,
    category_type: e.category_type,
    action: e.action,
    operation_detail: e.operation_detail,
  });
}

function counts(keys: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Asserts that the entries are exactly the simulator entries as a multiset (each once, none missing, none extra). */
export function assertSameMultiset(
  got: readonly OperationLogEntry[],
  want: readonly SimEntry[],
  label = 'entries',
): void {
  const g = counts(got.map(entryJson));
  const w = counts(want.map(simJson));
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [k, n] of w) {
    const m = g.get(k) ?? 0;
    if (m < n) missing.push(`${n - m}x ${k.slice(0, 160)}`);
  }
  for (const [k, n] of g) {
    const m = w.get(k) ?? 0;
    if (n > m) extra.push(`${n - m}x ${k.slice(0, 160)}`);
  }
  assert.ok(
    missing.length === 0 && extra.length === 0,
    `${label}: got ${got.length}, want ${want.length}; missing ${missing.length} [${missing.slice(0, 3).join(' | ')}], extra/duplicated ${extra.length} [${extra.slice(0, 3).join(' | ')}]`,
  );
  assert.equal(got.length, want.length, `${label}: count`);
}

/** Report requests in the simulator log (optionally with a given status). */
export function reportRequests(sim: Simulator, status?: number): number {
  return sim.count({ path: REPORT_PATH, method: 'GET', ...(status === undefined ? {} : { status }) });
}

export function tokenRequests(sim: Simulator): number {
  return sim.count({ path: '/oauth/token', method: 'POST' });
}

/** A logger that keeps every request summary and message. */
export class RecordingLogger implements ZoomLogger {
  readonly summaries: RequestSummary[] = [];
  readonly infos: string[] = [];
  readonly warnings: string[] = [];
  onRequest?: (s: RequestSummary) => void;
  request(s: RequestSummary): void {
    this.summaries.push(s);
    this.onRequest?.(s);
  }
  info(m: string): void {
    this.infos.push(m);
  }
  warn(m: string): void {
    this.warnings.push(m);
  }
}

/** A clock whose sleeps resolve at once, record the delay asked for, and move `now` forward. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public t = Date.now()) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
    if (signal?.aborted) return Promise.reject(new ZoomError('cancelled', 'Cancelled.'));
    return Promise.resolve();
  }
}

/** A clock that follows the simulator's (advanceable) clock but sleeps for real. */
export function simClock(sim: Simulator): Clock {
  return { now: () => sim.clock.now(), sleep: realClock.sleep };
}

/** Awaits a promise that must reject with a ZoomError, returning it. */
export async function rejectsZoom(p: Promise<unknown>): Promise<ZoomError> {
  try {
    await p;
  } catch (e) {
    assert.ok(
      e instanceof ZoomError,
      `expected a ZoomError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
    );
    return e;
  }
  assert.fail('expected a rejection');
}

/** A scripted random source: returns the values in turn, then repeats the last one. */
export function scriptedRandom(values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)];
}

/** A client on the simulator's static token, with fast retries and no effective rate limit. */
export function staticClient(sim: Simulator, extra: Partial<ZoomClientOptions> = {}): ZoomClient {
  return new ZoomClient({
    apiBaseUrl: sim.apiBaseUrl,
    tokens: new StaticTokenSource(sim.token),
    requestsPerSecond: 1000,
    backoffBaseMs: 2,
    backoffCapMs: 20,
    maxAttempts: 5,
    maxRetryAfterMs: 50,
    ...extra,
  });
}

/** An entry as the client makes it from Zoom's fields (the category key from the display string), at `ms`. */
export function logEntry(f: {
  action: string;
  categoryType: string;
  detail: string;
  operator: string;
  ms: number;
}): OperationLogEntry {
  return {
    time: new Date(f.ms).toISOString().replace('.000Z', 'Z'),
    timeMs: f.ms,
    operator: f.operator,
    categoryType: f.categoryType,
    category: categoryKey(f.categoryType),
    action: f.action,
    operationDetail: f.detail,
  };
}

/**
 * Runs fn with process.env.TZ set (Node re-reads TZ when it changes), then restores it: at once, or when the promise
 * fn returns settles.
 */
export function withTz<T>(tz: string, fn: () => T): T {
  const old = process.env.TZ;
  process.env.TZ = tz;
  const restore = (): void => {
    if (old === undefined) delete process.env.TZ;
    else process.env.TZ = old;
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    restore();
    throw e;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}

/** Raw entries (Zoom's shape, any count) as the client makes them, read through parsePage in pages of 300. */
export function entriesFromRaw(raw: readonly unknown[]): OperationLogEntry[] {
  const out: OperationLogEntry[] = [];
  for (let i = 0; i < raw.length || i === 0; i += MAX_PAGE_SIZE) {
    const text = JSON.stringify({ operation_logs: raw.slice(i, i + MAX_PAGE_SIZE) });
    const page = parsePage({ status: 200, headers: { get: () => null }, text });
    assert.ok(!(page instanceof Error), `a valid page: ${page instanceof Error ? page.message : ''}`);
    out.push(...page.entries);
  }
  return out;
}
