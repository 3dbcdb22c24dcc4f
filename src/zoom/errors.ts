import { l10n } from '../l10n';

/**
 * Every failure of the Zoom layer is a ZoomError. `kind` decides what the UI
 * offers (sign in again, wait, retry, change the range); `message` is written
 * for a person and never contains a token or secret.
 */
export type ZoomErrorKind =
  | 'auth' // token rejected (401 code 124) or lacking scope (4711/4700: `missingScope`)
  | 'oauth' // Server-to-Server OAuth credentials refused
  | 'permission' // plan or role (400 code 200)
  | 'rateLimit' // per-second 429 after all retries
  | 'dailyLimit' // daily cap reached; `retryAt` says when it resets
  | 'pageToken' // next_page_token invalid or expired (400 code 300)
  | 'horizon' // range older than six months (HTTP 300, or a 400 that says so)
  | 'badRequest' // other 4xx
  | 'notFound'
  | 'server' // 5xx after all retries
  | 'network' // connection refused/reset after all retries
  | 'timeout'
  | 'badResponse' // 2xx whose body is not what Zoom sends
  | 'cancelled'
  | 'config'; // bad settings (base URL), or a redirect to another address

export interface ZoomErrorDetails {
  status?: number;
  code?: number;
  zoomMessage?: string;
  retryAt?: number;
  attempts?: number;
  /** `auth` only: the token is valid but lacks the report's scope (fix: add the scope, sign in again). */
  missingScope?: boolean;
  /** `badResponse` only: the body was empty or cut off, so asking again may help. */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Marks ZoomErrors so that `instanceof` holds across bundles: the archive core is a bundle of its own
 * (dist/archive.js, loaded on first use) with its own copy of this class, and must still recognise the
 * errors the extension's client throws (a page token to restart, a refused window).
 */
const BRAND = Symbol.for('zoom-operation-logs.ZoomError');

export class ZoomError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  override readonly name = 'ZoomError';
  readonly status?: number;
  readonly code?: number;
  readonly zoomMessage?: string;
  readonly retryAt?: number;
  readonly attempts?: number;
  readonly missingScope?: boolean;
  readonly retryable?: boolean;

  constructor(
    readonly kind: ZoomErrorKind,
    message: string,
    details: ZoomErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.status = details.status;
    this.code = details.code;
    this.zoomMessage = details.zoomMessage;
    this.retryAt = details.retryAt;
    this.attempts = details.attempts;
    this.missingScope = details.missingScope;
    this.retryable = details.retryable;
  }
}

export function cancelled(): ZoomError {
  return new ZoomError('cancelled', l10n.t('Cancelled.'));
}

/** Any thrown value as a ZoomError, for code that must show something. */
export function toZoomError(e: unknown): ZoomError {
  if (e instanceof ZoomError) return e;
  const message = stripUrls(e instanceof Error ? e.message : String(e));
  return new ZoomError('badResponse', l10n.t('Unexpected error: {0}', message), { cause: e });
}

/** Replaces every URL in a text with its host: a URL may carry a page token or an account ID. */
export function stripUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (u) => {
    try {
      return new URL(u).host || l10n.t('(an address)');
    } catch {
      return l10n.t('(an address)');
    }
  });
}
