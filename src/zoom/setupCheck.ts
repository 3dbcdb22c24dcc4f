import type { AccessToken, Credentials, TokenSource } from './auth';
import type { ZoomClient } from './client';
import { toZoomError, type ZoomError } from './errors';
import type { Page, RateLimitHeaders } from './types';
import { l10n } from '../l10n';

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

/**
 * Zoom's plan for a rate limit it allows for this report, when the rate is one of them.
 * @userFacing
 */
function planOf(rate: number): string | undefined {
  switch (rate) {
    case 1:
      return l10n.t('Free');
    case 10:
      return l10n.t('Pro');
    case 40:
      return l10n.t('Business and up');
    default:
      return undefined;
  }
}

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
    for (const id of ids) add({ id, status: 'skip', title: titleOf(id), detail: why });
  };

  const c = opts.credentials;
  if (!c) {
    add({
      id: 'credentials',
      status: 'fail',
      title: titleOf('credentials'),
      detail: l10n.t('No Zoom credentials are stored in VS Code.'),
      fix: l10n.t('Run "Zoom: Sign In with Server-to-Server OAuth" (or "Zoom: Set Access Token").'),
    });
    skipRest(['token', 'scope', 'request', 'endpoint', 'rateLimit'], l10n.t('Not checked: no credentials.'));
    return { lines, requests, ok: false };
  }
  add({
    id: 'credentials',
    status: 'pass',
    title: titleOf('credentials'),
    detail:
      c.kind === 's2s'
        ? l10n.t('Server-to-Server OAuth app credentials (account ID, client ID, client secret) are stored.')
        : l10n.t('An access token is stored.'),
  });

  const tokens = opts.tokenSource(c);
  let access: AccessToken;
  try {
    if (c.kind === 's2s') requests++;
    access = await tokens.get(opts.signal);
  } catch (e) {
    const err = toZoomError(e);
    add({ id: 'token', status: 'fail', title: titleOf('token'), detail: err.message, fix: tokenFix(err) });
    skipRest(['scope', 'request', 'endpoint', 'rateLimit'], l10n.t('Not checked: no token.'));
    return { lines, requests, ok: false };
  }
  add({
    id: 'token',
    status: c.kind === 's2s' ? 'pass' : 'info',
    title: titleOf('token'),
    detail:
      c.kind === 's2s'
        ? l10n.t('Zoom issued an access token for the stored credentials.')
        : l10n.t('A fixed access token is used; Zoom checks it with the next request.'),
  });

  // The scope, from the token response when Zoom sent one; otherwise from the request below.
  let scopeKnown = false;
  if (access.scope !== undefined) {
    scopeKnown = true;
    const granted = access.scope.split(/[\s,]+/).filter(Boolean);
    const has = REPORT_SCOPES.find((s) => granted.includes(s));
    if (has) {
      add({ id: 'scope', status: 'pass', title: titleOf('scope'), detail: l10n.t('The token carries {0}.', has) });
    } else {
      add({
        id: 'scope',
        status: 'fail',
        title: titleOf('scope'),
        detail: l10n.t('The token carries neither {0} nor {1}.', REPORT_SCOPES[0], REPORT_SCOPES[1]),
        fix: scopeFix(),
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
      add({ id: 'scope', status: 'fail', title: titleOf('scope'), detail: failure.message, fix: scopeFix() });
    } else if (page || failure?.kind === 'permission') {
      // Zoom checks the scope before the plan and role, so a permission refusal means the scope is there.
      const detail = l10n.t('Zoom accepted the token for the report.');
      add({ id: 'scope', status: 'pass', title: titleOf('scope'), detail });
    } else {
      const detail = l10n.t('Not known: the request below failed first.');
      add({ id: 'scope', status: 'skip', title: titleOf('scope'), detail });
    }
  }
  if (page) {
    add({
      id: 'request',
      status: 'pass',
      title: titleOf('request'),
      detail: l10n.t('Zoom answered the report for {0} ({1} of at most 1 entry).', opts.today, page.entries.length),
    });
  } else if (failure) {
    add({ id: 'request', status: 'fail', title: titleOf('request'), ...requestFailure(failure) });
  }

  const base = client.baseUrlFor(access);
  const dataCentre = dataCentreOf(access.apiUrlHost ?? base.host);
  add({
    id: 'endpoint',
    status: 'info',
    title: titleOf('endpoint'),
    detail: endpointDetail(
      `${base.origin}${base.pathname.replace(/\/$/, '')}`,
      opts.apiBaseOverride ? 'setting' : access.apiBaseUrl ? 'token' : 'default',
      dataCentre,
      access.apiUrlHost && !access.apiBaseUrl ? access.apiUrlHost : undefined,
    ),
  });

  // A refused request brings no figures: the request line already says which limit refused it.
  add(rateLimitLine(page?.rateLimit, opts.maxRequestsPerSecond));
  const ok = lines.every((l) => l.status !== 'fail');
  return { lines, requests, ok };
}

/**
 * What each line checks (made when the report is, so it is in the language of the moment).
 * @userFacing
 */
function titleOf(id: SetupLineId): string {
  switch (id) {
    case 'credentials':
      return l10n.t('Credentials are stored');
    case 'token':
      return l10n.t('Zoom gives an access token');
    case 'scope':
      return l10n.t('The token may read the operation-logs report');
    case 'request':
      return l10n.t('A one-day, one-entry report request succeeds');
    case 'endpoint':
      return l10n.t('API address and data centre');
    case 'rateLimit':
      return l10n.t('Rate limit');
  }
}

/** @userFacing */
function scopeFix(): string {
  return l10n.t(
    "In the Zoom App Marketplace, open the app's Scopes page, add report:read:admin (or the granular report:read:operation_logs:admin), then sign in again.",
  );
}

/**
 * Where requests go, why there, and the data centre.
 * @userFacing
 */
function endpointDetail(
  address: string,
  from: 'setting' | 'token' | 'default',
  dataCentre: string,
  unusedApiUrlHost: string | undefined,
): string {
  const where =
    from === 'setting'
      ? l10n.t('Requests go to {0} (the API base URL setting).', address)
      : from === 'token'
        ? l10n.t("Requests go to {0} (the token's api_url).", address)
        : l10n.t('Requests go to {0}.', address);
  const centre = unusedApiUrlHost
    ? l10n.t('Data centre: {0} (Zoom named {1}; not used).', dataCentre, unusedApiUrlHost)
    : l10n.t('Data centre: {0}.', dataCentre);
  return `${where} ${centre}`;
}

/** @userFacing */
function tokenFix(err: ZoomError): string {
  switch (err.kind) {
    case 'oauth':
      return l10n.t(
        'Copy the values again from the app\'s App Credentials page and run "Zoom: Sign In with Server-to-Server OAuth".',
      );
    case 'network':
    case 'timeout':
      return l10n.t('Check the network connection and the OAuth base URL setting, then run the check again.');
    case 'config':
      return l10n.t('Check the OAuth base URL setting (zoomOperationLogs.oauthBaseUrl).');
    case 'badResponse':
      return l10n.t(
        'Check the OAuth base URL setting (zoomOperationLogs.oauthBaseUrl): the answer did not read as Zoom\'s. If it is right, run the check again; "Zoom: Show Log" has the details.',
      );
    default:
      return l10n.t('Run the check again; if it keeps failing, open "Zoom: Show Log".');
  }
}

function requestFailure(err: ZoomError): { detail: string; fix: string } {
  if (err.missingScope) return { detail: err.message, fix: scopeFix() };
  switch (err.kind) {
    case 'permission':
      return {
        detail: l10n.t('Plan or role permission: {0}', err.message),
        fix: l10n.t(
          "Use an account on a Pro plan or higher, and give the app's owner a role with the permission to view Admin Activity Logs.",
        ),
      };
    case 'auth':
      return { detail: l10n.t('Token: {0}', err.message), fix: l10n.t('Sign in again; the token was refused.') };
    case 'rateLimit':
    case 'dailyLimit':
      return {
        detail: l10n.t('Rate limit: {0}', err.message),
        fix: l10n.t('Wait and run the check again; other apps on the account share the limit.'),
      };
    case 'network':
    case 'timeout':
      return {
        detail: l10n.t('Network: {0}', err.message),
        fix: l10n.t('Check the network connection, a proxy, and the API base URL setting.'),
      };
    case 'config':
    case 'notFound':
      return { detail: err.message, fix: l10n.t('Check the API base URL setting (zoomOperationLogs.apiBaseUrl).') };
    case 'badResponse':
      // Not HTTP, an unknown compression, or a body that is no report page: most often something else answers there.
      return {
        detail: err.message,
        fix: l10n.t(
          'Check the API base URL setting (zoomOperationLogs.apiBaseUrl): the answer did not read as Zoom\'s report. If it is right, run the check again; "Zoom: Show Log" has the details.',
        ),
      };
    default:
      return { detail: err.message, fix: l10n.t('Run the check again; if it keeps failing, open "Zoom: Show Log".') };
  }
}

/**
 * `api.zoom.us` -> global; `eu01api.zoom.us` -> EU01; ZoomGov; anything else as it is.
 * @userFacing
 */
export function dataCentreOf(host: string): string {
  const h = host.toLowerCase();
  if (h === 'api.zoom.us') return l10n.t('global (api.zoom.us)');
  const regional = /^([a-z]{2}\d{2})api\.zoom\.us$/.exec(h);
  if (regional) return `${regional[1].toUpperCase()} (${h})`;
  if (h.endsWith('zoomgov.com')) return `ZoomGov (${h})`; // l10n-ignore: a product name and a host
  return h;
}

function rateLimitLine(info: RateLimitHeaders | undefined, setting: number): SetupLine {
  const plan = planOf(setting);
  const rate = setting === 1 ? l10n.t('1 request per second') : l10n.t('{0} requests per second', setting);
  const yours = plan ? l10n.t('Your setting: {0} ({1} plan).', rate, plan) : l10n.t('Your setting: {0}.', rate);
  const title = titleOf('rateLimit');
  if (!info || (info.limit === undefined && info.remaining === undefined)) {
    return {
      id: 'rateLimit',
      status: 'info',
      title,
      detail: l10n.t(
        'Zoom sent no rate-limit figures. {0} Zoom allows 1 (Free), 10 (Pro) or 40 (Business and up) per second for this report, shared by every app on the account.',
        yours,
      ),
    };
  }
  const kind = info.type ?? l10n.t('unknown type');
  const parts = [
    ...(info.category ? [info.category] : []),
    kind,
    ...(info.limit !== undefined ? [l10n.t('limit {0}', info.limit)] : []),
    ...(info.remaining !== undefined ? [l10n.t('{0} left', info.remaining)] : []),
  ];
  const figures = l10n.t('Zoom reports: {0}.', parts.join(', '));
  if (/qps/i.test(kind) && info.limit !== undefined && setting > info.limit) {
    return {
      id: 'rateLimit',
      status: 'fail',
      title,
      detail: `${figures} ${yours}`,
      fix: l10n.t('Lower "zoomOperationLogs.maxRequestsPerSecond" to {0}.', info.limit),
    };
  }
  if (info.remaining === 0) {
    return {
      id: 'rateLimit',
      status: 'fail',
      title,
      detail: `${figures} ${yours}`,
      fix: l10n.t('Nothing is left of the limit Zoom reports; wait until it resets.'),
    };
  }
  return { id: 'rateLimit', status: 'pass', title, detail: `${figures} ${yours}` };
}

/** The report as plain text lines (✓ ✗ – i), for the log and for tests. */
export function formatSetupReport(report: SetupReport): string {
  const mark = { pass: '✓', fail: '✗', skip: '–', info: 'i' } as const;
  const out = report.lines.map((l) => `${mark[l.status]} ${l.title}: ${l.detail}${l.fix ? `\n    Fix: ${l.fix}` : ''}`);
  out.push(`${report.requests} request${report.requests === 1 ? '' : 's'} sent to Zoom.`);
  return out.join('\n');
}
