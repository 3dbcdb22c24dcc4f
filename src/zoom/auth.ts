import { cancelled, ZoomError } from './errors';
import { checkBaseUrl, parseJson, send, zoomErrorBody } from './http';
import type { ZoomLogger } from './logger';
import { redactQuery } from './logger';
import { realClock, type Clock } from './rateLimiter';
import { withRetries, type RetryPolicy } from './retrying';
import { l10n } from '../l10n';

export type Credentials =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 's2s'; readonly accountId: string; readonly clientId: string; readonly clientSecret: string };

export interface AccessToken {
  readonly token: string;
  /** API base from the token response (`api_url` + `/v2`), when Zoom sent a usable one. */
  readonly apiBaseUrl?: string;
  /** The token response's `scope` (space-separated), when Zoom sent one (Server-to-Server OAuth only). */
  readonly scope?: string;
  /** The host of the token response's `api_url` as sent (used or not), for showing the data centre. */
  readonly apiUrlHost?: string;
}

/** Where the client gets its bearer token. */
export interface TokenSource {
  readonly kind: Credentials['kind'];
  get(signal?: AbortSignal): Promise<AccessToken>;
  /**
   * Zoom answered 401 to `token`. Returns true when asking again may give a
   * different token (Server-to-Server OAuth), false for a static token.
   */
  invalidate(token: string): boolean;
}

/**
 * The longest access token sent. Zoom's are JWTs of about a thousand characters; servers refuse request headers
 * of more than about 8 KB (HTTP 431), so a longer "token" is something else pasted or sent by mistake.
 */
export const MAX_TOKEN_LENGTH = 8192;

/**
 * Why `token` cannot be sent as a bearer token, or undefined when it can. HTTP headers hold visible ASCII only:
 * a space or line break (two pieces pasted), `…` (a token copied from a page that shortened it) or any other
 * character would make every request fail before it leaves; and one over MAX_TOKEN_LENGTH would be refused by
 * Zoom as too large. The token itself is never part of the answer.
 * @userFacing
 */
export function tokenProblem(token: string): string | undefined {
  const bad = /[^\x21-\x7e]/u.exec(token);
  if (!bad) {
    if (token.length <= MAX_TOKEN_LENGTH) return undefined;
    return l10n.t(
      "The access token is {0} characters long; Zoom's are about a thousand, and a request cannot carry more than {1}. Copy the token alone and set it again.",
      token.length.toLocaleString('en-US'),
      MAX_TOKEN_LENGTH.toLocaleString('en-US'),
    );
  }
  const c = bad[0];
  if (c === '\u2026') {
    return l10n.t('The access token holds "…": it was copied shortened. Copy the whole token and set it again.');
  }
  if (/\s/.test(c)) {
    return l10n.t('The access token holds a space or a line break. Paste it again as one piece.');
  }
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return l10n.t(
    'The access token holds a character a token cannot have ({0}). Copy the whole token and set it again.',
    code,
  );
}

/** A pasted token without surrounding blanks and without a leading `Bearer ` (copied with its header). */
export function cleanToken(pasted: string): string {
  return pasted.trim().replace(/^bearer\s+/i, '');
}

export class StaticTokenSource implements TokenSource {
  readonly kind = 'token';
  constructor(private readonly token: string) {}
  /** Rejects (kind `auth`, no request sent) a token that cannot go into a header; see tokenProblem. */
  get(): Promise<AccessToken> {
    const problem = tokenProblem(this.token);
    if (problem) {
      return Promise.reject(new ZoomError('auth', `${problem} ${l10n.t('Use "Zoom: Set Access Token".')}`));
    }
    return Promise.resolve({ token: this.token });
  }
  invalidate(): boolean {
    return false;
  }
}

export interface S2SOptions {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://zoom.us (token URL = base + /oauth/token). */
  oauthBaseUrl: string;
  timeoutMs?: number;
  /** Refresh this long before expiry (default 60 s; never more than half the token's lifetime). */
  refreshMarginMs?: number;
  retry: RetryPolicy;
  logger: ZoomLogger;
  clock?: Clock;
}

interface CachedToken extends AccessToken {
  readonly expiresAt: number;
  /** When a new token is asked for: min(margin, half the lifetime) before expiry. */
  readonly refreshAt: number;
}

/** Hosts an `api_url` may name: Zoom's own and ZoomGov's. */
const ZOOM_API_HOST = /(^|\.)(zoom\.us|zoomgov\.com)$/i;

/**
 * Server-to-Server OAuth (`grant_type=account_credentials`). The token is
 * fetched single-flight (concurrent callers share one request) and reused until
 * 60 s (at most half its lifetime) before it expires. There is no refresh token:
 * on expiry we ask again.
 */
