import * as vscode from 'vscode';
import { CredentialStore } from '../auth/credentialStore';
import {
  DEFAULT_PROFILE_ID,
  defaultProfileName,
  describeCloud,
  nameProblem,
  newProfileId,
  parseProfiles,
  secretKeyOf,
  uniqueName,
  type Profile,
} from '../auth/profileModel';
import { CONTEXT_KEYS } from '../commands/ids';
import { clientSettings, type ClientSettings, type Settings, type SettingsStore } from '../config/settings';
import { SETTINGS, STATE_KEYS } from '../config/keys';
import { ZoomService } from './zoomService';

/** A stored profile plus whether its name was chosen by the extension (then a migration may improve it). */
interface StoredProfile extends Profile {
  readonly autoName?: boolean;
}

/**
 * One Zoom account: its profile, its credentials (its own SecretStorage key) and its own
 * ZoomService, so its own rate limiter and token cache. Nothing here is shared with another account.
 */
export class Account implements vscode.Disposable {
  readonly credentials: CredentialStore;
  readonly zoom: ZoomService;

  constructor(
    private stored: StoredProfile,
    secrets: vscode.SecretStorage,
    settings: Settings,
    log: vscode.LogOutputChannel,
    named: () => boolean,
  ) {
    this.credentials = new CredentialStore(secrets, secretKeyOf(stored.id));
    this.zoom = new ZoomService(this.credentials, this.clientSettings(settings), log, () =>
      named() ? this.stored.name : undefined,
    );
  }

  get id(): string {
    return this.stored.id;
  }

  get name(): string {
    return this.stored.name;
  }

  get profile(): StoredProfile {
    return this.stored;
  }

  /** "ZoomGov", a custom host, or undefined for the base URL settings. */
  get cloud(): string | undefined {
    return describeCloud(this.stored);
  }

  /** The client settings with this account's own base URLs, where it has them. */
  clientSettings(s: Settings): ClientSettings {
    return {
      ...clientSettings(s),
      apiBaseUrl: this.stored.apiBaseUrl ?? s.apiBaseUrl,
      oauthBaseUrl: this.stored.oauthBaseUrl ?? s.oauthBaseUrl,
    };
  }

  /** @internal Accounts updates the profile (rename). */
  update(p: StoredProfile): void {
    this.stored = p;
  }

  dispose(): void {
    this.credentials.dispose();
  }
}

/**
 * Every Zoom account the extension knows, in the order they were added. The list (ids, names,
 * base URLs) is kept in globalState, never in settings a workspace could change; credentials
 * stay in SecretStorage under each profile's key. There is always at least one account: an
 * install of the single-account versions becomes the `default` profile, which keeps the old
 * secret key, so migrating moves no secret and loses nothing.
 */
