import os from 'node:os';
import * as vscode from 'vscode';
import type { Archive, Coverage, SyncProgress, SyncResult } from '../archive';
import { archiveCore } from './archiveCore';
import { DEFAULT_PROFILE_ID } from '../auth/profileModel';
import type { Account } from './accounts';
import type { SettingsStore } from '../config/settings';
import { STATE_KEYS } from '../config/keys';
import type { ArchiveReader } from '../model/archivePart';
import { horizonStart, todayUtc, type Credentials } from '../zoom';

export interface ServiceSyncOptions {
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Fetch days again whose file no longer matches the manifest (default: report them and leave them). */
  overwriteDamaged?: boolean;
  /** Ask for the archive's name when a bearer-token user has not given one yet (default true). */
  ask?: boolean;
}

/**
 * One Zoom account's local archive (each account has its own ArchiveService): where it lives
 * (the `archiveFolder` setting or the extension's global storage, then one folder per account,
 * named after a hash of the S2S account ID, or for a bearer token of the profile's id, or for
 * the profile migrated from a single-account install of the name its user gave once), opening it, one sync at a time
 * through the shared rate limiter, and its coverage. The clock is injectable (`now`) so tests
 * can move "today" towards Zoom's horizon.
 */
export class ArchiveService implements vscode.Disposable {
  /** The clock for "today", completeness and the horizon warning (tests replace it). */
  now: () => number = Date.now;
  private opened: { dir: string; archive: Archive } | undefined;
  private running: Promise<SyncResult> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The archive changed: another account or folder, or a sync wrote to it. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'globalState' | 'globalStorageUri'>,
    readonly account: Pick<Account, 'id' | 'name' | 'zoom' | 'credentials'>,
    private readonly settings: SettingsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      account.credentials.onDidChange(() => this.reopen()),
      settings.onDidChange((c) => {
        if (c.changed.includes('archiveFolder')) this.reopen();
      }),
    );
    this.reopen();
  }

  /** Opens the archive for the current credentials and folder in the background (failures are logged). */
  private reopen(): void {
    this.open(false).catch(() => undefined);
  }

  /** The folder holding every account's archive. */
  root(): string {
    const folder = this.settings.current.archiveFolder;
    return folder ? archiveCore().archiveRootOf(folder, os.homedir()) : this.context.globalStorageUri.fsPath;
  }

  /**
   * The account's key: the S2S account ID; for a bearer token the profile's id, except for the
   * profile migrated from a single-account install, which keeps the name given for its token
   * (asked once when `ask`), so its archive stays where it was.
   */
  async accountKey(c: Credentials | undefined, ask: boolean): Promise<string | undefined> {
    if (!c) return undefined;
    if (c.kind === 's2s') return `s2s:${c.accountId}`;
    if (this.account.id !== DEFAULT_PROFILE_ID) return `profile:${this.account.id}`;
    let name = this.context.globalState.get<string>(STATE_KEYS.archiveAccountName);
    if (!name && ask) {
      name = (
        await vscode.window.showInputBox({
          title: vscode.l10n.t('Name this Zoom account’s archive'),
          prompt: vscode.l10n.t(
            'An access token does not say which account it belongs to. Give the account a name (asked once); its archive folder is named after it.',
          ),
          placeHolder: vscode.l10n.t('for example: acme-production'),
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')),
        })
      )?.trim();
      if (name) await this.context.globalState.update(STATE_KEYS.archiveAccountName, name);
    }
    return name ? `name:${name}` : undefined;
  }

  /** Opens the signed-in account's archive (creating its folder); undefined when signed out or unnamed. */
  async open(ask: boolean): Promise<Archive | undefined> {
    const key = await this.accountKey(await this.account.credentials.get(), ask);
    if (!key) {
      if (this.opened) {
        this.opened = undefined;
        this.changed.fire();
      }
      return undefined;
    }
    let dir: string;
    try {
      dir = archiveCore().accountArchiveDir(this.root(), key);
    } catch (e) {
      // The folder setting is not usable: nothing stays open from the folder it named before.
      this.log.error(`Archive: ${e instanceof Error ? e.message : String(e)}`);
      if (this.opened) {
        this.opened = undefined;
        this.changed.fire();
      }
      throw e;
    }
    if (this.opened?.dir === dir) return this.opened.archive;
    try {
      const archive = await archiveCore().Archive.open(dir, { now: () => this.now() });
      this.opened = { dir, archive };
      this.changed.fire();
      return archive;
    } catch (e) {
      this.log.error(`Archive: could not open ${dir}: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  /** The open archive (no I/O); undefined until opened. */
  get archive(): Archive | undefined {
    return this.opened?.archive;
  }

  /** The open archive as the tree reads it, when it holds any day. */
  reader(): ArchiveReader | undefined {
    const a = this.opened?.archive;
    return a && Object.keys(a.manifest.days).length ? a : undefined;
  }

  today(): string {
    return todayUtc(this.now());
  }

  horizon(): string {
    return horizonStart(this.today());
  }

  oldestDay(): string | undefined {
    const days = Object.keys(this.opened?.archive.manifest.days ?? {}).sort();
    return days[0];
  }

  /** Complete / incomplete / missing days and the horizon warning, for today's clock. */
  coverage(): Coverage | undefined {
    const a = this.opened?.archive;
    return a ? archiveCore().coverage(a, this.today()) : undefined;
  }

  get syncing(): boolean {
    return this.running !== undefined;
  }

  /**
   * Syncs the account's archive from Zoom. Never two at once: a second call while one runs
   * fails with ArchiveError `locked` and a message saying so.
   */
  async sync(opts: ServiceSyncOptions = {}): Promise<SyncResult> {
    if (this.running) {
      throw new (archiveCore().ArchiveError)(
        'locked',
        vscode.l10n.t('A sync of the archive is already running; wait for it to end.'),
      );
    }
    const run = this.runSync(opts);
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
      // Even a cancelled or failed sync keeps the month windows it finished.
      this.changed.fire();
    }
  }

  private async runSync(opts: ServiceSyncOptions): Promise<SyncResult> {
    const archive = await this.open(opts.ask ?? true);
    if (!archive) {
      throw new (archiveCore().ArchiveError)(
        'badArgument',
        vscode.l10n.t(
          'No archive to sync: sign in to Zoom first (with an access token, give the account a name when asked).',
        ),
      );
    }
    const client = await this.account.zoom.getClient();
    const started = Date.now();
    const result = await archive.sync(client, {
      pageSize: this.settings.current.pageSize,
      signal: opts.signal,
      onProgress: opts.onProgress,
      overwriteDamaged: opts.overwriteDamaged,
    });
    this.log.info(
      `${this.account.name}: archive sync ${result.from} to ${result.to}: ${result.entriesFetched} entries, ${result.daysWritten} days written (${result.daysChanged} changed), ${result.requests} requests, ${Date.now() - started} ms` +
        (result.damagedDays.length ? `; ${result.damagedDays.length} damaged days left alone` : '') +
        (result.refusedDays.length ? `; ${result.refusedDays.length} days past Zoom's horizon` : ''),
    );
    for (const d of result.damagedDays) this.log.warn(d.message);
    return result;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
