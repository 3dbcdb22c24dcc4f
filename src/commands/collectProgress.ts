import * as vscode from 'vscode';
import type { ExportProgress } from '../export/collect';
import { toZoomError } from '../zoom';

/** What a collection under a notification gave, and the first day Zoom answered for if it refused older days. */
export interface Collected<T> {
  result: T;
  refusedBefore?: string;
}

/**
 * Runs `collect` under a cancellable progress notification titled `title`, for every command that loads a whole
 * range or part of it (export, Scan Range, Group by, Search the Whole Range, the overview). Progress reads
 * "N entries, N pages" from the first page on, at most every 100 ms, and at once when Zoom starts refusing older
 * days (then it names the first day Zoom answered for). Cancel aborts the signal `collect` gets.
 * Resolves with the result, or 'cancelled' when the person cancelled; rejects with what `collect` rejected with.
 */
export async function collectWithProgress<T>(
  title: string,
  collect: (signal: AbortSignal, onProgress: (p: ExportProgress) => void) => Promise<T>,
): Promise<Collected<T> | 'cancelled'> {
  const controller = new AbortController();
  let refusedBefore: string | undefined;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let last = 0;
        return collect(controller.signal, (p) => {
          const news = p.refusedBefore !== undefined && p.refusedBefore !== refusedBefore;
          if (p.refusedBefore) refusedBefore = p.refusedBefore;
          // Nothing read yet: the title says what is loading. A "0 entries, 0 pages" here would take the slot of
          // the first page's figures (VS Code passes one report per 100 ms on), which on a quick load are the last.
          if (p.entries === 0 && p.pages === 0 && !news) return;
          const now = Date.now();
          if (now - last < 100 && !news) return;
          last = now;
          const refusal = refusedBefore ? vscode.l10n.t(' · Zoom returned nothing before {0}', refusedBefore) : '';
          progress.report({ message: counted(p.entries, p.pages, refusal) });
        });
      },
    );
    return { result, refusedBefore };
  } catch (e) {
    if (controller.signal.aborted || toZoomError(e).kind === 'cancelled') return 'cancelled';
    throw e;
  }
}

/** "N entries, N pages" and the refusal note, in the singular where a count is 1. */
function counted(entries: number, pages: number, refusal: string): string {
  const n = entries.toLocaleString('en-US');
  if (pages === 1) {
    return entries === 1
      ? vscode.l10n.t('1 entry, 1 page{0}', refusal)
      : vscode.l10n.t('{0} entries, 1 page{1}', n, refusal);
  }
  return entries === 1
    ? vscode.l10n.t('1 entry, {0} pages{1}', pages, refusal)
    : vscode.l10n.t('{0} entries, {1} pages{2}', n, pages, refusal);
}
