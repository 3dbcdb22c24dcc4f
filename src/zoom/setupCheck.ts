import type { AccessToken, Credentials, TokenSource } from './auth';
import type { ZoomClient } from './client';
import { toZoomError, type ZoomError } from './errors';
import type { Page, RateLimitHeaders } from './types';

/** The scopes that let an app read the operation-logs report. */
export const REPORT_SCOPES = ['report:read:admin', 'report:read:operation_logs:admin'] as const;

export type SetupLineId = 'credentials' | 'token' | 'scope' | 'request' | 'endpoint' | 'rateLimit';

/** One line of the report: passed, failed, skipped (an earlier line failed) or information only. */
export interface SetupLine {
  readonly id: SetupLineId;
  readonly status: 'pass' | 'fail' | 'skip' | 'info';
  /** What was checked, e.g. "Zoom gives an OAuth token". */
  readonly title: string;
  /** What was found. */
  readonly detail: string;
  /** What to do, when something failed. */
  readonly fix?: string;
}

export interface SetupReport {
  readonly lines: SetupLine[];
  /** Requests sent to Zoom (OAuth and report), at most 2. */
  readonly requests: number;
  readonly ok: boolean;
}

export interface SetupCheckOptions {
  readonly credentials: Credentials | undefined;
  /** A fresh token source for the credentials (no cached token: the check asks Zoom). */
  readonly tokenSource: (c: Credentials) => TokenSource;
  /** A client for one request: one attempt, no replay after a 401. */
  readonly client: (c: Credentials, tokens: TokenSource) => ZoomClient;
  /** The API base URL setting when it differs from Zoom's default. */
  readonly apiBaseOverride?: string;
  readonly maxRequestsPerSecond: number;
  /** Today's UTC date (yyyy-mm-dd). */
  readonly today: string;
  readonly signal?: AbortSignal;
}

const PLAN_RATES: readonly [number, string][] = [
  [1, 'Free'],
  [10, 'Pro'],
  [40, 'Business and up'],
];

/**
 * Checks, in order, what usually stops an admin on the first day: stored credentials, the
 * OAuth token, the scope, one tiny report request (plan, role, rate limit, network), the
 * address and data centre in use, and the rate limit Zoom reports. At most two requests:
 * the OAuth token (Server-to-Server only) and one one-entry report page for today.
 * Never throws; each line says what to do.
 */
