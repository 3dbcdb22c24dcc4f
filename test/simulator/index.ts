/**
 * Zoom API simulator: a real HTTP server on 127.0.0.1 (plain node:http) that imitates
 * `GET /v2/report/operationlogs` and Server-to-Server OAuth (`POST /oauth/token`), following
 * /work/shared/notes/zoom-operation-logs-api.md. Used by unit tests, the demo and benchmarks.
 *
 * Decisions where Zoom's behaviour is unknown (clients must not depend on them):
 *
 * Accounts and paths:
 *  - Default: one account (ID `SimAcct-7fQ2xK9LmN`, see DEFAULT_S2S) served at `/v2/report/operationlogs` and
 *    `/oauth/token`. Option `accounts: [{id, seed, entries, hostile, data, apiUrl}, ...]` creates several accounts,
 *    each with its own data, demo token, S2S credentials, page tokens and rate limits (Zoom's limits are per
 *    account). Every account is served under its own base path `/acc/<id>/v2/...` and `/acc/<id>/oauth/token`;
 *    the first account is also served at the root paths (so the default account answers at `/acc/SimAcct-7fQ2xK9LmN/...`
 *    too). Unknown `/acc/<id>` -> 404.
 *  - Account 0 has the default credentials (DEMO_TOKEN, DEFAULT_S2S client ID and secret) and owns the special
 *    tokens and client IDs below; account k >= 1 has demo token `sim-demo-token-<id>`, client ID `SimClient-<id>`,
 *    secret `SimSecret-<id>-<k>` and its `id` as account ID.
 *  - Every token belongs to one account. A token of account A sent to account B's report path (root = account 0),
 *    or A's client ID sent to B's token path, gets 401 {"code":124,"message":"Invalid access token."} (OAuth:
 *    401 invalid_client as for an unknown client) and is recorded in crossAccountAttempts() (not cleared by resetLog()).
 *
 * Report endpoint, checks in this order:
 *  1. A pending fault (script() first, else setFaultRate()) is taken when the request arrives.
 *     Faults other than `latency` / `repeat-token` answer immediately, before auth and rate limits,
 *     and do not count toward the QPS window or daily cap.
 *  2. Auth: missing / unknown / revoked bearer -> 401 {"code":124,"message":"Invalid access token."};
 *     a (live or expired) token of another account -> 401 code 124 as unknown, and recorded (see above);
 *     expired OAuth token -> 401 {"code":124,"message":"Access token is expired."};
 *     a token without the scope (`no-scope-token`, or issued to client ID NO_SCOPE_CLIENT_ID) ->
 *     400 {"code":4711,"message":"Invalid access token, does not contain scopes:[report:read:admin]"};
 *     a token without the role permission (`no-permission-token`, or issued to NO_PERMISSION_CLIENT_ID) ->
 *     400 {"code":200,"message":"No permission."}.
 *  3. Daily cap (per account, per UTC day of the sim clock): 429, X-RateLimit-Type: Daily-limit, Retry-After = next
 *     UTC midnight (HTTP-date).
 *  4. QPS (per account): sliding one-second window of real time over admitted requests; 429 with
 *     X-RateLimit-Category: Heavy, X-RateLimit-Type: QPS, X-RateLimit-Limit, X-RateLimit-Remaining: 0, Retry-After: 1.
 *     Rejected (429) requests are not counted toward either limit.
 *  5. Validation, 400 {"code":300,"message":"Validation Failed.","errors":[{"field","message"}]} for a missing or
 *     invalid from / to / category_type / page_size (page_size must be a positive integer; > 300 is clamped to 300).
 *     category_type takes only the query enum; display categories outside it (`User Group`, `Channels`, and the
 *     generator's `Meeting Settings`, `Security`, `Team Chat Channel`) are returned only for `all`.
 *     from > to -> 400 {"code":300,"message":"The from date must not be after the to date."};
 *     to > from + 1 calendar month (day clamped: 01-31 + 1 month = 02-28/29) ->
 *     400 {"code":300,"message":"The date range must not exceed one month."};
 *     from before the horizon -> answered per `horizonStyle`:
 *       'http300' (default): HTTP 300, empty body, Content-Type text/plain;
 *       'code300': 400 {"code":300,"message":"Only provide report in recent 6 months"};
 *       'none': no horizon check.
 *     The horizon is today (UTC, sim clock) minus `horizonDays` days when given, else minus `horizonMonths`
 *     calendar months (default 6, day clamped), so tests can refuse a window the client's six-month estimate allows.
 *  6. next_page_token (empty = first page): bound to (account, from, to, category_type, effective page_size);
 *     unknown, older than 15 min (sim clock) or other query -> 400 {"code":300,"message":"The next page token is invalid or expired."}.
 *     Reusing a token within 15 min returns the same page again (with a fresh next token).
 *  7. 200 {from, to, page_size, next_page_token, operation_logs}. With `rateLimitHeaders: true` it carries
 *     X-RateLimit-Category: Heavy, X-RateLimit-Type: Daily-limit, X-RateLimit-Limit (the daily cap) and
 *     X-RateLimit-Remaining (daily requests left after this one); omitted when the daily cap is 0 (unlimited).
 *
 * Fault bodies: 500 {"code":500,"message":"Internal server error."} JSON; 502 {"code":502,"message":"Bad gateway."} JSON;
 * 503 and `html` (502) are text/html pages; `429` is a QPS 429 whose Retry-After appears only if the fault gives one;
 * `429-bare` is a 429 with the QPS JSON body and no Retry-After and no X-RateLimit-* header at all (as often seen);
 * `reset` destroys the socket (logged with status 0); `truncated` is 200 JSON cut in half (Content-Length matches the cut
 * body); `latency` waits latencyMs (default 1000) then answers normally; `repeat-token` answers normally but echoes the
 * request's next_page_token (a first-page request gets a normal token); `garbage` is 200 application/json with fault.body
 * (default `this is not JSON`).
 *
 * OAuth (`POST /oauth/token`): grant_type and account_id are read from an application/x-www-form-urlencoded body
 * AND from the query string (a body value wins). `oauthRequireBody: true` ignores the query string, so a query-only
 * request fails with 400 unsupported_grant_type (one forum report saw a 400 for it). Checks in this order:
 *  - grant_type missing or not account_credentials
 *  - Authorization missing / not Basic / malformed
 *  - client ID unknown (or belonging to another account: recorded as a cross-account attempt), wrong secret
 *  - client ID DISABLED_CLIENT_ID (with the right secret): the app has been disabled
 *  - account_id missing or not the client's account
 * Error bodies, `oauthErrorStyle: 'reason'` (default; what Zoom answers today, no numeric code):
 *  - grant type                  -> 400 {"reason":"unsupported grant type","error":"unsupported_grant_type"}
 *  - missing/bad Authorization, unknown client ID, wrong secret
 *                                -> 401 {"reason":"Invalid client_id or client_secret","error":"invalid_client"}
 *  - disabled app                -> 401 {"code":4717,"reason":"The app has been disabled","error":"invalid_client"}
 *  - account_id missing or wrong -> 400 {"reason":"Invalid account_id","error":"invalid_request"}
 * `oauthErrorStyle: 'numeric'` (the older documented form) answers {code, message, reason, error}:
 *  grant type 400 4705 unsupported_grant_type; missing credentials 400 4706 invalid_client; unknown client ID 401 4702
 *  invalid_client; wrong secret 401 4704 invalid_client; disabled app 401 4717 invalid_client; account_id missing
 *  400 4706 invalid_request; account_id wrong 400 4711 invalid_request ("Invalid request : Invalid account_id.").
 * Success: {access_token, token_type:"bearer", expires_in, scope, api_url}. scope is "report:read:admin", except
 * for NO_SCOPE_CLIENT_ID ("user:read:admin meeting:read:admin": the report scope is missing). api_url is the
 * `apiUrl` option (per account) or else the account's own origin + base path (`http://127.0.0.1:<port>` for
 * account 0, `http://127.0.0.1:<port>/acc/<id>` for the others), so clients that use it keep working.
 * Several live tokens per client are allowed (issuing one does not invalidate the others).
 *
 * Anything else -> 404 {"code":404,"message":"Not found."}. latencyMs applies to report and OAuth responses.
 * Request log paths are URL pathnames (e.g. `/v2/report/operationlogs`, `/oauth/token`, `/acc/<id>/oauth/token`);
 * each record names the addressed account.
 */
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CATEGORY_DISPLAY, generateEntries, mulberry32 } from './data';
import type { SimEntry } from './data';
import { addMonthsUtc, parseYmd, startOfUtcDay } from './dates';

