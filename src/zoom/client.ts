import type { AccessToken, TokenSource } from './auth';
import { categoryKey } from './categories';
import { ZoomError } from './errors';
import {
  checkBaseUrl,
  MAX_JSON_CONTAINERS,
  MAX_JSON_DEPTH,
  parseJson,
  readJson,
  send,
  zoomErrorBody,
  type RawResponse,
} from './http';
import { redactQuery, silentLogger, type ZoomLogger } from './logger';
import { RateLimiter, realClock, type Clock, type Slot } from './rateLimiter';
import { parseRetryAfter, retryAfterAt } from './retry';
import { withRetries, type AttemptResult, type RetryPolicy } from './retrying';
import type { OperationLogEntry, Page, PageRequest, RateLimitHeaders } from './types';
import { l10n } from '../l10n';

export const DEFAULT_API_BASE_URL = 'https://api.zoom.us/v2';
export const MAX_PAGE_SIZE = 300;
/**
 * The most items one page may hold: ten times the most Zoom sends. A page of 32 MB can list ten million tiny items,
 * each of which would become an entry held in memory; a broken or hostile server is stopped at the first such page.
 */
export const MAX_PAGE_ITEMS = 10 * MAX_PAGE_SIZE;
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
  /** Server-to-Server OAuth: on a 401, fetch a new token and replay once (default true). */
  reauthenticate?: boolean;
  timeoutMs?: number;
  /** Longest Retry-After we wait (default 60 s). */
  maxRetryAfterMs?: number;
  /**
   * A per-second 429 whose Retry-After lies further ahead than this (default 60 s)
   * stops at once with the time to try again, instead of being retried.
   */
  giveUpRetryAfterMs?: number;
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
  private readonly giveUpRetryAfterMs: number;
  private readonly configuredBase?: URL;
  /** Requests sent to the API (every attempt), for progress and tests. */
  requests = 0;

  constructor(private readonly opts: ZoomClientOptions) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.limiter ?? new RateLimiter(opts.requestsPerSecond ?? 10, this.clock);
    this.logger = opts.logger ?? silentLogger;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
    this.giveUpRetryAfterMs = opts.giveUpRetryAfterMs ?? 60_000;
    this.policy = {
      maxAttempts: opts.maxAttempts ?? 5,
      backoffBaseMs: opts.backoffBaseMs ?? 500,
      backoffCapMs: opts.backoffCapMs ?? 20_000,
      random: opts.random ?? Math.random,
      clock: this.clock,
    };
    if (opts.apiBaseUrl) this.configuredBase = checkBaseUrl(opts.apiBaseUrl, l10n.t('The API base URL'));
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

    /** One try. A 401 under OAuth re-authenticates once and replays within the same try, under the same rules. */
    const attemptOnce = async (attempt: number, isReplay = false): Promise<AttemptResult<Page>> => {
      const access = await this.opts.tokens.get(signal);
      const url = this.url(access.apiBaseUrl, params);
      const slot = await this.waitForSlot(signal, url, params);
      const started = this.clock.now();
      this.requests++;
      const replay = isReplay ? ' (replay with a new token)' : '';
      let res: RawResponse;
      try {
        res = await send(url, {
          method: 'GET',
          headers: { Authorization: `Bearer ${access.token}`, Accept: 'application/json' },
          timeoutMs: this.timeoutMs,
          signal,
          onSent: slot.sent,
        });
      } catch (e) {
        const err = e as ZoomError;
        const retryable = err.kind === 'network' || err.kind === 'timeout';
        this.log(url, params, 0, started, attempt, `${retryable ? 'will retry' : err.kind}${replay}`);
        if (retryable) return { retry: err, reason: err.kind };
        throw err;
      }
      if (
        res.status === 401 &&
        this.opts.tokens.kind === 's2s' &&
        this.opts.reauthenticate !== false &&
        !reauthenticated
      ) {
        // One fresh token per page. The replay is part of this attempt, and its own
        // failures (a reset, a 5xx) are retried like any other; a second 401 is final.
        // (Checked before interpret(), which throws the final 'auth' error for a 401.)
        reauthenticated = true;
        this.opts.tokens.invalidate(access.token);
        this.log(url, params, res.status, started, attempt, 'token rejected, fetching a new one and replaying once');
        return attemptOnce(attempt, true);
      }
      let result: AttemptResult<Page>;
      try {
        result = this.interpret(res, req, attempt);
      } catch (e) {
        if (e instanceof ZoomError && e.missingScope) this.opts.tokens.invalidate(access.token);
        this.log(url, params, res.status, started, attempt, `${e instanceof ZoomError ? e.kind : 'failed'}${replay}`);
        throw e;
      }
      if ('ok' in result) {
        this.log(url, params, res.status, started, attempt, `ok, ${result.ok.entries.length} entries${replay}`);
        return result;
      }
      this.log(
        url,
        params,
        res.status,
        started,
        attempt,
        `will retry${result.delayMs !== undefined ? ` in ${result.delayMs} ms` : ''}${replay}`,
      );
      return result;
    };

    return withRetries<Page>(
      this.policy,
      (n) => attemptOnce(n),
      (n, delay, e, reason) =>
        this.logger.warn(
          `${reason === 'Retry-After' ? 'Rate limited by Zoom' : `Request failed (${e.kind})`}; waiting ${delay} ms before attempt ${n + 1}.`,
        ),
      signal,
    );
  }

  /** The API base a request with this token goes to: the setting when given, else the token's api_url, else Zoom's default. */
  baseUrlFor(access: AccessToken): URL {
    return (
      this.configuredBase ??
      (access.apiBaseUrl
        ? checkBaseUrl(access.apiBaseUrl, 'api_url')
        : checkBaseUrl(DEFAULT_API_BASE_URL, l10n.t('The API base URL')))
    );
  }

  private async waitForSlot(signal: AbortSignal | undefined, url: URL, params: URLSearchParams): Promise<Slot> {
    const slot = await this.limiter.acquireSlot(signal);
    const waited = slot.waitedMs;
    if (waited >= 50) {
      this.logger.info(
        `Rate limiter: waited ${waited} ms before ${url.pathname}?${new URLSearchParams(redactQuery(params)).toString()}`,
      );
    }
    return slot;
  }

  private url(tokenBase: string | undefined, params: URLSearchParams): URL {
    const base = this.baseUrlFor({ token: '', apiBaseUrl: tokenBase });
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
      const page = parsePage(res, (odd, skipped) => {
        const parts = [
          odd ? `${odd} ${odd === 1 ? 'entry' : 'entries'} had missing or odd fields (kept, as text)` : '',
          skipped ? `${skipped} ${skipped === 1 ? 'item was' : 'items were'} not an entry (skipped)` : '',
        ].filter(Boolean);
        this.logger.warn(`Page for ${req.from} to ${req.to}: ${parts.join('; ')}.`);
      });
      if (page instanceof ZoomError) {
        // Only a body that looks cut off (or is empty) can come out right on a second try.
        if (page.retryable) return { retry: page, reason: 'bad body' };
        throw page;
      }
      const rateLimit = readRateLimitHeaders(res.headers);
      return { ok: rateLimit ? { ...page, rateLimit } : page };
    }
    const body = parseJson(res.text);
    const { code, message } = zoomErrorBody(body);
    const details = { status, code, zoomMessage: message, attempts: attempt };
    // Appended to a sentence: a space, then what Zoom said (or nothing).
    const said = message ? ` ${l10n.t('Zoom said: "{0}"', message)}` : '';
    const httpRef = (): string =>
      code !== undefined ? l10n.t('HTTP {0}, code {1}', status, code) : l10n.t('HTTP {0}', status);

    if (status === 300 || (status === 400 && HORIZON_MESSAGE.test(message ?? ''))) {
      throw new ZoomError(
        'horizon',
        l10n.t(
          'Zoom refused {0} to {1} as outside the range it reports on ({2}).{3} Zoom only reports on about the last 6 months: choose a later start date.',
          req.from,
          req.to,
          httpRef(),
          said,
        ),
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
          l10n.t(
            "Zoom's daily request limit for reports is used up for this account; it resets at {0} (in {1}). Other apps on the account share this limit.",
            formatResetTime(at),
            formatDuration(at - now),
          ),
          { ...details, retryAt: at },
        );
      }
      const at = retryAfterAt(retryAfter, now);
      if (at !== undefined && at - now > this.giveUpRetryAfterMs) {
        throw new ZoomError(
          'rateLimit',
          l10n.t(
            "Zoom's rate limit was reached and Zoom asks to wait until {0} (in {1}).{2} Try again then; other apps on this account share the limit.",
            formatResetTime(at),
            formatDuration(at - now),
            said,
          ),
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
        l10n.t(
          'Zoom\'s per-second rate limit was reached.{0} Other apps on this account share the limit; try again in a minute, or lower "zoomOperationLogs.maxRequestsPerSecond".',
          said,
        ),
        details,
      );
      return delay === undefined
        ? { retry: err, reason: 'backoff' }
        : { retry: err, delayMs: delay, reason: 'Retry-After' };
    }
    if (status >= 500) {
      const what = /<html|<!doctype/i.test(res.text.slice(0, 500))
        ? l10n.t('an HTML error page')
        : message
          ? `"${message}"`
          : l10n.t('an error');
      return {
        retry: new ZoomError('server', l10n.t('Zoom answered HTTP {0} with {1}.', status, what), details),
        reason: 'server',
      };
    }
    if (
      (status === 400 || status === 401 || status === 403) &&
      (code === 4711 || code === 4700 || /does not contain scope/i.test(message ?? ''))
    ) {
      throw missingScopeError(this.opts.tokens.kind, details);
    }
    if (status === 401 || code === 124) {
      const fix =
        this.opts.tokens.kind === 's2s'
          ? l10n.t('Check that the Server-to-Server OAuth app is activated, then sign in again.')
          : l10n.t('Set a new token with "Zoom: Set Access Token", or sign in with Server-to-Server OAuth.');
      throw new ZoomError('auth', l10n.t('Zoom rejected the access token.{0} {1}', said, fix), details);
    }
    if (status === 400 && code === 300 && (req.nextPageToken || /token/i.test(message ?? ''))) {
      throw new ZoomError('pageToken', l10n.t('The next page token is invalid or expired.{0}', said), details);
    }
    if (status === 403 || code === 200) {
      throw new ZoomError(
        'permission',
        l10n.t(
          "Zoom refused the operation-logs report for this account (no permission).{0} The report needs a Pro or higher plan, and the app's owner needs a role with the permission to view Admin Activity Logs (Zoom web portal: User Management > Roles). Check both, then try again.",
          said,
        ),
        details,
      );
    }
    if (status === 404) {
      throw new ZoomError(
        'notFound',
        l10n.t('Zoom answered 404 for the operation-logs report.{0} Check the API base URL setting.', said),
        details,
      );
    }
    throw new ZoomError(
      'badRequest',
      l10n.t('Zoom refused the request ({0}).{1}', httpRef(), said || ` ${l10n.t('No reason given.')}`),
      details,
    );
  }
}

