import * as vscode from 'vscode';
import type { EvidenceManifest, SyncResult } from '../archive';
import { archiveCore } from '../services/archiveCore';
import type { SettingsStore } from '../config/settings';
import { collectQuery } from '../export/collect';
import { FreshEntries } from '../model/fresh';
import { LogSession } from '../model/session';
import { ArchiveService } from '../services/archiveService';
import { AutoSync } from '../services/autoSync';
import { output } from '../services/output';
import { ArchiveView, type ArchiveViewSource } from '../views/archiveView';
import type { AccountView } from '../views/accountView';
import type { Account } from '../services/accounts';
import type { LogView } from '../views/logView';
import type { EvidenceArgs } from '../output/evidence';
import { toZoomError, type OperationLogEntry } from '../zoom';
import { ARCHIVE_VIEW_ID, COMMANDS, CONTEXT_KEYS } from './ids';
import { showErrorWithLog } from './showLog';

export interface SyncArgs {
  /** The account (id or name) with several accounts. */
  account?: string;
  /** Fetch again the days whose file no longer matches the manifest. */
  overwriteDamaged?: boolean;
}

/** Findings of a list of entries, for the evidence pack's findings.json (InsightsService.findingRecords). */
export type FindingsOf = (entries: readonly OperationLogEntry[]) => unknown[] | Promise<unknown[]>;

export interface ArchiveFeature {
  /** The active account's archive (the one the Archive view shows). */
  readonly service: ArchiveService;
  readonly view: ArchiveView;
  /** The active account's background sync. */
  readonly autoSync: AutoSync;
  /** Each account's own archive and background sync. */
  of(account: AccountView): { service: ArchiveService; autoSync: AutoSync; fresh: FreshEntries };
}

/**
 * Issue 10: the archive service, the Archive view, Sync Archive, Show Archive Coverage,
 * Export / Verify Evidence Pack, and background sync. The Operation Logs view reads the
 * archive for the days it holds.
 */
