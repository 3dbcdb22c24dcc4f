import type * as vscode from 'vscode';
import type { SyncResult } from '../archive';
import { archiveCore } from './archiveCore';
import type { SettingsStore } from '../config/settings';
import { toZoomError } from '../zoom';
import type { ArchiveService } from './archiveService';

/** What one background tick did. */
export type AutoSyncOutcome =
  | { kind: 'synced'; result: SyncResult }
  | { kind: 'skipped'; reason: string }
  | { kind: 'paused'; reason: string }
  | { kind: 'failed'; reason: string };

/**
 * `zoomOperationLogs.autoSync` (minutes, 0 = off): while VS Code is open, syncs the archive
 * in the background through the shared rate limiter. Never two syncs at once (a tick while a
 * sync runs is skipped); offline or rate-limited, it pauses until the next tick and says why
 * in the log. It never asks for anything (a bearer-token archive must have been named once).
 */
export class AutoSync implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private minutes = 0;
  private readonly subscription: vscode.Disposable;
  /** Called after each background sync that fetched entries (the tree and findings can react). */
  onSynced: ((result: SyncResult) => void) | undefined;

  constructor(
    private readonly service: ArchiveService,
    private readonly settings: SettingsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = settings.onDidChange((c) => {
      if (c.changed.includes('autoSync')) this.schedule();
    });
    this.schedule();
  }

  get intervalMinutes(): number {
    return this.minutes;
  }

  private schedule(): void {
    const minutes = this.settings.current.autoSync;
    if (minutes === this.minutes && (this.timer !== undefined) === minutes > 0) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.minutes = minutes;
    if (minutes > 0) {
      this.timer = setInterval(() => void this.tick(), minutes * 60_000);
      this.log.info(`Archive: background sync every ${minutes} minutes.`);
    }
  }

  /** One background sync (the timer calls it; tests call it directly). */
  async tick(): Promise<AutoSyncOutcome> {
    if (this.service.syncing) {
      const reason = 'a sync is already running';
      this.log.info(`Archive: background sync skipped: ${reason}.`);
      return { kind: 'skipped', reason };
    }
    try {
      const result = await this.service.sync({ ask: false });
      if (result.entriesFetched) this.onSynced?.(result);
      return { kind: 'synced', result };
    } catch (e) {
      if (e instanceof archiveCore().ArchiveError) {
        this.log.info(`Archive: background sync skipped: ${e.message}`);
        return { kind: 'skipped', reason: e.message };
      }
      const err = toZoomError(e);
      const paused =
        err.kind === 'network' || err.kind === 'timeout'
          ? 'offline (Zoom could not be reached)'
          : err.kind === 'rateLimit' || err.kind === 'dailyLimit'
            ? `rate-limited by Zoom (${err.message})`
            : undefined;
      if (paused) {
        this.log.warn(`Archive: background sync paused: ${paused}. It tries again in ${this.minutes} minutes.`);
        return { kind: 'paused', reason: paused };
      }
      this.log.warn(`Archive: background sync failed: ${err.message}`);
      return { kind: 'failed', reason: err.message };
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscription.dispose();
  }
}
