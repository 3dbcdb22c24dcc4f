// Plain Node (no `vscode`): what a Zoom account profile is, how it is stored and named.
// The vscode side (src/auth/profiles.ts) keeps the list in globalState and the credentials in SecretStorage.
import { randomBytes } from 'node:crypto';
import { l10n } from '../l10n';

/**
 * One Zoom account the extension knows. Its credentials live in SecretStorage under
 * `secretKeyOf(id)`; its base URLs, when set, replace the two application-scoped settings for
 * this account only (undefined: the settings, zoom.us by default).
 */
export interface Profile {
  readonly id: string;
  readonly name: string;
  readonly apiBaseUrl?: string;
  readonly oauthBaseUrl?: string;
}

/** The id of the profile an existing single-account install is migrated to; it keeps the old secret key. */
export const DEFAULT_PROFILE_ID = 'default';

/** The secret key of the single-account versions; the default profile keeps using it, so migration moves nothing. */
export const LEGACY_SECRET_KEY = 'zoomOperationLogs.credentials';

/** Where a profile's credentials live in SecretStorage. */
export function secretKeyOf(id: string): string {
  return id === DEFAULT_PROFILE_ID ? LEGACY_SECRET_KEY : `${LEGACY_SECRET_KEY}/${id}`;
}

/** The Zoom clouds offered when adding an account; `zoom` means "the base URL settings" (zoom.us by default). */
export const CLOUDS = {
  zoom: { apiBaseUrl: undefined, oauthBaseUrl: undefined },
  zoomgov: { apiBaseUrl: 'https://api.zoomgov.com/v2', oauthBaseUrl: 'https://zoomgov.com' },
} as const;

export type Cloud = keyof typeof CLOUDS;

/** A new random profile id (never `default`): 8 hex characters, safe in a secret key and a tree id. */
export function newProfileId(taken: readonly Profile[], random = (): string => randomBytes(4).toString('hex')): string {
  for (let i = 0; i < 100; i++) {
    const id = random();
    if (/^[a-z0-9]{4,32}$/.test(id) && id !== DEFAULT_PROFILE_ID && !taken.some((p) => p.id === id)) return id;
  }
  throw new Error(l10n.t('Could not make a new profile id.'));
}

/** Why a name cannot be used, or undefined when it can. */
export function nameProblem(name: string, profiles: readonly Profile[], exceptId?: string): string | undefined {
  const n = name.trim();
  if (!n) return 'empty';
  if (n.length > 60) return 'long';
  if ([...n].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return 'control';
  if (profiles.some((p) => p.id !== exceptId && p.name.toLowerCase() === n.toLowerCase())) return 'taken';
  return undefined;
}

/** `base`, or `base (2)`, `base (3)`... whichever is free. */
export function uniqueName(base: string, profiles: readonly Profile[]): string {
  const b = base.trim().slice(0, 50) || l10n.t('Zoom account');
  if (!nameProblem(b, profiles)) return b;
  for (let i = 2; ; i++) if (!nameProblem(`${b} (${i})`, profiles)) return `${b} (${i})`;
}

/**
 * The name a profile gets when the user did not choose one (an existing install migrated,
 * or a first sign-in): the name its archive was given, else "Zoom account" (or "ZoomGov
 * account" on ZoomGov). Never a credential: the S2S account ID, like the client ID and secret,
 * stays in SecretStorage, and a profile's name is stored in globalState, logged and shown.
 */
export function defaultProfileName(opts: { archiveName?: string; apiBaseUrl?: string } = {}): string {
  if (opts.archiveName?.trim()) return opts.archiveName.trim();
  return /zoomgov\.com/i.test(opts.apiBaseUrl ?? '') ? l10n.t('ZoomGov account') : l10n.t('Zoom account');
}

/** The stored list, read leniently: anything malformed is dropped, ids and names are made unique. */
export function parseProfiles(raw: unknown): Profile[] {
  if (!Array.isArray(raw)) return [];
  const out: Profile[] = [];
  for (const v of raw as unknown[]) {
    if (!v || typeof v !== 'object') continue;
    const r = v as Record<string, unknown>;
    if (typeof r.id !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(r.id) || out.some((p) => p.id === r.id)) continue;
    const name = typeof r.name === 'string' && r.name.trim() ? r.name.trim().slice(0, 60) : r.id;
    const url = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
    out.push({
      id: r.id,
      name: nameProblem(name, out) === 'taken' ? uniqueName(name, out) : name,
      ...(url(r.apiBaseUrl) ? { apiBaseUrl: url(r.apiBaseUrl) } : {}),
      ...(url(r.oauthBaseUrl) ? { oauthBaseUrl: url(r.oauthBaseUrl) } : {}),
    });
  }
  return out;
}

/** Which cloud a profile's base URLs name, for its description ("ZoomGov", a custom host, or nothing). */
export function describeCloud(p: Profile): string | undefined {
  if (!p.apiBaseUrl && !p.oauthBaseUrl) return undefined;
  if (p.apiBaseUrl === CLOUDS.zoomgov.apiBaseUrl) return 'ZoomGov';
  try {
    return new URL(p.apiBaseUrl ?? p.oauthBaseUrl ?? '').host;
  } catch {
    return undefined;
  }
}