export function registerArchive(
  context: vscode.ExtensionContext,
  settings: SettingsStore,
  logView: LogView,
  log: vscode.LogOutputChannel,
  findingsOf?: FindingsOf,
): ArchiveFeature {
  // Each account has its own archive folder, ArchiveService and background sync; its tree reads only its own.
  type PerAccount = { service: ArchiveService; autoSync: AutoSync; fresh: FreshEntries };
  const perAccount = new Map<string, PerAccount>();
  const of = (account: AccountView): PerAccount => {
    let entry = perAccount.get(account.account.id);
    if (!entry) {
      const service = new ArchiveService(context, account.account, settings, log);
      const autoSync = new AutoSync(service, settings, log);
      // Entries a background sync added are marked new in the account's tree until seen.
      const fresh = new FreshEntries();
      account.useFresh(fresh);
      // One notification per background sync that added entries with high-severity findings.
      autoSync.onSynced = async (result) => {
        account.synced(result.added ?? []);
        const notice =
          findingsOf && (await archiveCore().newFindingsAfterSync(result, findingsOf, { today: service.today() }));
        if (!notice) return;
        const message = logView.accounts.several ? `${account.account.name}: ${notice.message}` : notice.message;
        if (!(await vscode.window.showWarningMessage(message, notice.action))) return;
        const target = { account: account.account.id };
        await vscode.commands.executeCommand(COMMANDS.fetch, { from: notice.show.from, to: notice.show.to, ...target });
        await vscode.commands.executeCommand(COMMANDS.filter, notice.show.filter, target);
      };
      entry = { service, autoSync, fresh };
      perAccount.set(account.account.id, entry);
      account.useArchive(service);
    }
    return entry;
  };
  const attachAll = (): void => {
    // By the Account object: removing the last account makes a new `default` one with the same id.
    const live = new Set(logView.all.map((v) => v.account));
    for (const [id, entry] of perAccount) {
      if (live.has(entry.service.account as Account)) continue;
      entry.autoSync.dispose();
      entry.service.dispose();
      perAccount.delete(id);
    }
    for (const v of logView.all) of(v);
  };
  attachAll();
  // The Archive view shows the active account's archive.
  const active = new ActiveArchive(() => of(logView.active).service);
  const view = new ArchiveView(active, context.globalState);
  context.subscriptions.push(
    active,
    view,
    logView.accounts.onDidChange(() => {
      attachAll();
      active.follow();
    }),
    logView.accounts.onDidChangeActive(() => active.follow()),
    {
      dispose: () => {
        for (const e of perAccount.values()) {
          e.autoSync.dispose();
          e.service.dispose();
        }
      },
    },
  );

  const sync = async (args?: SyncArgs): Promise<SyncResult | undefined> => {
    const target = await logView.pick(args, vscode.l10n.t('Zoom: Sync Archive'));
    if (!target) return undefined;
    const service = of(target).service;
    const controller = new AbortController();
    let result: SyncResult;
    try {
      view.redraw();
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: logView.accounts.several
            ? vscode.l10n.t('Syncing the Zoom operation-log archive of {0}', target.account.name)
            : vscode.l10n.t('Syncing the Zoom operation-log archive'),
          cancellable: true,
        },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let last = 0;
          return service.sync({
            signal: controller.signal,
            overwriteDamaged: args?.overwriteDamaged === true,
            onProgress: (p) => {
              // At most ten updates a second, but never drop the last one: the notification stays up for a
              // moment after the sync and must not show "0 of 2 days" then.
              const now = Date.now();
              if (now - last < 100 && p.days < p.daysPlanned) return;
              last = now;
              progress.report({
                message: vscode.l10n.t(
                  '{0} entries, {1} of {2} days',
                  p.entries.toLocaleString('en-US'),
                  p.days,
                  p.daysPlanned,
                ),
              });
            },
          });
        },
      );
    } catch (e) {
      view.redraw();
      if (controller.signal.aborted) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Sync cancelled; the month windows already written are kept.'),
        );
        return undefined;
      }
      const message = e instanceof archiveCore().ArchiveError ? e.message : toZoomError(e).message;
      showErrorWithLog(vscode.l10n.t('The archive was not synced: {0}', message));
      return undefined;
    }
    view.redraw();
    // The walkthrough's "Keep the evidence" step completes on this.
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.archiveSynced, true);
    const summary = vscode.l10n.t(
      'Archive synced ({0} to {1}): {2} entries, {3} days written, {4} requests.',
      result.from,
      result.to,
      result.entriesFetched.toLocaleString('en-US'),
      result.daysWritten,
      result.requests,
    );
    if (result.damagedDays.length) {
      // Never rewritten silently: say which days changed on disk and offer to fetch them again.
      const replace = vscode.l10n.t('Fetch Them Again');
      const days = result.damagedDays.map((d) => `${d.day} (${d.problem})`).join(', ');
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t(
            '{0} {1} archived days no longer match their SHA-256 in manifest.json and were left as they are: {2}. Restore them from a backup, or fetch them again from Zoom.',
            summary,
            result.damagedDays.length,
            days,
          ),
          replace,
        )
        .then((pick) => {
          if (pick === replace) {
            void vscode.commands.executeCommand(COMMANDS.syncArchive, {
              overwriteDamaged: true,
              account: target.account.id,
            });
          }
        });
    } else {
      vscode.window.setStatusBarMessage(summary, 8000);
    }
    return result;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.syncArchive, (args?: SyncArgs) =>
      sync(args && typeof args === 'object' ? args : undefined),
    ),
    vscode.commands.registerCommand(COMMANDS.showArchiveCoverage, async (arg?: unknown) => {
      const target = await logView.pick(arg, vscode.l10n.t('Zoom: Show Archive Coverage'));
      if (!target) return undefined;
      const service = of(target).service;
      active.follow();
      await service.open(true).catch(() => undefined);
      view.redraw();
      await vscode.commands.executeCommand(`${ARCHIVE_VIEW_ID}.focus`);
      return service.coverage();
    }),
    vscode.commands.registerCommand(COMMANDS.exportEvidencePack, (args?: EvidenceArgs) =>
      exportPack(args && typeof args === 'object' ? args : {}),
    ),
    vscode.commands.registerCommand(COMMANDS.verifyEvidencePack, (args?: { folder?: string }) =>
      output().verifyEvidencePack(args && typeof args === 'object' ? args : {}),
    ),
  );

  /** The pack's dialogs and progress load with the other file outputs (src/output/evidence.ts). */
  async function exportPack(args: EvidenceArgs): Promise<EvidenceManifest | undefined> {
    const target = await logView.pick(args, vscode.l10n.t('Zoom: Export Evidence Pack'));
    if (!target) return undefined;
    const service = of(target).service;
    const s = settings.current;
    return output().exportEvidencePack(args, {
      account: target.account,
      several: logView.accounts.several,
      current: target.session?.query,
      today: service.today(),
      oldestDay: service.oldestDay(),
      openArchive: () => service.open(false).catch(() => undefined),
      session: (query) =>
        new LogSession(query, {
          pageSize: s.pageSize,
          timeZone: s.timeZone,
          client: () => target.zoom.getClient(),
          archive: service.reader(),
          horizon: service.horizon(),
        }),
      collect: async (session, options) => collectQuery(session, await target.zoom.getClient(), options),
      problem: (e) => (e instanceof archiveCore().ArchiveError ? e.message : toZoomError(e).message),
      apiBaseUrl: target.zoom.currentSettings.apiBaseUrl,
      settings: s,
      findingsOf,
      extensionVersion: String((context.extension?.packageJSON as { version?: string })?.version ?? 'unknown'),
    });
  }

  return {
    get service() {
      return of(logView.active).service;
    },
    get autoSync() {
      return of(logView.active).autoSync;
    },
    view,
    of,
  };
}

/**
 * The active account's archive, as the Archive view reads it: each read goes to the current
 * account's service, and a change of that service or of the active account fires onDidChange.
 */
class ActiveArchive implements ArchiveViewSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: ArchiveService | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly service: () => ArchiveService) {
    this.follow();
  }

  /** Listens to the active account's service (again, when it changed). */
  follow(): void {
    const next = this.service();
    if (next === this.current) return;
    this.subscription?.dispose();
    this.current = next;
    this.subscription = next.onDidChange(() => this.changed.fire());
    this.changed.fire();
  }

  get archive(): ArchiveService['archive'] {
    return this.service().archive;
  }
  get syncing(): boolean {
    return this.service().syncing;
  }
  coverage(): ReturnType<ArchiveService['coverage']> {
    return this.service().coverage();
  }
  today(): string {
    return this.service().today();
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
