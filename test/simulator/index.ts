/**
 * Zoom API simulator: a real HTTP server on 127.0.0.1 (plain node:http) that imitates
 * `GET /v2/report/operationlogs` and Server-to-Server OAuth (`POST /oauth/token`), following
 * /work/shared/notes/zoom-operation-logs-api.md. Used by unit tests, the demo and benchmarks.
 *
 * Decisions where Zoom's behaviour is unknown (clients must not depend on them):
 *
 * Report endpoint, checks in this order:
 *  1. A pending fault (script() first, else setFaultRate()) is taken when the request arrives.
 *     Faults other than `latency` / `repeat-token` answer immediately, before auth and rate limits,
 *     and do not count toward the QPS window or daily cap.
 *  2. Auth: missing / unknown / revoked bearer -> 401 {"code":124,"message":"Invalid access token."};
 *     expired OAuth token -> 401 {"code":124,"message":"Access token is expired."};
 *     the special token `no-scope-token` -> 400 {"code":4700,"message":"Invalid access token, does not contain scopes."}.
 *  3. Daily cap (per UTC day of the sim clock): 429, X-RateLimit-Type: Daily-limit, Retry-After = next UTC midnight (HTTP-date).
 *  4. QPS: sliding one-second window of real time over admitted requests; 429 with X-RateLimit-Category: Heavy,
 *     X-RateLimit-Type: QPS, X-RateLimit-Limit, X-RateLimit-Remaining: 0, Retry-After: 1.
 *     Rejected (429) requests are not counted toward either limit.
 *  5. Validation, 400 {"code":300,"message":"Validation Failed.","errors":[{"field","message"}]} for a missing or
 *     invalid from / to / category_type / page_size (page_size must be a positive integer; > 300 is clamped to 300).
 *     from > to -> 400 {"code":300,"message":"The from date must not be after the to date."};
 *     to > from + 1 calendar month (day clamped: 01-31 + 1 month = 02-28/29) ->
 *     400 {"code":300,"message":"The date range must not exceed one month."};
 *     from before today (UTC, sim clock) minus 6 calendar months -> HTTP 300, empty body, Content-Type text/plain.
 *  6. next_page_token (empty = first page): bound to (from, to, category_type, effective page_size);
 *     unknown, older than 15 min (sim clock) or other query -> 400 {"code":300,"message":"The next page token is invalid or expired."}.
 *     Reusing a token within 15 min returns the same page again (with a fresh next token).
 *
 * Fault bodies: 500 {"code":500,"message":"Internal server error."} JSON; 502 {"code":502,"message":"Bad gateway."} JSON;
 * 503 and `html` (502) are text/html pages; `429` is a QPS 429 whose Retry-After appears only if the fault gives one;
 * `reset` destroys the socket (logged with status 0); `truncated` is 200 JSON cut in half (Content-Length matches the cut
 * body); `latency` waits latencyMs (default 1000) then answers normally; `repeat-token` answers normally but echoes the
 * request's next_page_token (a first-page request gets a normal token); `garbage` is 200 application/json with fault.body
 * (default `this is not JSON`).
 *
 * OAuth (`POST /oauth/token`, parameters in the query string or an x-www-form-urlencoded body); errors carry
 * {code, message, reason, error}:
 *  - grant_type missing or not account_credentials -> 400 code 4705 error unsupported_grant_type
 *  - Authorization missing / not Basic / malformed  -> 400 code 4706 error invalid_client ("Missing credentials")
 *  - unknown client_id                              -> 401 code 4702 error invalid_client
 *  - wrong client_secret                            -> 401 code 4704 error invalid_client
 *  - account_id missing                             -> 400 code 4706 error invalid_request
 *  - account_id wrong                               -> 400 code 4711 error invalid_request ("Invalid account_id.")
 *  Success: {access_token, token_type:"bearer", expires_in, scope:"report:read:admin", api_url}.
 *
 * Anything else -> 404 {"code":404,"message":"Not found."}. latencyMs applies to report and OAuth responses.
 * Request log paths are URL pathnames (e.g. `/v2/report/operationlogs`, `/oauth/token`).
 */
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CATEGORY_DISPLAY, generateEntries, mulberry32 } from './data';
import type { SimEntry } from './data';
import { addMonthsUtc, parseYmd, sixMonthsHorizon, startOfUtcDay } from './dates';

export type { SimEntry } from './data';

export type FaultKind =
  '500' | '502' | '503' | '429' | 'reset' | 'truncated' | 'html' | 'latency' | 'repeat-token' | 'garbage';
export const FAULT_KINDS: readonly FaultKind[] = [
  '500',
  '502',
  '503',
  '429',
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
}