export class Accounts implements vscode.Disposable {
  private list: Account[] = [];
  private activeId: string;
  private readonly changed = new vscode.EventEmitter<void>();
  /** An account was added, renamed or removed. */
  readonly onDidChange = this.changed.event;
  private readonly activeChanged = new vscode.EventEmitter<Account>();
  /** The account the tree's selection (or the last command) is about changed. */
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly signedInChanged = new vscode.EventEmitter<Account>();
  /** One account signed in or out (its own CredentialStore fired). */
  readonly onDidChangeCredentials = this.signedInChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.activeChanged, this.signedInChanged];
  private readonly perAccount = new Map<string, vscode.Disposable>();
  /** Whether the profile list is in globalState (false until a migrated install's list is first written). */
  private persisted: boolean;
  /** Resolves once the silent migration of a single-account install has run. */
  readonly ready: Promise<void>;

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'globalState' | 'secrets'>,
    private readonly settings: SettingsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    let stored: StoredProfile[] = parseProfiles(context.globalState.get(STATE_KEYS.profiles));
    const migrating = stored.length === 0;
    this.persisted = !migrating;
    if (migrating) stored = [{ id: DEFAULT_PROFILE_ID, name: defaultProfileName(), autoName: true }];
    else {
      const raw = context.globalState.get<{ id?: unknown; autoName?: unknown }[]>(STATE_KEYS.profiles) ?? [];
      stored = stored.map((p) => ({ ...p, autoName: raw.some((r) => r?.id === p.id && r.autoName === true) }));
    }
    for (const p of stored) this.attach(p);
    this.activeId = this.list[0].id;
    this.disposables.push(
      settings.onDidChange((c) => {
        if (!c.changed.some((k) => SETTINGS[k].client)) return;
        for (const a of this.list) a.zoom.reset(a.clientSettings(c.after));
      }),
    );
    this.ready = this.nameAutoNamed().then(() => this.updateSignedIn());
  }

  get all(): readonly Account[] {
    return this.list;
  }

  /** Several accounts: the tree shows one root per account and logs name the account. */
  get several(): boolean {
    return this.list.length > 1;
  }

  get active(): Account {
    return this.list.find((a) => a.id === this.activeId) ?? this.list[0];
  }

  setActive(account: Account): void {
    if (account.id === this.activeId || !this.list.includes(account)) return;
    this.activeId = account.id;
    this.activeChanged.fire(account);
  }

  /** The account with this id or (case-insensitive) name. */
  find(idOrName: string): Account | undefined {
    const n = idOrName.trim().toLowerCase();
    return this.list.find((a) => a.id === idOrName) ?? this.list.find((a) => a.name.toLowerCase() === n);
  }

  /** Adds an account (signed out until its credentials are stored). */
  async add(name: string, urls: { apiBaseUrl?: string; oauthBaseUrl?: string } = {}): Promise<Account> {
    const problem = nameProblem(name, this.profiles());
    if (problem) throw new Error(nameMessage(problem));
    const profile: StoredProfile = {
      id: newProfileId(this.profiles()),
      name: name.trim(),
      ...(urls.apiBaseUrl ? { apiBaseUrl: urls.apiBaseUrl } : {}),
      ...(urls.oauthBaseUrl ? { oauthBaseUrl: urls.oauthBaseUrl } : {}),
    };
    const account = this.attach(profile);
    await this.save();
    this.changed.fire();
    return account;
  }

  async rename(account: Account, name: string): Promise<void> {
    const problem = nameProblem(name, this.profiles(), account.id);
    if (problem) throw new Error(nameMessage(problem));
    account.update({ ...account.profile, name: name.trim(), autoName: false });
    await this.save();
    this.changed.fire();
  }

  /**
   * Removes an account and its secrets, and nothing else (other accounts, settings and archives
   * on disk stay). The last account is replaced by an empty, signed-out one.
   */
  async remove(account: Account): Promise<void> {
    await account.credentials.clear();
    this.perAccount.get(account.id)?.dispose();
    this.perAccount.delete(account.id);
    this.list = this.list.filter((a) => a !== account);
    account.dispose();
    if (!this.list.length) this.attach({ id: DEFAULT_PROFILE_ID, name: defaultProfileName(), autoName: true });
    await this.save();
    if (this.activeId === account.id) {
      this.activeId = this.list[0].id;
      this.activeChanged.fire(this.list[0]);
    }
    this.changed.fire();
    await this.updateSignedIn();
  }

  /**
   * The account a command acts on: a tree node's (`ownerOf`), an `{ account: id or name }`
   * argument, the only one, or the one the user picks (the active one first). Undefined when
   * the pick was dismissed or the named account does not exist (then a message says so).
   */
  async pick(
    arg: unknown,
    ownerOf: (node: unknown) => Account | undefined,
    title: string,
  ): Promise<Account | undefined> {
    const owner = ownerOf(arg);
    if (owner) return owner;
    const named = arg && typeof arg === 'object' ? (arg as { account?: unknown }).account : undefined;
    if (typeof named === 'string') {
      const found = this.find(named);
      if (!found) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            'There is no Zoom account named "{0}". Accounts: {1}.',
            named,
            this.list.map((a) => a.name).join(', '),
          ),
        );
      }
      return found;
    }
    if (!this.several) return this.list[0];
    const active = this.active;
    const ordered = [active, ...this.list.filter((a) => a !== active)];
    const items = await Promise.all(
      ordered.map(async (a) => ({
        label: a.name,
        description: [a.cloud, (await a.credentials.get()) ? undefined : vscode.l10n.t('signed out')]
          .filter(Boolean)
          .join(' · '),
        account: a,
      })),
    );
    const chosen = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: vscode.l10n.t('Which Zoom account?'),
    });
    if (chosen) this.setActive(chosen.account);
    return chosen?.account;
  }

  dispose(): void {
    for (const d of this.perAccount.values()) d.dispose();
    for (const a of this.list) a.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private attach(p: StoredProfile): Account {
    const account = new Account(p, this.context.secrets, this.settings.current, this.log, () => this.several);
    this.list.push(account);
    this.perAccount.set(
      p.id,
      account.credentials.onDidChange(() => {
        void this.updateSignedIn();
        // A first sign-in names an account the extension named (S2S: after its account ID).
        if (account.profile.autoName) void this.nameAutoNamed();
        this.signedInChanged.fire(account);
      }),
    );
    return account;
  }

  private profiles(): StoredProfile[] {
    return this.list.map((a) => a.profile);
  }

  private async save(): Promise<void> {
    await this.context.globalState.update(STATE_KEYS.profiles, this.profiles());
    this.persisted = true;
  }

  /**
   * Gives accounts the extension named a better name once their credentials are known: a
   * single-account install takes the name its archive was given (never a credential such as the
   * S2S account ID). Silent; the credentials are not touched.
   */
  private async nameAutoNamed(): Promise<void> {
    let renamed = false;
    for (const a of this.list) {
      if (!a.profile.autoName) continue;
      const c = await a.credentials.get();
      const archiveName =
        a.id === DEFAULT_PROFILE_ID ? this.context.globalState.get<string>(STATE_KEYS.archiveAccountName) : undefined;
      const others = this.profiles().filter((p) => p.id !== a.id);
      const name = uniqueName(
        defaultProfileName({ archiveName, apiBaseUrl: a.clientSettings(this.settings.current).apiBaseUrl }),
        others,
      );
      if (name !== a.name) {
        a.update({ ...a.profile, name, autoName: c === undefined });
        renamed = true;
      }
    }
    // Written when a name changed, or once to record a migrated install's list; not on every activation.
    if (renamed || !this.persisted) await this.save();
    if (renamed) this.changed.fire();
  }

  private async updateSignedIn(): Promise<void> {
    const any = (await Promise.all(this.list.map((a) => a.credentials.get()))).some((c) => c !== undefined);
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.signedIn, any);
  }
}

/** The message for a name problem from profileModel's nameProblem(). */
export function nameMessage(problem: string): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Enter a name for the account.');
    case 'long':
      return vscode.l10n.t('Use at most 60 characters.');
    case 'control':
      return vscode.l10n.t('The name cannot contain control characters.');
    default:
      return vscode.l10n.t('Another account already has this name.');
  }
}