/** Zoom's words for a range it will not report on (besides HTTP 300). */
const HORIZON_MESSAGE = /\b(?:6|six) months?\b|\breport'?s range\b|\bdate range is out\b/i;

/** The scope Zoom's operation-logs report needs, and where to add it. */
export function missingScopeError(
  credentialKind: 'token' | 's2s',
  details: { status?: number; code?: number; zoomMessage?: string; attempts?: number },
): ZoomError {
  const said = details.zoomMessage ? ` ${l10n.t('Zoom said: "{0}"', details.zoomMessage)}` : '';
  const fix =
    credentialKind === 's2s'
      ? l10n.t(
          "Add the scope report:read:admin (or the granular report:read:operation_logs:admin) on your app's Scopes page in the Zoom App Marketplace (Manage > your app > Scopes), then sign in again so the new token carries it.",
        )
      : l10n.t(
          "Create a token with the scope report:read:admin (or the granular report:read:operation_logs:admin): for a Server-to-Server OAuth app add it on the app's Scopes page in the Zoom App Marketplace. Then set the new token.",
        );
  return new ZoomError('auth', l10n.t('The access token lacks the scope this report needs.{0} {1}', said, fix), {
    ...details,
    missingScope: true,
  });
}

/**
 * Validates a 2xx body; returns the page, or a ZoomError describing what is wrong
 * (`retryable` only when the body is empty or looks cut off). Entries with missing
 * or odd fields are kept as text; items that are not objects are skipped; both are
 * counted and reported through `onOdd` (once per page).
 */