export interface Simulator {
  readonly apiBaseUrl: string;
  readonly oauthBaseUrl: string;
  readonly token: string;
  readonly s2s: { accountId: string; clientId: string; clientSecret: string };
  readonly data: readonly SimEntry[];
  readonly clock: { now(): number; advance(ms: number): void };
  expected(q: { from: string; to: string; category?: string }): SimEntry[];
  readonly requests: RequestRecord[];
  count(filter?: { path?: string; method?: string; status?: number; query?: Record<string, string> }): number;
  resetLog(): void;
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
export const NO_SCOPE_TOKEN = 'no-scope-token';
export const PAGE_TOKEN_TTL_MS = 15 * 60 * 1000;
export const MAX_PAGE_SIZE = 300;
export const DEFAULT_PAGE_SIZE = 30;
export const QUERY_CATEGORIES = ['all', ...Object.keys(CATEGORY_DISPLAY)];

export const MESSAGES = {
  invalidToken: 'Invalid access token.',
  expiredToken: 'Access token is expired.',
  noScope: 'Invalid access token, does not contain scopes.',
  badPageToken: 'The next page token is invalid or expired.',
  qps: 'You have reached the maximum per-second rate limit for this API. Try again later.',
  daily:
    'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.',
  validation: 'Validation Failed.',
  fromAfterTo: 'The from date must not be after the to date.',
  overMonth: 'The date range must not exceed one month.',
  sixMonths: 'Only provide report in recent 6 months',
} as const;

const JSON_TYPE = 'application/json;charset=UTF-8';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

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

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1;
  const initialNow = opts.now ?? Date.now();
  const realStart = Date.now();
  let offset = 0;
  const clock = {
    now: (): number => initialNow + (Date.now() - realStart) + offset,
    advance: (ms: number): void => {
      offset += ms;
    },
  };

  const data: SimEntry[] = opts.data
    ? opts.data
        .map((e, i) => ({ e, i }))
        .sort((a, b) => (a.e.time < b.e.time ? 1 : a.e.time > b.e.time ? -1 : a.i - b.i))
        .map((x) => x.e)
    : generateEntries({ seed, count: opts.entries ?? 2000, now: initialNow, hostile: opts.hostile });

  let rps = opts.rps ?? 10;
  let latencyMs = opts.latencyMs ?? 0;
  const dailyLimit = opts.dailyLimit ?? 30000;
  const tokenTtlSeconds = opts.tokenTtlSeconds ?? 3600;
  const order = opts.order ?? 'newest-first';

  const s2s = {
    accountId: 'SimAcct-7fQ2xK9LmN',
    clientId: 'SimClient8dJ3pQ',
    clientSecret: 'SimSecret4hT9vW2zR6yB1nM5cX8aE0',
  };
  const revoked = new Set<string>();
  const oauthTokens = new Map<string, number>(); // token -> expiresAt (sim clock)
  let issued = 0;
  const pageTokens = new Map<string, PageTokenState>();
  const requests: RequestRecord[] = [];
  const faultQueue: Fault[] = [];
  let faultRate = 0;
  let faultKinds: FaultKind[] = [];
  let faultOpts: { retryAfter?: string; latencyMs?: number; body?: string } = {};
  const faultRng = mulberry32(seed ^ 0xfa017);
  const qpsWindow: number[] = []; // real-time ms of admitted report requests
  let dailyDay = -1;
  let dailyCount = 0;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  function filtered(from: string, to: string, category: string): SimEntry[] {
    const lo = `${from}T00:00:00Z`;
    const hi = `${to}T23:59:59Z`;
    return data.filter(
      (e) => e.time >= lo && e.time <= hi && (category === 'all' || displayToQuery(e.category_type) === category),
    );
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

  function handleReport(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: RequestRecord,
    url: URL,
    fault: Fault | undefined,
  ): void {
    // Auth
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    const bearer = m ? m[1].trim() : '';
    const now = clock.now();
    if (bearer === NO_SCOPE_TOKEN) return sendJson(res, rec, 400, { code: 4700, message: MESSAGES.noScope });
    if (!bearer || revoked.has(bearer) || (bearer !== DEMO_TOKEN && !oauthTokens.has(bearer))) {
      return sendJson(res, rec, 401, { code: 124, message: MESSAGES.invalidToken });
    }
    const exp = oauthTokens.get(bearer);
    if (exp !== undefined && now >= exp) return sendJson(res, rec, 401, { code: 124, message: MESSAGES.expiredToken });

    // Daily cap
    const day = startOfUtcDay(now);
    if (day !== dailyDay) {
      dailyDay = day;
      dailyCount = 0;
    }
    if (dailyLimit > 0 && dailyCount >= dailyLimit) {
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
          'Retry-After': new Date(day + 86_400_000).toUTCString(),
        },
      );
    }
    // QPS
    if (rps > 0) {
      const realNow = Date.now();
      while (qpsWindow.length && qpsWindow[0] <= realNow - 1000) qpsWindow.shift();
      if (qpsWindow.length >= rps) {
        return sendJson(res, rec, 429, { code: 429, message: MESSAGES.qps }, qps429Headers('1'));
      }
      qpsWindow.push(realNow);
    }
    dailyCount++;

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
    if ((fromMs as number) < sixMonthsHorizon(now)) return send(res, rec, 300, '', {}, 'text/plain');