export class ServerToServerTokenSource implements TokenSource {
  readonly kind = 's2s';
  private cached?: CachedToken;
  private inflight?: Promise<CachedToken>;
  private readonly clock: Clock;

  constructor(private readonly opts: S2SOptions) {
    this.clock = opts.clock ?? realClock;
  }

  async get(signal?: AbortSignal): Promise<AccessToken> {
    const c = this.cached;
    if (c && c.refreshAt > this.clock.now()) return c;
    if (!this.inflight) {
      // Not tied to one caller's signal: others may be waiting on the same request.
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined;
      });
    }
    return abortable(this.inflight, signal);
  }

  invalidate(token: string): boolean {
    if (this.cached?.token === token) this.cached = undefined;
    return true;
  }

  private async fetchToken(): Promise<CachedToken> {
    const base = checkBaseUrl(this.opts.oauthBaseUrl, l10n.t('The OAuth base URL'));
    const url = new URL('oauth/token', base.href.endsWith('/') ? base.href : `${base.href}/`);
    // OAuth 2.0 wants the form body; Zoom's examples use the query string. Both, as Zoom accepts either.
    url.searchParams.set('grant_type', 'account_credentials');
    url.searchParams.set('account_id', this.opts.accountId);
    const form = new URLSearchParams({ grant_type: 'account_credentials', account_id: this.opts.accountId }).toString();
    const basic = Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`, 'utf8').toString('base64');
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    const query = redactQuery(url.searchParams);
    return withRetries<CachedToken>(
      this.opts.retry,
      async (attempt) => {
        const started = this.clock.now();
        let status = 0;
        // One summary line per attempt, whatever it ended with (no token, secret or account ID in it).
        const logAttempt = (outcome: string): void =>
          this.opts.logger.request({
            method: 'POST',
            path: url.pathname,
            query,
            status,
            ms: this.clock.now() - started,
            attempt,
            outcome,
          });
        try {
          const res = await send(url, {
            method: 'POST',
            headers: {
              Authorization: `Basic ${basic}`,
              Accept: 'application/json',
              'Content-Type': 'application/x-www-form-urlencoded',
            },
            body: form,
            timeoutMs,
          });
          status = res.status;
          const body = parseJson(res.text);
          if (res.status >= 200 && res.status < 300) {
            const token = this.readToken(body);
            logAttempt('ok');
            this.cached = token;
            return { ok: token };
          }
          const err = oauthError(res.status, body);
          const retryable = res.status >= 500 || res.status === 429;
          logAttempt(retryable ? 'retrying' : err.kind);
          if (retryable) return { retry: err };
          throw err;
        } catch (e) {
          if (!(e instanceof ZoomError) || (e.kind !== 'network' && e.kind !== 'timeout')) throw e;
          logAttempt(e.kind);
          return { retry: e };
        }
      },
      (n, delay, e) => this.opts.logger.warn(`OAuth token request failed (${e.kind}); retry ${n} in ${delay} ms.`),
    );
  }

  private readToken(body: unknown): CachedToken {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (typeof b.access_token !== 'string' || !b.access_token) {
      throw new ZoomError(
        'badResponse',
        l10n.t('The Zoom OAuth server answered without an access token. Check the OAuth base URL setting.'),
      );
    }
    if (tokenProblem(b.access_token)) {
      throw new ZoomError(
        'badResponse',
        l10n.t(
          'The Zoom OAuth server answered with an access token that cannot be sent in a request (it holds a blank or a character outside ASCII, or is over {0} characters long). Check the OAuth base URL setting.',
          MAX_TOKEN_LENGTH.toLocaleString('en-US'),
        ),
      );
    }
    const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 3600;
    const lifetime = expiresIn * 1000;
    const margin = Math.min(this.opts.refreshMarginMs ?? 60_000, lifetime / 2);
    const now = this.clock.now();
    return {
      token: b.access_token,
      apiBaseUrl: this.apiBase(b.api_url),
      scope: typeof b.scope === 'string' ? b.scope.slice(0, 2000) : undefined,
      apiUrlHost: hostOf(b.api_url),
      expiresAt: now + lifetime,
      refreshAt: now + lifetime - margin,
    };
  }

  /** `{api_url}/v2` when api_url is https on a Zoom host; anything else is ignored (and logged without the token). */
  private apiBase(value: unknown): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    let url: URL | undefined;
    try {
      url = typeof value === 'string' ? new URL(value) : undefined;
    } catch {
      url = undefined;
    }
    if (url && url.protocol === 'https:' && !url.username && !url.password && ZOOM_API_HOST.test(url.hostname)) {
      return `${url.origin}/v2`;
    }
    const shown = url ? `${url.protocol}//${url.host}` : 'a value that is not a URL';
    this.opts.logger.warn(
      `Ignored the api_url in Zoom's token response (${shown}): only https addresses on zoom.us or zoomgov.com are used. Requests go to the API base URL setting's default.`,
    );
    return undefined;
  }
}