export type { SimEntry } from './data';

export type FaultKind =
  '500' | '502' | '503' | '429' | '429-bare' | 'reset' | 'truncated' | 'html' | 'latency' | 'repeat-token' | 'garbage';
export const FAULT_KINDS: readonly FaultKind[] = [
  '500',
  '502',
  '503',
  '429',
  '429-bare',
  'reset',
  'truncated',
  'html',
  'latency',
  'repeat-token',
  'garbage',
];

export interface Fault {
  kind: FaultKind;
  /** Retry-After header value for '429'. */
  retryAfter?: string;
  /** Delay for 'latency' (default 1000). */
  latencyMs?: number;
  /** Raw body for 'garbage' (status 200, application/json). */
  body?: string;
}

export interface AccountOptions {
  /** Account ID (also the S2S account_id and the `/acc/<id>` path segment): letters, digits, `-`, `_`. */
  id: string;
  seed?: number;
  entries?: number;
  hostile?: boolean;
  data?: SimEntry[];
  /** api_url in this account's token responses (default: its own origin + base path). */
  apiUrl?: string;
}

export interface SimulatorOptions {
  port?: number;
  seed?: number;
  entries?: number;
  hostile?: boolean;
  latencyMs?: number;
  rps?: number;
  dailyLimit?: number;
  now?: number;
  tokenTtlSeconds?: number;
  order?: 'newest-first' | 'jittered';
  data?: SimEntry[];
  /** OAuth error bodies: 'reason' (default, `{reason, error}`) or 'numeric' (`{code, message, reason, error}`). */
  oauthErrorStyle?: 'reason' | 'numeric';
  /** Read grant_type / account_id only from the form body (a query-only token request gets 400). */
  oauthRequireBody?: boolean;
  /** api_url in the default account's token responses (default: the simulator's own origin). */
  apiUrl?: string;
  /** How a `from` older than the horizon is refused (default 'http300'). */
  horizonStyle?: 'http300' | 'code300' | 'none';
  /** Horizon = today minus this many days (wins over horizonMonths). */
  horizonDays?: number;
  /** Horizon = today minus this many calendar months (default 6). */
  horizonMonths?: number;
  /** Successful report responses carry X-RateLimit-Category / -Type / -Limit / -Remaining (daily figures). */
  rateLimitHeaders?: boolean;
  /** Several accounts; the first replaces the default account (seed / entries / hostile / data above are ignored). */
  accounts?: AccountOptions[];
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 while pending or when the socket was reset. */
  status: number;
  at: number;
  realAt: number;
  auth: 'bearer' | 'basic' | 'none';
  /** ID of the account the path addresses (root paths: the first account; unknown `/acc/<id>`: undefined). */
  account?: string;
}

