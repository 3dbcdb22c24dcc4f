/**
 * Export and Verify Evidence Pack (uses `vscode`): the folder dialogs, the progress, the messages. Run a few times
 * in an audit, so loaded with the other file outputs (dist/output.js) on first use, not at activation. The caller
 * (src/commands/archive.ts) picks the account and hands over what belongs to it: its archive, a session factory
 * for the range and how to collect it (the paging code stays in dist/extension.js). The pack itself is written by
 * the archive core (dist/archive.js).
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { DayCounts, EvidenceCheck, EvidenceCoverageDay, EvidenceManifest } from '../archive';
import type { Settings } from '../config/settings';
import { checkRangeWithArchive } from '../model/ranges';
import type { LogSession, QuerySpec } from '../model/session';
import { archiveCore } from '../services/archiveCore';
import { isKnownCategory } from '../zoom/categories';
import { CATEGORIES, type KnownCategory, type OperationLogEntry } from '../zoom/types';
import { fileNamePart } from './fileNames';
import { informWithReveal } from './reveal';

export interface EvidenceArgs {
  /** The account (id or name) with several accounts. */
  account?: string;
  from?: string;
  to?: string;
  categories?: string[];
  /** The pack's folder (must not exist or be empty); otherwise a folder is picked and a sub-folder made. */
  folder?: string;
}

/** The account the pack is made for, as the caller resolved it. */
export interface EvidenceSource {
  account: { id: string; name: string };
  /** Several accounts are configured: the proposed folder names the account. */
  several: boolean;
  /** The range the Operation Logs view shows for the account, if any. */
  current?: QuerySpec;
  today: string;
  oldestDay: string | undefined;
  /** Opens the account's archive (undefined when there is none or it cannot be read). */
  openArchive(): Promise<{ dayCounts(from: string, to: string): DayCounts[] } | undefined>;
  /** A session over the range, reading the archive where it serves the range (made after openArchive). */
  session(query: QuerySpec): LogSession;
  /** Every entry of the session's range, from the tree, the archive and Zoom (src/export/collect.ts). */
  collect(
    session: LogSession,
    options: { signal: AbortSignal; onProgress: (p: { entries: number }) => void },
  ): Promise<OperationLogEntry[]>;
  /** What went wrong, as a sentence that says what to do (an archive or a Zoom error). */
  problem(e: unknown): string;
  apiBaseUrl: string;
  settings: Pick<Settings, 'timeZone' | 'csvFormulaGuard'>;
  findingsOf?: (entries: readonly OperationLogEntry[]) => unknown[] | Promise<unknown[]>;
  extensionVersion: string;
}

export async function exportEvidencePack(
  args: EvidenceArgs,
  source: EvidenceSource,
): Promise<EvidenceManifest | undefined> {
  const query = resolveQuery(args, source);
  if (!query) return undefined;
  let folder = args.folder;
  if (!folder) {
    const picked = await pickFolder(
      vscode.l10n.t('Folder to put the evidence pack in'),
      vscode.l10n.t('Make the Pack Here'),
    );
    if (!picked) return undefined;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    // With several accounts the folder names the account (letters, digits and dashes of its name).
    const who = source.several ? `${fileNamePart(source.account.name, source.account.id)}-` : '';
    folder = path.join(picked, `zoom-evidence-${who}${query.from}_${query.to}-${stamp}`);
  }
  const archive = await source.openArchive();
  const session = source.session(query);
  const s = source.settings;
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
        const entries = await source.collect(session, {
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
          account: { name: source.account.name, apiHost: apiHost(source.apiBaseUrl) },
          query: { from: query.from, to: query.to, categories: query.categories, source: session.source },
          timeZone: s.timeZone === 'UTC' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone,
          entries,
          findings: source.findingsOf ? await source.findingsOf(entries) : undefined,
          coverage,
          extensionVersion: source.extensionVersion,
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
    void vscode.window.showErrorMessage(vscode.l10n.t('No evidence pack was made: {0}', source.problem(e)));
    return undefined;
  }
}

/** The range of the pack: the arguments, else the query the Operation Logs view shows. */
function resolveQuery(args: EvidenceArgs, source: EvidenceSource): QuerySpec | undefined {
  const current = source.current;
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
  const problem = checkRangeWithArchive(from, to, source.today, source.oldestDay);
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

export async function verifyEvidencePack(args: { folder?: string }): Promise<EvidenceCheck | undefined> {
  let folder = args.folder;
  if (!folder) {
    folder = await pickFolder(vscode.l10n.t('Evidence pack folder to verify'), vscode.l10n.t('Verify'));
    if (!folder) return undefined;
  }
  const check = await archiveCore().verifyEvidencePack(folder);
  if (check.ok) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Evidence pack verified. {0}', check.message));
  } else void vscode.window.showWarningMessage(vscode.l10n.t('Evidence pack check failed. {0}', check.message));
  return check;
}

/** A folder the person picks in the open dialog, or undefined when the dialog was closed. */
async function pickFolder(title: string, openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title,
    openLabel,
  });
  return picked?.[0]?.fsPath;
}

/** The host of an API base URL (`api.zoom.us`), or the text as given when it is not a URL. */
function apiHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