export async function checkSetup(opts: SetupCheckOptions): Promise<SetupReport> {
  const lines: SetupLine[] = [];
  let requests = 0;
  const add = (line: SetupLine): void => void lines.push(line);
  const skipRest = (ids: SetupLineId[], why: string): void => {
    for (const id of ids) add({ id, status: 'skip', title: TITLES[id], detail: why });
  };

  const c = opts.credentials;
  if (!c) {
    add({
      id: 'credentials',
      status: 'fail',
      title: TITLES.credentials,
      detail: 'No Zoom credentials are stored in VS Code.',
      fix: 'Run "Zoom: Sign In with Server-to-Server OAuth" (or "Zoom: Set Access Token").',
    });
    skipRest(['token', 'scope', 'request', 'endpoint', 'rateLimit'], 'Not checked: no credentials.');
    return { lines, requests, ok: false };
  }
  add({
    id: 'credentials',
    status: 'pass',
    title: TITLES.credentials,
    detail:
      c.kind === 's2s'
        ? 'Server-to-Server OAuth app credentials (account ID, client ID, client secret) are stored.'
        : 'An access token is stored.',
  });

  const tokens = opts.tokenSource(c);
  let access: AccessToken;
  try {
    if (c.kind === 's2s') requests++;
    access = await tokens.get(opts.signal);
  } catch (e) {
    const err = toZoomError(e);
    add({ id: 'token', status: 'fail', title: TITLES.token, detail: err.message, fix: tokenFix(err) });
    skipRest(['scope', 'request', 'endpoint', 'rateLimit'], 'Not checked: no token.');
    return { lines, requests, ok: false };
  }
  add({
    id: 'token',
    status: c.kind === 's2s' ? 'pass' : 'info',
    title: TITLES.token,
    detail:
      c.kind === 's2s'
        ? 'Zoom issued an access token for the stored credentials.'
        : 'A fixed access token is used; Zoom checks it with the next request.',
  });

  // The scope, from the token response when Zoom sent one; otherwise from the request below.
  let scopeKnown = false;
  if (access.scope !== undefined) {
    scopeKnown = true;
    const granted = access.scope.split(/[\s,]+/).filter(Boolean);
    const has = REPORT_SCOPES.find((s) => granted.includes(s));
    if (has) add({ id: 'scope', status: 'pass', title: TITLES.scope, detail: `The token carries ${has}.` });
    else {
      add({
        id: 'scope',
        status: 'fail',
        title: TITLES.scope,
        detail: `The token carries neither ${REPORT_SCOPES.join(' nor ')}.`,
        fix: SCOPE_FIX,
      });
    }
  }

  const client = opts.client(c, tokens);
  let page: Page | undefined;
  let failure: ZoomError | undefined;
  try {
    requests++;
    page = await client.fetchPage({ from: opts.today, to: opts.today, categoryType: 'all', pageSize: 1 }, opts.signal);
  } catch (e) {
    failure = toZoomError(e);
  }
  if (!scopeKnown) {
    if (failure?.missingScope) {
      add({ id: 'scope', status: 'fail', title: TITLES.scope, detail: failure.message, fix: SCOPE_FIX });
    } else if (page || failure?.kind === 'permission') {
      // Zoom checks the scope before the plan and role, so a permission refusal means the scope is there.
      add({ id: 'scope', status: 'pass', title: TITLES.scope, detail: 'Zoom accepted the token for the report.' });
    } else {
      add({ id: 'scope', status: 'skip', title: TITLES.scope, detail: 'Not known: the request below failed first.' });
    }
  }
  if (page) {
    add({
      id: 'request',
      status: 'pass',
      title: TITLES.request,
      detail: `Zoom answered the report for ${opts.today} (${page.entries.length} of at most 1 entry).`,
    });
  } else if (failure) {
    add({ id: 'request', status: 'fail', title: TITLES.request, ...requestFailure(failure) });
  }

  const base = client.baseUrlFor(access);
  const dataCentre = dataCentreOf(access.apiUrlHost ?? base.host);
  add({
    id: 'endpoint',
    status: 'info',
    title: TITLES.endpoint,
    detail:
      `Requests go to ${base.origin}${base.pathname.replace(/\/$/, '')}` +
      (opts.apiBaseOverride ? ' (the API base URL setting)' : access.apiBaseUrl ? " (the token's api_url)" : '') +
      `. Data centre: ${dataCentre}` +
      (access.apiUrlHost && !access.apiBaseUrl ? ` (Zoom named ${access.apiUrlHost}; not used)` : '') +
      '.',
  });

  add(rateLimitLine(page?.rateLimit ?? rateLimitFromFailure(failure), opts.maxRequestsPerSecond));
  const ok = lines.every((l) => l.status !== 'fail');
  return { lines, requests, ok };
}

const TITLES: Record<SetupLineId, string> = {
  credentials: 'Credentials are stored',
  token: 'Zoom gives an access token',
  scope: 'The token may read the operation-logs report',
  request: 'A one-day, one-entry report request succeeds',
  endpoint: 'API address and data centre',
  rateLimit: 'Rate limit',
};

const SCOPE_FIX =
  "In the Zoom App Marketplace, open the app's Scopes page, add report:read:admin (or the granular report:read:operation_logs:admin), then sign in again.";

function tokenFix(err: ZoomError): string {
  switch (err.kind) {
    case 'oauth':
      return 'Copy the values again from the app\'s App Credentials page and run "Zoom: Sign In with Server-to-Server OAuth".';
    case 'network':
    case 'timeout':
      return 'Check the network connection and the OAuth base URL setting, then run the check again.';
    case 'config':
      return 'Check the OAuth base URL setting (zoomOperationLogs.oauthBaseUrl).';
    default:
      return 'Run the check again; if it keeps failing, open "Zoom: Show Log".';
  }
}