export interface CrossAccountAttempt {
  method: string;
  path: string;
  /** The account the request addressed. */
  addressed: string;
  /** The account the bearer token or client ID belongs to. */
  owner: string;
  at: number;
}

export interface S2SCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export interface SimAccount {
  readonly id: string;
  readonly apiBaseUrl: string;
  readonly oauthBaseUrl: string;
  /** api_url sent in this account's token responses. */
  readonly apiUrl: string;
  readonly token: string;
  readonly s2s: S2SCredentials;
  readonly data: readonly SimEntry[];
  expected(q: { from: string; to: string; category?: string }): SimEntry[];
}

export interface Simulator {
  readonly apiBaseUrl: string;
  readonly oauthBaseUrl: string;
  readonly token: string;
  readonly s2s: S2SCredentials;
  readonly data: readonly SimEntry[];
  /** Every account; accounts[0] is the default one (the fields above). */
  readonly accounts: readonly SimAccount[];
  readonly clock: { now(): number; advance(ms: number): void };
  expected(q: { from: string; to: string; category?: string }): SimEntry[];
  readonly requests: RequestRecord[];
  count(filter?: { path?: string; method?: string; status?: number; query?: Record<string, string> }): number;
  resetLog(): void;
  /** Requests that used a token (or client ID) of another account than the one addressed. */
  crossAccountAttempts(): CrossAccountAttempt[];
  script(...faults: Fault[]): void;
  setFaultRate(p: number, kinds: FaultKind[], opts?: { retryAfter?: string; latencyMs?: number; body?: string }): void;
  revokeToken(token: string): void;
  expireAccessTokens(): void;
  issuedTokens(): number;
  setRps(rps: number): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export const REPORT_PATH = '/v2/report/operationlogs';
export const TOKEN_PATH = '/oauth/token';
export const DEMO_TOKEN = 'sim-demo-token';
/** Bearer token of account 0 lacking the `report:read:admin` scope: 400 code 4711. */
export const NO_SCOPE_TOKEN = 'no-scope-token';
/** Bearer token of account 0 whose user lacks the admin-activity-logs permission: 400 code 200. */
export const NO_PERMISSION_TOKEN = 'no-permission-token';
/** S2S client IDs of account 0 (secret: DEFAULT_S2S.clientSecret) issuing such tokens, or refused as disabled. */
export const NO_SCOPE_CLIENT_ID = 'SimClientNoScope';
export const NO_PERMISSION_CLIENT_ID = 'SimClientNoPerm';
export const DISABLED_CLIENT_ID = 'SimClientDisabled';
export const DEFAULT_S2S: S2SCredentials = {
  accountId: 'SimAcct-7fQ2xK9LmN',
  clientId: 'SimClient8dJ3pQ',
  clientSecret: 'SimSecret4hT9vW2zR6yB1nM5cX8aE0',
};
export const REPORT_SCOPE = 'report:read:admin';
export const PAGE_TOKEN_TTL_MS = 15 * 60 * 1000;
export const MAX_PAGE_SIZE = 300;
export const DEFAULT_PAGE_SIZE = 30;
export const QUERY_CATEGORIES = ['all', ...Object.keys(CATEGORY_DISPLAY)];

export const MESSAGES = {
  invalidToken: 'Invalid access token.',
  expiredToken: 'Access token is expired.',
  noScope: `Invalid access token, does not contain scopes:[${REPORT_SCOPE}]`,
  noPermission: 'No permission.',
  badPageToken: 'The next page token is invalid or expired.',
  qps: 'You have reached the maximum per-second rate limit for this API. Try again later.',
  daily:
    'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.',
  validation: 'Validation Failed.',
  fromAfterTo: 'The from date must not be after the to date.',
  overMonth: 'The date range must not exceed one month.',
  sixMonths: 'Only provide report in recent 6 months',
} as const;

export const OAUTH_REASONS = {
  grant: 'unsupported grant type',
  client: 'Invalid client_id or client_secret',
  disabled: 'The app has been disabled',
  account: 'Invalid account_id',
} as const;

const JSON_TYPE = 'application/json;charset=UTF-8';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const DAY_MS = 86_400_000;

function randomToken(len: number): string {
  const bytes = randomBytes(len);
  let s = '';
  for (let i = 0; i < len; i++) s += BASE62[bytes[i] % 62];
  return s;
}

/** Maps a display string to the query enum it matches (`User Settings` -> `user_settings`). */
function displayToQuery(display: string): string {
  return display.trim().toLowerCase().replace(/\s+/g, '_');
}

function htmlPage(status: number, title: string): string {
  return `<!DOCTYPE html>\n<html><head><title>${status} ${title}</title></head>\n<body><center><h1>${status} ${title}</h1></center><hr><center>nginx</center></body></html>\n`;
}

interface PageTokenState {
  key: string;
  offset: number;
  issuedAt: number;
}

type TokenKind = 'full' | 'noScope' | 'noPermission';

interface Account {
  index: number;
  id: string;
  base: string; // '' for root, '/acc/<id>'
  data: SimEntry[];
  seed: number;
  token: string;
  s2s: S2SCredentials;
  apiUrl?: string;
  /** client ID -> kind of token it issues (account 0 also has the special client IDs). */
  clients: Map<string, TokenKind | 'disabled'>;
  pageTokens: Map<string, PageTokenState>;
  qpsWindow: number[]; // real-time ms of admitted report requests
  dailyDay: number;
  dailyCount: number;
}

interface TokenInfo {
  account: Account;
  kind: TokenKind;
  /** Sim-clock expiry for OAuth tokens; undefined for static tokens. */
  expiresAt?: number;
}

function sortNewestFirst(data: SimEntry[]): SimEntry[] {
  return data
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.time < b.e.time ? 1 : a.e.time > b.e.time ? -1 : a.i - b.i))
    .map((x) => x.e);
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const initialNow = opts.now ?? Date.now();
  const realStart = Date.now();
  let offset = 0;
  const clock = {
    now: (): number => initialNow + (Date.now() - realStart) + offset,
    advance: (ms: number): void => {
      offset += ms;
    },
  };

  let rps = opts.rps ?? 10;
  let latencyMs = opts.latencyMs ?? 0;
  const dailyLimit = opts.dailyLimit ?? 30000;
  const tokenTtlSeconds = opts.tokenTtlSeconds ?? 3600;
  const order = opts.order ?? 'newest-first';
  const oauthErrorStyle = opts.oauthErrorStyle ?? 'reason';
  const horizonStyle = opts.horizonStyle ?? 'http300';

  const accountOpts: AccountOptions[] = opts.accounts?.length
    ? opts.accounts
    : [
        {
          id: DEFAULT_S2S.accountId,
          seed: opts.seed,
          entries: opts.entries,
          hostile: opts.hostile,
          data: opts.data,
          apiUrl: opts.apiUrl,
        },
      ];
  const accounts: Account[] = [];
  const byId = new Map<string, Account>();
  const clientOwner = new Map<string, Account>();
  const tokens = new Map<string, TokenInfo>();
  for (const [index, a] of accountOpts.entries()) {
    if (!/^[A-Za-z0-9_-]+$/.test(a.id)) {
      throw new Error(`account id ${JSON.stringify(a.id)}: use letters, digits, - or _`);
    }
    if (byId.has(a.id)) throw new Error(`account id ${a.id} given twice`);
    const seed = a.seed ?? (index === 0 ? (opts.seed ?? 1) : index + 1);
    const data = a.data
      ? sortNewestFirst(a.data)
      : generateEntries({ seed, count: a.entries ?? 2000, now: initialNow, hostile: a.hostile });
    const s2s =
      index === 0
        ? { ...DEFAULT_S2S, accountId: a.id }
        : { accountId: a.id, clientId: `SimClient-${a.id}`, clientSecret: `SimSecret-${a.id}-${index}` };
    const acct: Account = {
      index,
      id: a.id,
      base: `/acc/${a.id}`,
      data,
      seed,
      token: index === 0 ? DEMO_TOKEN : `${DEMO_TOKEN}-${a.id}`,
      s2s,
      apiUrl: a.apiUrl,
      clients: new Map([[s2s.clientId, 'full']]),
      pageTokens: new Map(),
      qpsWindow: [],
      dailyDay: -1,
      dailyCount: 0,
    };
    if (index === 0) {
      acct.clients.set(NO_SCOPE_CLIENT_ID, 'noScope');
      acct.clients.set(NO_PERMISSION_CLIENT_ID, 'noPermission');
      acct.clients.set(DISABLED_CLIENT_ID, 'disabled');
      tokens.set(NO_SCOPE_TOKEN, { account: acct, kind: 'noScope' });
      tokens.set(NO_PERMISSION_TOKEN, { account: acct, kind: 'noPermission' });
    }
    for (const c of acct.clients.keys()) {
      if (clientOwner.has(c)) throw new Error(`client ID ${c} given twice`);
      clientOwner.set(c, acct);
    }
    tokens.set(acct.token, { account: acct, kind: 'full' });
    accounts.push(acct);
    byId.set(acct.id, acct);
  }
  const main = accounts[0];

  const revoked = new Set<string>();
  let issued = 0;
  const requests: RequestRecord[] = [];
  const crossAttempts: CrossAccountAttempt[] = [];
  const faultQueue: Fault[] = [];
  let faultRate = 0;
  let faultKinds: FaultKind[] = [];
  let faultOpts: { retryAfter?: string; latencyMs?: number; body?: string } = {};
  const faultRng = mulberry32(main.seed ^ 0xfa017);
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  /** Per data set: every time is a string, so sortNewestFirst ordered it by that string. */
  const timeSorted = new WeakMap<SimEntry[], boolean>();
  function filtered(acct: Account, from: string, to: string, category: string): SimEntry[] {
    const lo = `${from}T00:00:00Z`;
    const hi = `${to}T23:59:59Z`;
    const match = (e: SimEntry): boolean =>
      e.time >= lo && e.time <= hi && (category === 'all' || displayToQuery(e.category_type) === category);
    const data = acct.data;
    let sortable = timeSorted.get(data);
    if (sortable === undefined) timeSorted.set(data, (sortable = data.every((e) => typeof e.time === 'string')));
    if (!sortable) return data.filter(match);
    // data is sorted newest first by the time string, so the range is one run: find it by binary search
    // (a linear scan of 60,000 entries per request made the simulator, not the client, the benchmark's bottleneck).
    const firstAtOrBelow = (t: string, inclusive: boolean): number => {
      let a = 0;
      let b = data.length;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (inclusive ? data[m].time > t : data[m].time >= t) a = m + 1;
        else b = m;
      }
      return a;
    };
    return data.slice(firstAtOrBelow(hi, true), firstAtOrBelow(lo, false)).filter(match);
  }

  function expectedFor(acct: Account, q: { from: string; to: string; category?: string }): SimEntry[] {
    const category = q.category ?? 'all';
    if (!QUERY_CATEGORIES.includes(category)) throw new Error(`unknown category ${category}`);
    if (parseYmd(q.from) === undefined || parseYmd(q.to) === undefined) throw new Error('from/to must be yyyy-mm-dd');
    return filtered(acct, q.from, q.to, category);
  }

  /** The oldest `from` the report accepts today (UTC midnight, ms). */
  function horizon(now: number): number {
    const today = startOfUtcDay(now);
    if (opts.horizonDays !== undefined) return today - opts.horizonDays * DAY_MS;
    return addMonthsUtc(today, -(opts.horizonMonths ?? 6));
  }

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function nextFault(): Fault | undefined {
    if (faultQueue.length) return faultQueue.shift();
    if (faultRate > 0 && faultKinds.length && faultRng() < faultRate) {
      return { kind: faultKinds[Math.floor(faultRng() * faultKinds.length)], ...faultOpts };
    }
    return undefined;
  }

  function send(
    res: http.ServerResponse,
    rec: RequestRecord,
    status: number,
    body: string,
    headers: Record<string, string> = {},
    contentType = JSON_TYPE,
  ): void {
    rec.status = status;
    if (closed || res.destroyed) return;
    const buf = Buffer.from(body, 'utf8');
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(buf.length), ...headers });
    res.end(buf);
  }
  const sendJson = (
    res: http.ServerResponse,
    rec: RequestRecord,
    status: number,
    obj: unknown,
    headers: Record<string, string> = {},
  ): void => send(res, rec, status, JSON.stringify(obj), headers);

  function qps429Headers(retryAfter: string | undefined): Record<string, string> {
    const h: Record<string, string> = {
      'X-RateLimit-Category': 'Heavy',
      'X-RateLimit-Type': 'QPS',
      'X-RateLimit-Limit': String(rps || 10),
      'X-RateLimit-Remaining': '0',
    };
    if (retryAfter !== undefined) h['Retry-After'] = retryAfter;
    return h;
  }

  function recordCross(rec: RequestRecord, addressed: Account, owner: Account): void {
    crossAttempts.push({ method: rec.method, path: rec.path, addressed: addressed.id, owner: owner.id, at: rec.at });
  }

  function handleReport(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: RequestRecord,
    url: URL,
    acct: Account,
    fault: Fault | undefined,
  ): void {
    // Auth
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    const bearer = m ? m[1].trim() : '';
    const now = clock.now();
    const info = bearer && !revoked.has(bearer) ? tokens.get(bearer) : undefined;
    if (!info) return sendJson(res, rec, 401, { code: 124, message: MESSAGES.invalidToken });
    if (info.account !== acct) {
      recordCross(rec, acct, info.account);
      return sendJson(res, rec, 401, { code: 124, message: MESSAGES.invalidToken });
    }
    if (info.expiresAt !== undefined && now >= info.expiresAt) {
      return sendJson(res, rec, 401, { code: 124, message: MESSAGES.expiredToken });
    }
    if (info.kind === 'noScope') return sendJson(res, rec, 400, { code: 4711, message: MESSAGES.noScope });
    if (info.kind === 'noPermission') return sendJson(res, rec, 400, { code: 200, message: MESSAGES.noPermission });

    // Daily cap
    const day = startOfUtcDay(now);
    if (day !== acct.dailyDay) {
      acct.dailyDay = day;
      acct.dailyCount = 0;
    }
    if (dailyLimit > 0 && acct.dailyCount >= dailyLimit) {
      return sendJson(
        res,
        rec,
        429,
        { code: 429, message: MESSAGES.daily },
        {
          'X-RateLimit-Category': 'Heavy',
          'X-RateLimit-Type': 'Daily-limit',
          'X-RateLimit-Limit': String(dailyLimit),
          'X-RateLimit-Remaining': '0',
          'Retry-After': new Date(day + DAY_MS).toUTCString(),
        },
      );
    }
    // QPS
    if (rps > 0) {
      const realNow = Date.now();
      const w = acct.qpsWindow;
      while (w.length && w[0] <= realNow - 1000) w.shift();
      if (w.length >= rps) {
        return sendJson(res, rec, 429, { code: 429, message: MESSAGES.qps }, qps429Headers('1'));
      }
      w.push(realNow);
    }
    acct.dailyCount++;

    // Validation
    const q = url.searchParams;
    const errors: { field: string; message: string }[] = [];
    const from = q.get('from');
    const to = q.get('to');
    const fromMs = parseYmd(from);
    const toMs = parseYmd(to);
    if (from === null || from === '') errors.push({ field: 'from', message: 'from is required.' });
    else if (fromMs === undefined) errors.push({ field: 'from', message: 'Invalid date, expected yyyy-mm-dd.' });
    if (to === null || to === '') errors.push({ field: 'to', message: 'to is required.' });
    else if (toMs === undefined) errors.push({ field: 'to', message: 'Invalid date, expected yyyy-mm-dd.' });
    const category = q.get('category_type') ?? 'all';
    if (!QUERY_CATEGORIES.includes(category)) {
      errors.push({ field: 'category_type', message: `Invalid field: must be one of ${QUERY_CATEGORIES.join(', ')}.` });
    }
    const ps = q.get('page_size');
    let pageSize = DEFAULT_PAGE_SIZE;
    if (ps !== null) {
      if (!/^\d+$/.test(ps) || Number(ps) < 1) {
        errors.push({ field: 'page_size', message: 'Invalid field: must be a positive integer.' });
      } else pageSize = Math.min(MAX_PAGE_SIZE, Number(ps));
    }
    if (errors.length) return sendJson(res, rec, 400, { code: 300, message: MESSAGES.validation, errors });
    const f = from as string;
    const t = to as string;
    if ((fromMs as number) > (toMs as number)) {
      return sendJson(res, rec, 400, { code: 300, message: MESSAGES.fromAfterTo });
    }
    if ((toMs as number) > addMonthsUtc(fromMs as number, 1)) {
      return sendJson(res, rec, 400, { code: 300, message: MESSAGES.overMonth });
    }
    if (horizonStyle !== 'none' && (fromMs as number) < horizon(now)) {
      if (horizonStyle === 'code300') return sendJson(res, rec, 400, { code: 300, message: MESSAGES.sixMonths });
      return send(res, rec, 300, '', {}, 'text/plain');
    }

    // Paging
    const key = `${f}|${t}|${category}|${pageSize}`;
    const sentToken = q.get('next_page_token') ?? '';
    let start = 0;
    if (sentToken) {
      const st = acct.pageTokens.get(sentToken);
      if (!st || st.key !== key || now >= st.issuedAt + PAGE_TOKEN_TTL_MS) {
        return sendJson(res, rec, 400, { code: 300, message: MESSAGES.badPageToken });
      }
      start = st.offset;
    }
    const all = filtered(acct, f, t, category);
    const page = all.slice(start, start + pageSize);
    if (order === 'jittered') {
      const r = mulberry32((acct.seed * 31 + start) ^ key.length);
      for (let i = 0; i + 1 < page.length; i++) {
        if (r() < 0.25) {
          [page[i], page[i + 1]] = [page[i + 1], page[i]];
          i++;
        }
      }
    }
    let next = '';
    if (start + pageSize < all.length) {
      if (acct.pageTokens.size > 10000) {
        for (const [k, v] of acct.pageTokens) if (now >= v.issuedAt + PAGE_TOKEN_TTL_MS) acct.pageTokens.delete(k);
      }
      next = randomToken(32);
      acct.pageTokens.set(next, { key, offset: start + pageSize, issuedAt: now });
    }
    if (fault?.kind === 'repeat-token' && sentToken) next = sentToken;
    const body = JSON.stringify({ from: f, to: t, page_size: pageSize, next_page_token: next, operation_logs: page });
    if (fault?.kind === 'truncated') {
      const buf = Buffer.from(body, 'utf8');
      const cut = buf.subarray(0, Math.floor(buf.length / 2));
      rec.status = 200;
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': String(cut.length) });
      res.end(cut);
      return;
    }
    const headers: Record<string, string> = {};
    if (opts.rateLimitHeaders && dailyLimit > 0) {
      headers['X-RateLimit-Category'] = 'Heavy';
      headers['X-RateLimit-Type'] = 'Daily-limit';
      headers['X-RateLimit-Limit'] = String(dailyLimit);
      headers['X-RateLimit-Remaining'] = String(Math.max(0, dailyLimit - acct.dailyCount));
    }
    send(res, rec, 200, body, headers);
  }

  type OAuthCase =
    'grant' | 'noCredentials' | 'unknownClient' | 'wrongSecret' | 'disabled' | 'noAccount' | 'badAccount';
  const NUMERIC: Record<OAuthCase, [number, number, string, string]> = {
    grant: [400, 4705, 'unsupported_grant_type', 'Unsupported grant type'],
    noCredentials: [
      400,
      4706,
      'invalid_client',
      'Missing credentials: Authorization: Basic base64(client_id:client_secret) is required',
    ],
    unknownClient: [401, 4702, 'invalid_client', OAUTH_REASONS.client],
    wrongSecret: [401, 4704, 'invalid_client', OAUTH_REASONS.client],
    disabled: [401, 4717, 'invalid_client', OAUTH_REASONS.disabled],
    noAccount: [400, 4706, 'invalid_request', 'Missing account_id'],
    badAccount: [400, 4711, 'invalid_request', 'Invalid request : Invalid account_id.'],
  };
  const REASON: Record<OAuthCase, [number, Record<string, unknown>]> = {
    grant: [400, { reason: OAUTH_REASONS.grant, error: 'unsupported_grant_type' }],
    noCredentials: [401, { reason: OAUTH_REASONS.client, error: 'invalid_client' }],
    unknownClient: [401, { reason: OAUTH_REASONS.client, error: 'invalid_client' }],
    wrongSecret: [401, { reason: OAUTH_REASONS.client, error: 'invalid_client' }],
    disabled: [401, { code: 4717, reason: OAUTH_REASONS.disabled, error: 'invalid_client' }],
    noAccount: [400, { reason: OAUTH_REASONS.account, error: 'invalid_request' }],
    badAccount: [400, { reason: OAUTH_REASONS.account, error: 'invalid_request' }],
  };

  function handleToken(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: RequestRecord,
    url: URL,
    acct: Account,
    rawBody: string,
  ): void {
    const params = opts.oauthRequireBody ? new URLSearchParams() : new URLSearchParams(url.search);
    if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(rawBody)) params.set(k, v);
    }
    const err = (c: OAuthCase): void => {
      if (oauthErrorStyle === 'numeric') {
        const [status, code, error, reason] = NUMERIC[c];
        return sendJson(res, rec, status, { code, message: reason, reason, error });
      }
      const [status, body] = REASON[c];
      return sendJson(res, rec, status, body);
    };
    if (params.get('grant_type') !== 'account_credentials') return err('grant');
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec((req.headers.authorization ?? '').trim());
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (!m || colon <= 0) return err('noCredentials');
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const owner = clientOwner.get(id);
    if (!owner) return err('unknownClient');
    if (owner !== acct) {
      recordCross(rec, acct, owner);
      return err('unknownClient');
    }
    if (secret !== acct.s2s.clientSecret) return err('wrongSecret');
    const kind = acct.clients.get(id) ?? 'full';
    if (kind === 'disabled') return err('disabled');
    const account = params.get('account_id');
    if (!account) return err('noAccount');
    if (account !== acct.s2s.accountId) return err('badAccount');
    const access = 'eyJzaW0iOiJ0b2tlbiJ9.' + randomToken(64);
    tokens.set(access, { account: acct, kind, expiresAt: clock.now() + tokenTtlSeconds * 1000 });
    issued++;
    sendJson(res, rec, 200, {
      access_token: access,
      token_type: 'bearer',
      expires_in: tokenTtlSeconds,
      scope: kind === 'noScope' ? 'user:read:admin meeting:read:admin' : REPORT_SCOPE,
      api_url: apiUrlOf(acct),
    });
  }

  function route(pathname: string): { acct: Account; rest: string } | undefined {
    const m = /^\/acc\/([^/]+)(\/.*)?$/.exec(pathname);
    if (!m) return { acct: main, rest: pathname };
    let id = m[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      return undefined;
    }
    const acct = byId.get(id);
    return acct ? { acct, rest: m[2] ?? '/' } : undefined;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authHeader = (req.headers.authorization ?? '').trim().toLowerCase();
    const routed = route(url.pathname);
    const rec: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      at: clock.now(),
      realAt: Date.now(),
      auth: authHeader.startsWith('bearer') ? 'bearer' : authHeader.startsWith('basic') ? 'basic' : 'none',
      account: routed?.acct.id,
    };
    requests.push(rec);
    const isReport = routed?.rest === REPORT_PATH && rec.method === 'GET';
    const isToken = routed?.rest === TOKEN_PATH && rec.method === 'POST';
    const fault = isReport ? nextFault() : undefined;

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');

    if (!routed || (!isReport && !isToken)) return sendJson(res, rec, 404, { code: 404, message: 'Not found.' });
    if (fault) {
      switch (fault.kind) {
        case '500':
          return sendJson(res, rec, 500, { code: 500, message: 'Internal server error.' });
        case '502':
          return sendJson(res, rec, 502, { code: 502, message: 'Bad gateway.' });
        case '503':
          return send(res, rec, 503, htmlPage(503, 'Service Temporarily Unavailable'), {}, 'text/html');
        case 'html':
          return send(res, rec, 502, htmlPage(502, 'Bad Gateway'), {}, 'text/html');
        case '429':
          return sendJson(res, rec, 429, { code: 429, message: MESSAGES.qps }, qps429Headers(fault.retryAfter));
        case '429-bare':
          return sendJson(res, rec, 429, { code: 429, message: MESSAGES.qps });
        case 'reset':
          rec.status = 0;
          req.socket.destroy();
          return;
        case 'garbage':
          return send(res, rec, 200, fault.body ?? 'this is not JSON');
        case 'latency':
          await sleep(fault.latencyMs ?? 1000);
          break;
        case 'truncated':
        case 'repeat-token':
          break;
      }
    }
    await sleep(latencyMs);
    if (closed) return;
    if (isToken) return handleToken(req, res, rec, url, routed.acct, rawBody);
    return handleReport(req, res, rec, url, routed.acct, fault);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': JSON_TYPE });
        res.end(JSON.stringify({ code: 500, message: `Simulator error: ${String(e)}` }));
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  /** Base URL of an account's paths: the origin for account 0 (root paths), else origin + `/acc/<id>`. */
  const baseOf = (a: Account): string => (a.index === 0 ? origin : `${origin}${a.base}`);
  const apiUrlOf = (a: Account): string => a.apiUrl ?? baseOf(a);

  const simAccounts: SimAccount[] = accounts.map((a) => ({
    id: a.id,
    apiBaseUrl: `${baseOf(a)}/v2`,
    oauthBaseUrl: baseOf(a),
    apiUrl: apiUrlOf(a),
    token: a.token,
    s2s: a.s2s,
    data: a.data,
    expected: (q) => expectedFor(a, q),
  }));

  const sim: Simulator = {
    apiBaseUrl: simAccounts[0].apiBaseUrl,
    oauthBaseUrl: simAccounts[0].oauthBaseUrl,
    token: main.token,
    s2s: main.s2s,
    data: main.data,
    accounts: simAccounts,
    clock,
    expected: (q) => expectedFor(main, q),
    requests,
    count(filter = {}) {
      return requests.filter(
        (r) =>
          (filter.path === undefined || r.path === filter.path) &&
          (filter.method === undefined || r.method === filter.method) &&
          (filter.status === undefined || r.status === filter.status) &&
          (filter.query === undefined || Object.entries(filter.query).every(([k, v]) => r.query[k] === v)),
      ).length;
    },
    resetLog() {
      requests.length = 0;
    },
    crossAccountAttempts: () => crossAttempts.map((x) => ({ ...x })),
    script(...faults) {
      faultQueue.push(...faults);
    },
    setFaultRate(p, kinds, o = {}) {
      faultRate = p;
      faultKinds = [...kinds];
      faultOpts = { ...o };
    },
    revokeToken(token) {
      revoked.add(token);
    },
    expireAccessTokens() {
      for (const info of tokens.values()) if (info.expiresAt !== undefined) info.expiresAt = -Infinity;
    },
    issuedTokens: () => issued,
    setRps(n) {
      rps = n;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sim;
}

/** The dates of the oldest and newest entries (UTC), or undefined for an empty data set. */
export function dataRange(data: readonly SimEntry[]): { from: string; to: string } | undefined {
  if (!data.length) return undefined;
  return { from: data[data.length - 1].time.slice(0, 10), to: data[0].time.slice(0, 10) };
}