/**
 * Turns an OAuth error answer into a message that says which credential is wrong.
 * Zoom's OAuth server answers `{reason, error}` without a numeric code in practice:
 * the `error` field decides first, then the reason text, then Zoom's numeric codes.
 */
export function oauthError(status: number, body: unknown): ZoomError {
  const { code, message } = zoomErrorBody(body);
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const error = typeof b.error === 'string' ? b.error.trim().toLowerCase() : '';
  const reason = `${typeof b.reason === 'string' ? b.reason : ''} ${message ?? ''}`.toLowerCase();
  const details = { status, code, zoomMessage: message };
  const ref = code ?? status;
  const fix = (): string =>
    l10n.t(
      'Run "Zoom: Sign In with Server-to-Server OAuth" again with the values from your app\'s App Credentials page in the Zoom App Marketplace.',
    );
  const clientId = (): ZoomError =>
    new ZoomError('oauth', l10n.t('Zoom does not know this client ID ({0}). {1}', ref, fix()), details);
  const secret = (): ZoomError =>
    new ZoomError(
      'oauth',
      l10n.t(
        'Zoom refused the client ID and client secret pair: the client secret is wrong or was regenerated ({0}). {1}',
        ref,
        fix(),
      ),
      details,
    );
  const clientPair = (): ZoomError =>
    new ZoomError(
      'oauth',
      l10n.t(
        'Zoom refused the client ID or the client secret ({0}): one of them is wrong, or the secret was regenerated. {1}',
        ref,
        fix(),
      ),
      details,
    );
  const missing = (): ZoomError =>
    new ZoomError(
      'oauth',
      l10n.t(
        'Zoom says a credential is missing ({0}): the account ID, client ID or client secret was empty. {1}',
        ref,
        fix(),
      ),
      details,
    );
  const account = (): ZoomError =>
    new ZoomError(
      'oauth',
      l10n.t(
        "Zoom refused the account ID ({0}): it is not the account of this app. Copy the Account ID from the app's App Credentials page. {1}",
        ref,
        fix(),
      ),
      details,
    );
  const grant = (): ZoomError =>
    new ZoomError(
      'oauth',
      l10n.t(
        'Zoom refused the grant type ({0}): the app is not a Server-to-Server OAuth app. Create one in the Zoom App Marketplace (Develop > Build App > Server-to-Server OAuth).',
        ref,
      ),
      details,
    );
  const disabled = (): ZoomError =>
    new ZoomError(
      'oauth',
      l10n.t(
        'Zoom says the app is deactivated ({0}). Activate it on its Activation page in the Zoom App Marketplace (Manage > your app > Activation), then sign in again.',
        ref,
      ),
      details,
    );

  if (code === 4717 || /disabled|deactivated|not activated|inactive/.test(reason)) return disabled();
  if (error === 'invalid_client') {
    if (code === 4702) return clientId();
    if (code === 4704) return secret();
    if (code === 4706) return missing();
    return clientPair();
  }
  if (error === 'unsupported_grant_type') return grant();
  if (/invalid account_id/.test(reason) || (error === 'invalid_request' && /account/.test(reason))) return account();
  if (error === 'invalid_request' && /missing/.test(reason)) return missing();
  if (code === 4702) return clientId();
  if (code === 4704) return secret();
  if (code === 4705 || /grant type/.test(reason)) return grant();
  if (code === 4706) return missing();
  if (code === undefined && /client_id|client id/.test(reason) && !/secret/.test(reason)) return clientId();
  if (code === undefined && /secret/.test(reason)) return secret();
  if (/account/.test(reason)) return account();
  if (status >= 500) {
    return new ZoomError('server', l10n.t('The Zoom OAuth server failed (HTTP {0}).', status), details);
  }
  return new ZoomError(
    'oauth',
    message
      ? l10n.t('Zoom refused the Server-to-Server OAuth sign-in (HTTP {0}: {1}). {2}', status, message, fix())
      : l10n.t('Zoom refused the Server-to-Server OAuth sign-in (HTTP {0}). {1}', status, fix()),
    details,
  );
}

/** A shared promise that one caller can stop waiting for without cancelling it for others. */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function hostOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return new URL(value).host || undefined;
  } catch {
    return undefined;
  }
}