function requestFailure(err: ZoomError): { detail: string; fix: string } {
  if (err.missingScope) return { detail: err.message, fix: SCOPE_FIX };
  switch (err.kind) {
    case 'permission':
      return {
        detail: `Plan or role permission: ${err.message}`,
        fix: "Use an account on a Pro plan or higher, and give the app's owner a role with the permission to view Admin Activity Logs.",
      };
    case 'auth':
      return { detail: `Token: ${err.message}`, fix: 'Sign in again; the token was refused.' };
    case 'rateLimit':
    case 'dailyLimit':
      return {
        detail: `Rate limit: ${err.message}`,
        fix: 'Wait and run the check again; other apps on the account share the limit.',
      };
    case 'network':
    case 'timeout':
      return {
        detail: `Network: ${err.message}`,
        fix: 'Check the network connection, a proxy, and the API base URL setting.',
      };
    case 'config':
    case 'notFound':
      return { detail: err.message, fix: 'Check the API base URL setting (zoomOperationLogs.apiBaseUrl).' };
    default:
      return { detail: err.message, fix: 'Run the check again; if it keeps failing, open "Zoom: Show Log".' };
  }
}

/** `api.zoom.us` -> global; `eu01api.zoom.us` -> EU01; ZoomGov; anything else as it is. */
export function dataCentreOf(host: string): string {
  const h = host.toLowerCase();
  if (h === 'api.zoom.us') return 'global (api.zoom.us)';
  const regional = /^([a-z]{2}\d{2})api\.zoom\.us$/.exec(h);
  if (regional) return `${regional[1].toUpperCase()} (${h})`;
  if (h.endsWith('zoomgov.com')) return `ZoomGov (${h})`;
  return h;
}

function rateLimitFromFailure(err: ZoomError | undefined): RateLimitHeaders | undefined {
  return err?.kind === 'rateLimit' || err?.kind === 'dailyLimit'
    ? { type: err.kind === 'dailyLimit' ? 'Daily-limit' : 'QPS' }
    : undefined;
}

function rateLimitLine(info: RateLimitHeaders | undefined, setting: number): SetupLine {
  const plan = PLAN_RATES.find(([rate]) => rate === setting)?.[1];
  const yours = `Your setting: ${setting} request${setting === 1 ? '' : 's'} per second${plan ? ` (${plan} plan)` : ''}.`;
  if (!info || (info.limit === undefined && info.remaining === undefined)) {
    return {
      id: 'rateLimit',
      status: 'info',
      title: TITLES.rateLimit,
      detail: `Zoom sent no rate-limit figures. ${yours} Zoom allows 1 (Free), 10 (Pro) or 40 (Business and up) per second for this report, shared by every app on the account.`,
    };
  }
  const kind = info.type ?? 'unknown type';
  const figures = `Zoom reports: ${info.category ? `${info.category}, ` : ''}${kind}${info.limit !== undefined ? `, limit ${info.limit}` : ''}${info.remaining !== undefined ? `, ${info.remaining} left` : ''}.`;
  if (/qps/i.test(kind) && info.limit !== undefined && setting > info.limit) {
    return {
      id: 'rateLimit',
      status: 'fail',
      title: TITLES.rateLimit,
      detail: `${figures} ${yours}`,
      fix: `Lower "zoomOperationLogs.maxRequestsPerSecond" to ${info.limit}.`,
    };
  }
  if (info.remaining === 0) {
    return {
      id: 'rateLimit',
      status: 'fail',
      title: TITLES.rateLimit,
      detail: `${figures} ${yours}`,
      fix: 'Nothing is left of the limit Zoom reports; wait until it resets.',
    };
  }
  return { id: 'rateLimit', status: 'pass', title: TITLES.rateLimit, detail: `${figures} ${yours}` };
}

/** The report as plain text lines (✓ ✗ – i), for the log and for tests. */
export function formatSetupReport(report: SetupReport): string {
  const mark = { pass: '✓', fail: '✗', skip: '–', info: 'i' } as const;
  const out = report.lines.map((l) => `${mark[l.status]} ${l.title}: ${l.detail}${l.fix ? `\n    Fix: ${l.fix}` : ''}`);
  out.push(`${report.requests} request${report.requests === 1 ? '' : 's'} sent to Zoom.`);
  return out.join('\n');
}
