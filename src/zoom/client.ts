import type { TokenSource } from './auth';
import { categoryKey } from './categories';
import { ZoomError } from './errors';
import { checkBaseUrl, parseJson, send, zoomErrorBody, type RawResponse } from './http';
import { redactQuery, silentLogger, type ZoomLogger } from './logger';
import { RateLimiter, realClock, type Clock } from './rateLimiter';
import { parseRetryAfter, retryAfterAt } from './retry';
import { withRetries, type AttemptResult, type RetryPolicy } from './retrying';
import type { OperationLogEntry, Page, PageRequest } from './types';

export const DEFAULT_API_BASE_URL = 'https://api.zoom.us/v2';
export const MAX_PAGE_SIZE = 300;
const OPERATION_LOGS_PATH = 'report/operationlogs';

export interface ZoomClientOptions {
  apiBaseUrl?: string;
  tokens: TokenSource;
  /** Client-wide limiter; pass the same one to every client that shares the account. */
  limiter?: RateLimiter;
  /** Used when no limiter is passed. Zoom's Heavy limit on Pro is 10. */
  requestsPerSecond?: number;
  /** Tries per page, including the first (default 5). */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Longest Retry-After we honour (default 60 s). */
  maxRetryAfterMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  logger?: ZoomLogger;
  clock?: Clock;
  random?: () => number;
}

/**
 * One page of `GET /report/operationlogs` per call: rate-limited, retried where
 * retrying can help, re-authenticated once on a 401 with Server-to-Server OAuth.
 */
export class ZoomClient {
  readonly limiter: RateLimiter;
  private readonly policy: RetryPolicy;
  private readonly logger: ZoomLogger;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly configuredBase?: URL;
  /** Requests sent to the API (every attempt), for progress and tests. */
  requests = 0;

