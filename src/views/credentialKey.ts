import { createHash } from 'node:crypto';
import type { Credentials } from '../zoom/auth';

/**
 * A short key that is equal exactly when two credentials are: their kind and a SHA-256 of
 * their values in a fixed order. It lets the view tell a real sign-in from SecretStorage
 * echoing one it already handled. Compare it, never log it.
 */
export function credentialKey(c: Credentials | undefined): string {
  if (!c) return 'signed-out';
  const values = c.kind === 'token' ? [c.token] : [c.accountId, c.clientId, c.clientSecret];
  return `${c.kind}:${createHash('sha256').update(JSON.stringify(values)).digest('hex')}`;
}
