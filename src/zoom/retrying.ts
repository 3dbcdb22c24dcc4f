import { ZoomError } from './errors';
import { backoffDelay } from './retry';
import type { Clock } from './rateLimiter';
import { l10n } from '../l10n';

export interface RetryPolicy {
  /** Tries in all, including the first. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  random: () => number;
  clock: Clock;
}

/** What one attempt decided. */
export type AttemptResult<T> =
  { readonly ok: T } | { readonly retry: ZoomError; readonly delayMs?: number; readonly reason?: string };

/**
 * Runs attempts until one succeeds, one throws (a final error), or the policy's
 * attempts are used up (the last retryable error is thrown, with `attempts`).
 * A delay the attempt asks for (Retry-After) wins over backoff with full jitter.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<AttemptResult<T>>,
  onWait: (n: number, delayMs: number, error: ZoomError, reason: string | undefined) => void,
  signal?: AbortSignal,
): Promise<T> {
  const max = Math.max(1, Math.floor(policy.maxAttempts));
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    if ('ok' in result) return result.ok;
    if (n >= max) {
      const e = result.retry;
      const gaveUp = n === 1 ? l10n.t('Gave up after 1 attempt.') : l10n.t('Gave up after {0} attempts.', n);
      throw new ZoomError(e.kind, `${e.message} ${gaveUp}`, {
        status: e.status,
        code: e.code,
        zoomMessage: e.zoomMessage,
        attempts: n,
        retryAt: e.retryAt,
        missingScope: e.missingScope,
        cause: e,
      });
    }
    const delay = result.delayMs ?? backoffDelay(n - 1, policy.backoffBaseMs, policy.backoffCapMs, policy.random);
    onWait(n, delay, result.retry, result.reason);
    await policy.clock.sleep(delay, signal);
  }
}