  constructor(private readonly opts: ZoomClientOptions) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.limiter ?? new RateLimiter(opts.requestsPerSecond ?? 10, this.clock);
    this.logger = opts.logger ?? silentLogger;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
    this.policy = {
      maxAttempts: opts.maxAttempts ?? 5,
      backoffBaseMs: opts.backoffBaseMs ?? 500,
      backoffCapMs: opts.backoffCapMs ?? 20_000,
      random: opts.random ?? Math.random,
      clock: this.clock,
    };
    if (opts.apiBaseUrl) this.configuredBase = checkBaseUrl(opts.apiBaseUrl, 'The API base URL');
  }

  async fetchPage(req: PageRequest, signal?: AbortSignal): Promise<Page> {
    const pageSize = Math.min(Math.max(1, Math.floor(req.pageSize)), MAX_PAGE_SIZE);
    const params = new URLSearchParams({
      from: req.from,
      to: req.to,
      page_size: String(pageSize),
      category_type: req.categoryType,
    });
    if (req.nextPageToken) params.set('next_page_token', req.nextPageToken);
    let reauthenticated = false;

    return withRetries<Page>(
      this.policy,
      async (attempt) => {
        const access = await this.opts.tokens.get(signal);
        const url = this.url(access.apiBaseUrl, params);
        await this.waitForSlot(signal, url, params);
        const started = this.clock.now();
        this.requests++;
        let res: RawResponse;
        try {
          res = await send(url, {
            method: 'GET',
            headers: { Authorization: `Bearer ${access.token}`, Accept: 'application/json' },
            timeoutMs: this.timeoutMs,
            signal,
          });
        } catch (e) {
          const err = e as ZoomError;
          const retryable = err.kind === 'network' || err.kind === 'timeout';
          this.log(url, params, 0, started, attempt, retryable ? 'will retry' : err.kind);
          if (retryable) return { retry: err, reason: err.kind };
          throw err;
        }
        if (res.status === 401 && this.opts.tokens.kind === 's2s' && !reauthenticated) {
          // One fresh token and one replay; the replay is not a retry.
          // (Checked before interpret(), which throws the final 'auth' error for a 401.)
          reauthenticated = true;
          this.opts.tokens.invalidate(access.token);
          this.log(url, params, res.status, started, attempt, 'token rejected, fetching a new one and replaying once');
          return this.replay(req, params, signal);
        }
        const result = this.interpret(res, req, attempt);
        if ('ok' in result) {
          this.log(url, params, res.status, started, attempt, `ok, ${result.ok.entries.length} entries`);
          return result;
        }
        this.log(
          url,
          params,
          res.status,
          started,
          attempt,
          result.delayMs === undefined && !result.reason
            ? result.retry.kind
            : `will retry${result.delayMs !== undefined ? ` in ${result.delayMs} ms` : ''}`,
        );
        return result;
      },
      (n, delay, e, reason) =>
        this.logger.warn(
          `${reason === 'Retry-After' ? 'Rate limited by Zoom' : `Request failed (${e.kind})`}; waiting ${delay} ms before attempt ${n + 1}.`,
        ),
      signal,
    );
  }

  /** The single replay after a 401: its own failure is final. */
  private async replay(req: PageRequest, params: URLSearchParams, signal?: AbortSignal): Promise<AttemptResult<Page>> {
    const access = await this.opts.tokens.get(signal);
    const url = this.url(access.apiBaseUrl, params);
    await this.waitForSlot(signal, url, params);
    const started = this.clock.now();
    this.requests++;
    const res = await send(url, {
      method: 'GET',
      headers: { Authorization: `Bearer ${access.token}`, Accept: 'application/json' },
      timeoutMs: this.timeoutMs,
      signal,
    });
    const result = this.interpret(res, req, 1);
    this.log(url, params, res.status, started, 1, 'ok' in result ? 'ok (replay)' : 'replay failed');
    if ('ok' in result) return result;
    if (res.status === 401) throw result.retry;
    return result;
  }

  private async waitForSlot(signal: AbortSignal | undefined, url: URL, params: URLSearchParams): Promise<void> {
    const waited = await this.limiter.acquire(signal);
    if (waited >= 50) {
      this.logger.info(
        `Rate limiter: waited ${waited} ms before ${url.pathname}?${new URLSearchParams(redactQuery(params)).toString()}`,
      );
    }
  }

  private url(tokenBase: string | undefined, params: URLSearchParams): URL {
    const base =
      this.configuredBase ??
      (tokenBase ? checkBaseUrl(tokenBase, 'api_url') : checkBaseUrl(DEFAULT_API_BASE_URL, 'The API base URL'));
    const url = new URL(OPERATION_LOGS_PATH, base.href.endsWith('/') ? base.href : `${base.href}/`);
    url.search = params.toString();
    return url;
  }

  private log(
    url: URL,
    params: URLSearchParams,
    status: number,
    started: number,
    attempt: number,
    outcome: string,
  ): void {
    const summary = {
      method: 'GET',
      path: url.pathname,
      query: redactQuery(params),
      status,
      ms: this.clock.now() - started,
      attempt,
      outcome,
    };
    this.logger.request(summary);
  }

  /** Decides what an answer means: a page, a retry (with its delay), or a final error (thrown). */
  private interpret(res: RawResponse, req: PageRequest, attempt: number): AttemptResult<Page> {
    const { status } = res;
    if (status >= 200 && status < 300) {
      const page = parsePage(res);
      if (page instanceof ZoomError) return { retry: page, reason: 'bad body' };
      return { ok: page };
    }
    const body = parseJson(res.text);
    const { code, message } = zoomErrorBody(body);
    const details = { status, code, zoomMessage: message, attempts: attempt };
    const said = message ? ` Zoom said: "${message}"` : '';

    if (status === 300) {
      throw new ZoomError(
        'horizon',
        `Zoom only reports on the last 6 months (HTTP 300 for ${req.from} to ${req.to}). Choose a start date within the last 6 months.`,
        details,
      );
    }
    if (status === 429) {
      const now = this.clock.now();
      const type = res.headers.get('x-ratelimit-type') ?? '';
      const retryAfter = res.headers.get('retry-after');
      if (/daily/i.test(type) || /daily/i.test(message ?? '')) {
        const at = retryAfterAt(retryAfter, now) ?? nextUtcMidnight(now);
        throw new ZoomError(
          'dailyLimit',
          `Zoom's daily request limit for reports is used up for this account; it resets at ${formatResetTime(at)} (in ${formatDuration(at - now)}). Other apps on the account share this limit.`,
          { ...details, retryAt: at },
        );
      }
      const window = this.limiter.slowDown();
      this.logger.warn(
        `Zoom answered a per-second 429; the rate limiter now starts at most ${this.limiter.rate} requests per ${window} ms.`,
      );
      const delay = parseRetryAfter(retryAfter, now, this.maxRetryAfterMs);
      const err = new ZoomError(
        'rateLimit',
        `Zoom's per-second rate limit was reached.${said} Other apps on this account share the limit; try again in a minute, or lower "zoomOperationLogs.maxRequestsPerSecond".`,
        details,
      );
      return delay === undefined
        ? { retry: err, reason: 'backoff' }
        : { retry: err, delayMs: delay, reason: 'Retry-After' };
    }
    if (status >= 500) {
      const what = /<html|<!doctype/i.test(res.text.slice(0, 500))
        ? 'an HTML error page'
        : message
          ? `"${message}"`
          : 'an error';
      return {
        retry: new ZoomError('server', `Zoom answered HTTP ${status} with ${what}.`, details),
        reason: 'server',
      };
    }
    if (status === 401 || code === 124 || code === 4700) {
      const scope = code === 4700 || /scope/i.test(message ?? '');
      const fix =
        this.opts.tokens.kind === 's2s'
          ? 'Check that the Server-to-Server OAuth app is activated and has the scope report:read:admin, then sign in again.'
          : 'Set a new token with "Zoom: Set Access Token", or sign in with Server-to-Server OAuth.';
      const what = scope ? 'The access token lacks the scope report:read:admin.' : 'Zoom rejected the access token.';
      throw new ZoomError('auth', `${what}${said} ${fix}`, details);
    }
    if (status === 400 && code === 300 && (req.nextPageToken || /token/i.test(message ?? ''))) {
      throw new ZoomError('pageToken', `The next page token is invalid or expired.${said}`, details);
    }
    if (status === 403 || code === 200) {
      throw new ZoomError(
        'permission',
        `Zoom refused the report for this account.${said} The account needs a Pro or higher plan and the app owner the "View Admin Activity Logs" role permission.`,
        details,
      );
    }
    if (status === 404) {
      throw new ZoomError(
        'notFound',
        `Zoom answered 404 for the operation-logs report.${said} Check the API base URL setting.`,
        details,
      );
    }
    throw new ZoomError(
      'badRequest',
      `Zoom refused the request (HTTP ${status}${code !== undefined ? `, code ${code}` : ''}).${said || ' No reason given.'}`,
      details,
    );
  }
}

