import { ZoomError } from './errors';
import { checkBaseUrl, parseJson, send, zoomErrorBody } from './http';
import type { ZoomLogger } from './logger';
import { redactQuery } from './logger';
import { realClock, type Clock } from './rateLimiter';
import { withRetries, type RetryPolicy } from './retrying';

export type Credentials =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 's2s'; readonly accountId: string; readonly clientId: string; readonly clientSecret: string };

export interface AccessToken {
  readonly token: string;
  /** API base from the token response (`api_url` + `/v2`), when Zoom sent a usable one. */
  readonly apiBaseUrl?: string;
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

export class StaticTokenSource implements TokenSource {
  readonly kind = 'token';
  constructor(private readonly token: string) {}
  get(): Promise<AccessToken> {
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
  /** Refresh this long before expiry. */
  refreshMarginMs?: number;
  retry: RetryPolicy;
  logger: ZoomLogger;
  clock?: Clock;
}

interface CachedToken extends AccessToken {
  readonly expiresAt: number;
}

/**
 * Server-to-Server OAuth (`grant_type=account_credentials`). The token is
 * fetched single-flight (concurrent callers share one request) and reused until
 * 60 s before it expires. There is no refresh token: on expiry we ask again.
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
    const margin = this.opts.refreshMarginMs ?? 60_000;
    const c = this.cached;
    if (c && c.expiresAt - margin > this.clock.now()) return c;
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
    const base = checkBaseUrl(this.opts.oauthBaseUrl, 'The OAuth base URL');
    const url = new URL('oauth/token', base.href.endsWith('/') ? base.href : `${base.href}/`);
    url.searchParams.set('grant_type', 'account_credentials');
    url.searchParams.set('account_id', this.opts.accountId);
    const basic = Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`, 'utf8').toString('base64');
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    const query = redactQuery(url.searchParams);
    return withRetries<CachedToken>(
      this.opts.retry,
      async (attempt) => {
        const started = this.clock.now();
        let status = 0;
        try {
          const res = await send(url, {
            method: 'POST',
            headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
            timeoutMs,
          });
          status = res.status;
          const body = parseJson(res.text);
          if (res.status >= 200 && res.status < 300) {
            const token = this.readToken(body);
            this.opts.logger.request({
              method: 'POST',
              path: url.pathname,
              query,
              status,
              ms: this.clock.now() - started,
              attempt,
              outcome: 'ok',
            });
            this.cached = token;
            return { ok: token };
          }
          const err = oauthError(res.status, body);
          const retryable = res.status >= 500 || res.status === 429;
          this.opts.logger.request({
            method: 'POST',
            path: url.pathname,
            query,
            status,
            ms: this.clock.now() - started,
            attempt,
            outcome: retryable ? 'retrying' : err.kind,
          });
          if (retryable) return { retry: err };
          throw err;
        } catch (e) {
          if (!(e instanceof ZoomError) || (e.kind !== 'network' && e.kind !== 'timeout')) throw e;
          this.opts.logger.request({
            method: 'POST',
            path: url.pathname,
            query,
            status,
            ms: this.clock.now() - started,
            attempt,
            outcome: e.kind,
          });
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
        'The Zoom OAuth server answered without an access token. Check the OAuth base URL setting.',
      );
    }
    const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 3600;
    let apiBaseUrl: string | undefined;
    if (typeof b.api_url === 'string' && b.api_url) {
      try {
        apiBaseUrl = `${checkBaseUrl(b.api_url, 'api_url').origin}/v2`;
      } catch {
        this.opts.logger.warn('Ignored an api_url in the OAuth response that is not https.');
      }
    }
    return { token: b.access_token, apiBaseUrl, expiresAt: this.clock.now() + expiresIn * 1000 };
  }
}

/** Turns an OAuth error answer into a message that says which credential is wrong. */
export function oauthError(status: number, body: unknown): ZoomError {
  const { code, message } = zoomErrorBody(body);
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const reason =
    `${typeof b.reason === 'string' ? b.reason : ''} ${typeof b.error === 'string' ? b.error : ''} ${message ?? ''}`.toLowerCase();
  const details = { status, code, zoomMessage: message };
  const fix =
    'Run "Zoom: Sign In with Server-to-Server OAuth" again with the values from your app\'s App Credentials page in the Zoom App Marketplace.';
  if (code === 4702 || (code === undefined && /client_id|client id/.test(reason) && !/secret/.test(reason))) {
    return new ZoomError('oauth', `Zoom does not know this client ID (${code ?? status}). ${fix}`, details);
  }
  if (code === 4704 || (code === undefined && /secret|invalid_client/.test(reason))) {
    return new ZoomError(
      'oauth',
      `Zoom refused the client ID and client secret pair: the client secret is wrong or was regenerated (${code ?? status}). ${fix}`,
      details,
    );
  }
  if (code === 4705 || /grant/.test(reason)) {
    return new ZoomError(
      'oauth',
      `Zoom refused the grant type (${code ?? status}): the app is not a Server-to-Server OAuth app. Create one in the Zoom App Marketplace (Develop > Build App > Server-to-Server OAuth).`,
      details,
    );
  }
  if (code === 4706) {
    return new ZoomError(
      'oauth',
      `Zoom says a credential is missing (${code}): the account ID, client ID or client secret was empty. ${fix}`,
      details,
    );
  }
  if (/account/.test(reason)) {
    return new ZoomError(
      'oauth',
      `Zoom refused the account ID (${code ?? status}): it does not belong to this app. ${fix}`,
      details,
    );
  }
  if (status >= 500) return new ZoomError('server', `The Zoom OAuth server failed (HTTP ${status}).`, details);
  return new ZoomError(
    'oauth',
    `Zoom refused the Server-to-Server OAuth sign-in (HTTP ${status}${message ? `: ${message}` : ''}). ${fix}`,
    details,
  );
}

/** A shared promise that one caller can stop waiting for without cancelling it for others. */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new ZoomError('cancelled', 'Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ZoomError('cancelled', 'Cancelled.'));
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