export function parsePage(res: RawResponse, onOdd?: (odd: number, skipped: number) => void): Page | ZoomError {
  const read = readJson(res.text);
  const bad = (what: string, retryable = false): ZoomError =>
    new ZoomError('badResponse', l10n.t("Zoom's answer was not a valid operation-logs page ({0}).", what), {
      status: res.status,
      retryable,
    });
  if (!read.ok) {
    if (read.why === 'empty') return bad(l10n.t('the body is empty'), true);
    if (read.why === 'truncated') return bad(l10n.t('the JSON is cut off'), true);
    if (read.why === 'tooDeep') return bad(l10n.t('the JSON is nested more than {0} levels deep', MAX_JSON_DEPTH));
    if (read.why === 'tooMany') {
      return bad(l10n.t('the JSON holds more than {0} objects and lists', MAX_JSON_CONTAINERS.toLocaleString('en-US')));
    }
    return bad(/^\s*</.test(res.text) ? l10n.t('an HTML page instead of JSON') : l10n.t('the body is not JSON'));
  }
  const body = read.value;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad(l10n.t('the body is not a JSON object'));
  const b = body as Record<string, unknown>;
  const list = b.operation_logs;
  if (list !== undefined && list !== null && !Array.isArray(list)) return bad(l10n.t('operation_logs is not a list'));
  if (Array.isArray(list) && list.length > MAX_PAGE_ITEMS) {
    return bad(
      l10n.t('it lists {0} entries, and a page holds at most {1}', list.length.toLocaleString('en-US'), MAX_PAGE_SIZE),
    );
  }
  const token = b.next_page_token;
  if (token !== undefined && token !== null && typeof token !== 'string') {
    return bad(l10n.t('next_page_token is not a string'));
  }
  if (typeof token === 'string' && token.length > MAX_PAGE_TOKEN) {
    return bad(l10n.t('next_page_token is {0} characters long, too long to send back', token.length));
  }
  const entries: OperationLogEntry[] = [];
  let odd = 0;
  let skipped = 0;
  for (const item of (list ?? []) as unknown[]) {
    const entry = toEntry(item);
    if (entry === undefined) {
      skipped++;
      continue;
    }
    if (entry.odd) odd++;
    entries.push(entry.entry);
  }
  if (odd || skipped) onOdd?.(odd, skipped);
  return { entries, nextPageToken: typeof token === 'string' ? token : '' };
}