/** Validates a 2xx body; returns the page, or a ZoomError describing what is wrong. */
export function parsePage(res: RawResponse): Page | ZoomError {
  const body = parseJson(res.text);
  const bad = (what: string): ZoomError =>
    new ZoomError('badResponse', `Zoom's answer was not a valid operation-logs page (${what}).`, {
      status: res.status,
    });
  if (body === undefined) {
    return bad(
      /^\s*</.test(res.text)
        ? 'an HTML page instead of JSON'
        : res.text.length
          ? 'the JSON is cut off or malformed'
          : 'the body is empty',
    );
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('the body is not a JSON object');
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.operation_logs)) return bad('operation_logs is missing or not a list');
  const token = b.next_page_token;
  if (token !== undefined && token !== null && typeof token !== 'string') return bad('next_page_token is not a string');
  const entries: OperationLogEntry[] = [];
  for (const item of b.operation_logs as unknown[]) {
    const entry = toEntry(item);
    if (typeof entry === 'string') return bad(entry);
    entries.push(entry);
  }
  return { entries, nextPageToken: typeof token === 'string' ? token : '' };
}

const FIELDS = ['time', 'operator', 'category_type', 'action', 'operation_detail'] as const;

function toEntry(item: unknown): OperationLogEntry | string {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return 'an entry is not an object';
  const o = item as Record<string, unknown>;
  for (const f of FIELDS) {
    const v = o[f];
    if (v !== undefined && v !== null && typeof v !== 'string') return `an entry's ${f} is not text`;
  }
  const str = (f: (typeof FIELDS)[number]): string => (typeof o[f] === 'string' ? (o[f] as string) : '');
  const time = str('time');
  const categoryType = intern(str('category_type'));
  return {
    time,
    timeMs: Date.parse(time),
    operator: intern(str('operator')),
    categoryType,
    category: categoryKey(categoryType),
    action: intern(str('action')),
    operationDetail: str('operation_detail'),
  };
}

/**
 * Operators, actions and categories repeat across thousands of entries; one
 * shared copy of each keeps loaded logs close to the size of their JSON.
 */
const pool = new Map<string, string>();
function intern(s: string): string {
  if (s.length > 200) return s;
  const hit = pool.get(s);
  if (hit !== undefined) return hit;
  if (pool.size >= 20_000) pool.clear();
  pool.set(s, s);
  return s;
}

function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export function formatResetTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 1) return 'less than a minute';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return `${h} h ${min % 60} min`;
}
