import type * as vscode from 'vscode';
import type { SyncResult } from '../archive';
import { archiveCore } from './archiveCore';
import { toZoomError } from '../zoom';
import type { ArchiveService } from './archiveService';

/** What one background tick did. */
export type AutoSyncOutcome =
  | { kind: 'synced'; result: SyncResult }
  | { kind: 'skipped'; reason: string }
  | { kind: 'paused'; reason: string }
  | { kind: 'failed'; reason: string };

/** The timers AutoSync uses (tests pass a fake clock). */
export interface AutoSyncTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: AutoSyncTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** After failures the wait doubles each time, up to this (or the interval itself when that is longer). */
export const MAX_BACKOFF_MS = 4 * 3_600_000;

/** What AutoSync needs of the archive service, the settings and the log (so tests need no VS Code). */
export type AutoSyncService = Pick<ArchiveService, 'syncing' | 'sync'>;
export interface AutoSyncSettings {
  readonly current: { readonly autoSync: number };
  onDidChange(listener: (c: { readonly changed: readonly string[] }) => void): { dispose(): void };
}
export type AutoSyncLog = Pick<vscode.LogOutputChannel, 'info' | 'warn'>;

/**
 * `zoomOperationLogs.autoSync` (minutes, 0 = off): while VS Code is open, syncs the archive
 * in the background through the shared rate limiter. Never two syncs at once: the next tick is
 * armed only when one has ended, and a tick while any sync runs (a manual one too) is skipped.
 * Offline, rate-limited or failing, it waits longer each time (the interval doubled per
 * failure, at most MAX_BACKOFF_MS or the interval) and says why in the log; a sync that works
 * brings the interval back. It never asks for anything (a bearer-token archive must have been
 * named once). Disposing stops the timer; a sync still running then reports to nobody.
 */
export class AutoSync implements vscode.Disposable {
  private timer: unknown;
  private armed = false;
  private minutes = 0;
  /** Failed or paused ticks in a row. */
  private failures = 0;
  /** Bumped by every (re)schedule, so a tick of an older schedule does not arm a second timer. */
  private generation = 0;
  private inFlight = false;
  private disposed = false;
  private readonly subscription: { dispose(): void };
  /**
   * Called after each background sync that fetched entries (the tree and findings can react).
   * Not awaited: the next tick does not wait for it. What it throws or rejects with is logged.
   */
  onSynced: ((result: SyncResult) => void | Promise<void>) | undefined;

  constructor(
    private readonly service: AutoSyncService,
    private readonly settings: AutoSyncSettings,
    private readonly log: AutoSyncLog,
    private readonly timers: AutoSyncTimers = REAL_TIMERS,
  ) {
    this.subscription = settings.onDidChange((c) => {
      if (c.changed.includes('autoSync')) this.schedule();
    });
    this.schedule();
  }

  get intervalMinutes(): number {
    return this.minutes;
  }

  /** Failed or paused background syncs in a row (0 after one that worked). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** How long the timer waits before the next tick: the interval, doubled for each failure in a row. */
  nextDelayMs(): number {
    const base = this.minutes * 60_000;
    return Math.min(base * 2 ** Math.min(this.failures, 16), Math.max(base, MAX_BACKOFF_MS));
  }

  private schedule(): void {
    const minutes = this.settings.current.autoSync;
    if (this.disposed || (minutes === this.minutes && this.armed === minutes > 0)) return;
    this.disarm();
    this.generation++;
    this.minutes = minutes;
    this.failures = 0;
    if (minutes > 0) {
      this.arm();
      this.log.info(`Archive: background sync every ${minutes} minutes.`);
    }
  }

  private disarm(): void {
    if (this.armed) this.timers.clearTimeout(this.timer);
    this.armed = false;
    this.timer = undefined;
  }

  private arm(): void {
    const generation = this.generation;
    this.armed = true;
    this.timer = this.timers.setTimeout(() => {
      this.armed = false;
      this.timer = undefined;
      void this.tick().finally(() => {
        // Armed again only after the sync ended; not if disposed or rescheduled meanwhile.
        if (!this.disposed && generation === this.generation && this.minutes > 0 && !this.armed) this.arm();
      });
    }, this.nextDelayMs());
  }

  /** One background sync (the timer calls it; tests call it directly). */
  async tick(): Promise<AutoSyncOutcome> {
    if (this.disposed) return { kind: 'skipped', reason: 'background sync stopped' };
    if (this.inFlight || this.service.syncing) {
      const reason = 'a sync is already running';
      this.log.info(`Archive: background sync skipped: ${reason}.`);
      return { kind: 'skipped', reason };
    }
    this.inFlight = true;
    try {
      const result = await this.service.sync({ ask: false });
      this.failures = 0;
      if (result.entriesFetched && !this.disposed) this.report(result);
      return { kind: 'synced', result };
    } catch (e) {
      // A full or read-only disk is a failure (warned, backed off); the lock held elsewhere and the like are skips.
      if (e instanceof archiveCore().ArchiveError && e.kind !== 'disk') {
        this.log.info(`Archive: background sync skipped: ${e.message}`);
        return { kind: 'skipped', reason: e.message };
      }
      this.failures++;
      const again = `It tries again in ${Math.round(this.nextDelayMs() / 60_000)} minutes.`;
      const err = toZoomError(e);
      const paused =
        err.kind === 'network' || err.kind === 'timeout'
          ? 'offline (Zoom could not be reached)'
          : err.kind === 'rateLimit' || err.kind === 'dailyLimit'
            ? `rate-limited by Zoom (${err.message})`
            : undefined;
      if (paused) {
        this.log.warn(`Archive: background sync paused: ${paused}. ${again}`);
        return { kind: 'paused', reason: paused };
      }
      const message = e instanceof archiveCore().ArchiveError ? e.message : err.message;
      this.log.warn(`Archive: background sync failed: ${message} ${again}`);
      return { kind: 'failed', reason: message };
    } finally {
      this.inFlight = false;
    }
  }

  /** Runs onSynced without waiting for it (a notification may stay open for hours). */
  private report(result: SyncResult): void {
    const fail = (e: unknown): void =>
      this.log.warn(`Archive: after the background sync: ${e instanceof Error ? e.message : String(e)}`);
    try {
      const done = this.onSynced?.(result);
      if (done) done.catch(fail);
    } catch (e) {
      fail(e);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.disarm();
    this.subscription.dispose();
  }
}