    // Paging
    const key = `${f}|${t}|${category}|${pageSize}`;
    const sentToken = q.get('next_page_token') ?? '';
    let start = 0;
    if (sentToken) {
      const st = pageTokens.get(sentToken);
      if (!st || st.key !== key || now >= st.issuedAt + PAGE_TOKEN_TTL_MS) {
        return sendJson(res, rec, 400, { code: 300, message: MESSAGES.badPageToken });
      }
      start = st.offset;
    }
    const all = filtered(f, t, category);
    const page = all.slice(start, start + pageSize);
    if (order === 'jittered') {
      const r = mulberry32((seed * 31 + start) ^ key.length);
      for (let i = 0; i + 1 < page.length; i++) {
        if (r() < 0.25) {
          [page[i], page[i + 1]] = [page[i + 1], page[i]];
          i++;
        }
      }
    }
    let next = '';
    if (start + pageSize < all.length) {
      if (pageTokens.size > 10000) {
        for (const [k, v] of pageTokens) if (now >= v.issuedAt + PAGE_TOKEN_TTL_MS) pageTokens.delete(k);
      }
      next = randomToken(32);
      pageTokens.set(next, { key, offset: start + pageSize, issuedAt: now });
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
    send(res, rec, 200, body);
  }

  function handleToken(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: RequestRecord,
    url: URL,
    rawBody: string,
  ): void {
    const params = new URLSearchParams(url.search);
    if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(rawBody)) if (!params.has(k)) params.set(k, v);
    }
    const err = (status: number, code: number, error: string, reason: string): void =>
      sendJson(res, rec, status, { code, message: reason, reason, error });
    if (params.get('grant_type') !== 'account_credentials') {
      return err(400, 4705, 'unsupported_grant_type', 'Unsupported grant type');
    }
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec((req.headers.authorization ?? '').trim());
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (!m || colon <= 0) {
      return err(
        400,
        4706,
        'invalid_client',
        'Missing credentials: Authorization: Basic base64(client_id:client_secret) is required',
      );
    }
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (id !== s2s.clientId) return err(401, 4702, 'invalid_client', 'Invalid client_id or client_secret');
    if (secret !== s2s.clientSecret) return err(401, 4704, 'invalid_client', 'Invalid client_id or client_secret');
    const account = params.get('account_id');
    if (!account) return err(400, 4706, 'invalid_request', 'Missing account_id');
    if (account !== s2s.accountId) return err(400, 4711, 'invalid_request', 'Invalid request : Invalid account_id.');
    const access = 'eyJzaW0iOiJ0b2tlbiJ9.' + randomToken(64);
    oauthTokens.set(access, clock.now() + tokenTtlSeconds * 1000);
    issued++;
    sendJson(res, rec, 200, {
      access_token: access,
      token_type: 'bearer',
      expires_in: tokenTtlSeconds,
      scope: 'report:read:admin',
      api_url: origin,
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authHeader = (req.headers.authorization ?? '').trim().toLowerCase();
    const rec: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      at: clock.now(),
      realAt: Date.now(),
      auth: authHeader.startsWith('bearer') ? 'bearer' : authHeader.startsWith('basic') ? 'basic' : 'none',
    };
    requests.push(rec);
    const isReport = url.pathname === REPORT_PATH && rec.method === 'GET';
    const isToken = url.pathname === TOKEN_PATH && rec.method === 'POST';
    const fault = isReport ? nextFault() : undefined;

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');

    if (!isReport && !isToken) return sendJson(res, rec, 404, { code: 404, message: 'Not found.' });
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
    if (isToken) return handleToken(req, res, rec, url, rawBody);
    return handleReport(req, res, rec, url, fault);
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

  const sim: Simulator = {
    apiBaseUrl: `${origin}/v2`,
    oauthBaseUrl: origin,
    token: DEMO_TOKEN,
    s2s,
    data,
    clock,
    expected(q) {
      const category = q.category ?? 'all';
      if (!QUERY_CATEGORIES.includes(category)) throw new Error(`unknown category ${category}`);
      if (parseYmd(q.from) === undefined || parseYmd(q.to) === undefined) throw new Error('from/to must be yyyy-mm-dd');
      return filtered(q.from, q.to, category);
    },
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
      for (const k of oauthTokens.keys()) oauthTokens.set(k, -Infinity);
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
