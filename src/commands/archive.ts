import path from 'node:path';
import * as vscode from 'vscode';
import type { EvidenceCheck, EvidenceCoverageDay, EvidenceManifest, SyncResult } from '../archive';
import { archiveCore } from '../services/archiveCore';
import type { SettingsStore } from '../config/settings';
import { collectQuery } from '../export/collect';
import { checkRangeWithArchive } from '../model/ranges';
import { FreshEntries } from '../model/fresh';
import { LogSession, type QuerySpec } from '../model/session';
import { ArchiveService } from '../services/archiveService';
import { AutoSync } from '../services/autoSync';
import { ArchiveView, type ArchiveViewSource } from '../views/archiveView';
import type { AccountView } from '../views/accountView';
import type { Account } from '../services/accounts';
import type { LogView } from '../views/logView';
import { CATEGORIES, isKnownCategory, toZoomError, type KnownCategory, type OperationLogEntry } from '../zoom';
import { ARCHIVE_VIEW_ID, COMMANDS, CONTEXT_KEYS } from './ids';
import { showErrorWithLog } from './showLog';
import { fileNamePart } from './fileNames';
import { informWithReveal } from '../output/reveal';

export interface SyncArgs {
  /** The account (id or name) with several accounts. */
  account?: string;
  /** Fetch again the days whose file no longer matches the manifest. */
  overwriteDamaged?: boolean;
}

export interface EvidenceArgs {
  /** The account (id or name) with several accounts. */
  account?: string;
  from?: string;
  to?: string;
  categories?: string[];
  /** The pack's folder (must not exist or be empty); otherwise a folder is picked and a sub-folder made. */
  folder?: string;
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
      verifyPack(args && typeof args === 'object' ? args : {}),
    ),
  );

  async function exportPack(args: EvidenceArgs): Promise<EvidenceManifest | undefined> {
    const target = await logView.pick(args, vscode.l10n.t('Zoom: Export Evidence Pack'));
    if (!target) return undefined;
    const service = of(target).service;
    const query = resolveQuery(args, target, service);
    if (!query) return undefined;
    let folder = args.folder;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        title: vscode.l10n.t('Folder to put the evidence pack in'),
        openLabel: vscode.l10n.t('Make the Pack Here'),
      });
      if (!picked?.[0]) return undefined;
      const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
      // With several accounts the folder names the account (letters, digits and dashes of its name).
      const who = logView.accounts.several ? `${fileNamePart(target.account.name, target.account.id)}-` : '';
      folder = path.join(picked[0].fsPath, `zoom-evidence-${who}${query.from}_${query.to}-${stamp}`);
    }
    const archive = await service.open(false).catch(() => undefined);
    const s = settings.current;
    const session = new LogSession(query, {
      pageSize: s.pageSize,
      timeZone: s.timeZone,
      client: () => target.zoom.getClient(),
      archive: service.reader(),
      horizon: service.horizon(),
    });
    const controller = new AbortController();
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Making an evidence pack ({0} to {1})', query.from, query.to),
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          const entries = await collectQuery(session, await target.zoom.getClient(), {
            signal: controller.signal,
            onProgress: (p) => progress.report({ message: vscode.l10n.t('{0} entries', p.entries) }),
          });
          const days = new Map((archive ? archive.dayCounts(query.from, query.to) : []).map((d) => [d.day, d]));
          const served = session.archive;
          const coverage: EvidenceCoverageDay[] = archiveCore()
            .daysOf(query.from, query.to)
            .map((day) => {
              const d = days.get(day);
              const fromArchive = served && day <= served.to;
              if (fromArchive && d) {
                return { day, status: d.complete ? 'archive, complete' : 'archive, incomplete', entries: d.entries };
              }
              if (fromArchive) return { day, status: 'missing: not archived and past Zoom’s horizon' };
              return { day, status: 'Zoom' };
            });
          const manifest = await archiveCore().exportEvidencePack(folder, {
            account: { name: target.account.name, apiHost: apiHost(target.zoom.currentSettings.apiBaseUrl) },
            query: { from: query.from, to: query.to, categories: query.categories, source: session.source },
            timeZone: s.timeZone === 'UTC' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone,
            entries,
            findings: findingsOf ? await findingsOf(entries) : undefined,
            coverage,
            extensionVersion: String((context.extension?.packageJSON as { version?: string })?.version ?? 'unknown'),
            csvFormulaGuard: s.csvFormulaGuard,
          });
          await informWithReveal(
            vscode.l10n.t(
              'Evidence pack made: {0} entries, {1} files with their SHA-256 in manifest.json, in {2}.',
              entries.length,
              manifest.files.length,
              folder,
            ),
            vscode.l10n.t('Reveal Folder'),
            folder,
          );
          return manifest;
        },
      );
    } catch (e) {
      if (controller.signal.aborted) return undefined;
      const message = e instanceof archiveCore().ArchiveError ? e.message : toZoomError(e).message;
      void vscode.window.showErrorMessage(vscode.l10n.t('No evidence pack was made: {0}', message));
      return undefined;
    }
  }

  /** The range of the pack: the arguments, else the query the Operation Logs view shows. */
  function resolveQuery(args: EvidenceArgs, target: AccountView, service: ArchiveService): QuerySpec | undefined {
    const current = target.session?.query;
    const from = args.from ?? current?.from;
    const to = args.to ?? current?.to;
    if (!from || !to) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Choose the range first: run "Zoom: Fetch Operation Logs", then export the evidence pack for the range it shows.',
        ),
      );
      return undefined;
    }
    const problem = checkRangeWithArchive(from, to, service.today(), service.oldestDay());
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return undefined;
    }
    const wanted = args.categories ?? current?.categories ?? [...CATEGORIES];
    const unknown = wanted.filter((c) => !isKnownCategory(c));
    if (unknown.length) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Unknown categories: {0}. Use: {1}.', unknown.join(', '), CATEGORIES.join(', ')),
      );
      return undefined;
    }
    const categories = CATEGORIES.filter((c): c is KnownCategory => wanted.includes(c));
    return { from: from.trim(), to: to.trim(), categories };
  }

  async function verifyPack(args: { folder?: string }): Promise<EvidenceCheck | undefined> {
    let folder = args.folder;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        title: vscode.l10n.t('Evidence pack folder to verify'),
        openLabel: vscode.l10n.t('Verify'),
      });
      if (!picked?.[0]) return undefined;
      folder = picked[0].fsPath;
    }
    const check = await archiveCore().verifyEvidencePack(folder);
    if (check.ok) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Evidence pack verified. {0}', check.message));
    } else void vscode.window.showWarningMessage(vscode.l10n.t('Evidence pack check failed. {0}', check.message));
    return check;
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

/** The host of an API base URL (`api.zoom.us`), or the text as given when it is not a URL. */
function apiHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
