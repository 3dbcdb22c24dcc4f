import * as vscode from 'vscode';
import type { Credentials } from '../zoom';
import { LEGACY_SECRET_KEY } from './profileModel';

/** Thrown when VS Code's secret storage (the OS keyring) refuses to work. */
export class SecretStoreError extends Error {
  constructor(action: 'save' | 'read' | 'delete', detail: string) {
    const what =
      action === 'save'
        ? vscode.l10n.t('VS Code could not save your Zoom credentials in its secret storage ({0}).', detail)
        : action === 'read'
          ? vscode.l10n.t('VS Code could not read your Zoom credentials in its secret storage ({0}).', detail)
          : vscode.l10n.t('VS Code could not delete your Zoom credentials in its secret storage ({0}).', detail);
    const fix = vscode.l10n.t(
      'On Linux this usually means no keyring is running: install and unlock one (for example gnome-keyring), or start VS Code with --password-store="gnome-libsecret". Nothing was written anywhere else.',
    );
    super(`${what} ${fix}`);
  }
}

/**
 * The one place one account's credentials live: VS Code's SecretStorage, under that
 * profile's key (`secretKeyOf(id)` in profileModel.ts). Nothing is ever copied to settings,
 * state, logs or files. `Accounts` sets the `signedIn` context key from all of them.
 */
export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Credentials | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private cached: Promise<Credentials | undefined> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    readonly key: string = LEGACY_SECRET_KEY,
  ) {
    // Also fires when another window of VS Code signs in or out.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== this.key) return;
      this.cached = undefined;
      void this.get().then(
        (c) => this.changed.fire(c),
        () => this.changed.fire(undefined),
      );
    });
  }

  /** The stored credentials, or undefined when signed out or the store is unreadable. */
  get(): Promise<Credentials | undefined> {
    this.cached ??= this.read();
    return this.cached;
  }

  async store(credentials: Credentials): Promise<void> {
    try {
      await this.secrets.store(this.key, JSON.stringify(credentials));
    } catch (e) {
      throw new SecretStoreError('save', describe(e, credentials));
    }
    this.cached = Promise.resolve(credentials);
    this.changed.fire(credentials);
  }

  async clear(): Promise<void> {
    try {
      await this.secrets.delete(this.key);
    } catch (e) {
      throw new SecretStoreError('delete', describe(e));
    }
    this.cached = Promise.resolve(undefined);
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async read(): Promise<Credentials | undefined> {
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(this.key);
    } catch {
      return undefined;
    }
    return parseCredentials(raw);
  }
}

export function parseCredentials(raw: string | undefined): Credentials | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (v.kind === 'token' && typeof v.token === 'string' && v.token) return { kind: 'token', token: v.token };
    if (
      v.kind === 's2s' &&
      typeof v.accountId === 'string' &&
      typeof v.clientId === 'string' &&
      typeof v.clientSecret === 'string'
    ) {
      return { kind: 's2s', accountId: v.accountId, clientId: v.clientId, clientSecret: v.clientSecret };
    }
  } catch {
    // fall through: an unreadable entry counts as signed out
  }
  return undefined;
}

/** The store's error text, with any credential value in it masked. */
function describe(e: unknown, credentials?: Credentials): string {
  let text = e instanceof Error ? e.message : String(e);
  const values = credentials ? Object.values(credentials).filter((v) => v.length >= 4 && v !== credentials.kind) : [];
  for (const v of values) text = text.split(v).join('***');
  return text.slice(0, 200) || vscode.l10n.t('unknown error');
}