/**
 * Zoom's page tokens are a few dozen characters. A longer one goes back in the next request's URL, where a server
 * refuses it (HTTP 414 or 431) or, near the limit, cuts it: stop at the page that brought it instead.
 */
export const MAX_PAGE_TOKEN = 4096;

const FIELDS = ['time', 'operator', 'category_type', 'action', 'operation_detail'] as const;

/**
 * A field as text: strings as sent, missing or null as '', anything else as JSON (numbers and booleans read as
 * they were sent: `5`, `true`).
 */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** A zoneless ISO date-time (`2026-11-20T10:00:00`) is UTC, as Zoom's times are. */
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

export function timeMsOf(time: string): number {
  const m = ZONELESS.exec(time.trim());
  return Date.parse(m ? `${m[1]}T${m[2]}Z` : time);
}

function toEntry(item: unknown): { entry: OperationLogEntry; odd: boolean } | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  const odd = FIELDS.some((f) => typeof o[f] !== 'string');
  const time = asText(o.time);
  const categoryType = intern(asText(o.category_type));
  return {
    odd,
    entry: {
      time,
      timeMs: timeMsOf(time),
      operator: intern(asText(o.operator)),
      categoryType,
      category: categoryKey(categoryType),
      action: intern(asText(o.action)),
      operationDetail: asText(o.operation_detail),
    },
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

/**
 * How long until a reset, in a message.
 * @userFacing
 */
export function formatDuration(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 1) return l10n.t('less than a minute');
  if (min < 60) return l10n.t('{0} min', min);
  const h = Math.floor(min / 60);
  return l10n.t('{0} h {1} min', h, min % 60);
}

/** Zoom's X-RateLimit-* headers, or undefined when it sent none. */
export function readRateLimitHeaders(headers: RawResponse['headers']): RateLimitHeaders | undefined {
  const text = (name: string): string | undefined => headers.get(name)?.split(',')[0].trim().slice(0, 40) || undefined;
  const num = (name: string): number | undefined => {
    const v = text(name);
    return v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
  };
  const info: RateLimitHeaders = {
    category: text('x-ratelimit-category'),
    type: text('x-ratelimit-type'),
    limit: num('x-ratelimit-limit'),
    remaining: num('x-ratelimit-remaining'),
  };
  return Object.values(info).some((v) => v !== undefined) ? info : undefined;
}
