import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { archiveCore } from '../services/archiveCore';
import { informWithReveal } from './reveal';

/** Characters in a megabyte of the `maxExportInEditorMB` setting. */
const MB = 1024 * 1024;

/** An export's text, to open in an editor tab or, when it is too large for one, to save to a file. */
export interface OutputText {
  /** The text's pieces, made anew on each call (measured first, then written to a file). */
  chunks: () => Iterable<string>;
  /** The editor language of the tab (`csv` is plain text where no CSV extension is installed). */
  language: string;
  /** The file name the save dialog proposes (`zoom-operation-logs-2026-11-01_2026-11-26.json`). */
  fileName: string;
  /** The save dialog's filter, e.g. `{ JSON: ['json'] }`. */
  filters: Record<string, string[]>;
  /** What the text holds, for messages: `12,000 entries (Nov 1 - Nov 26, all categories) as JSON`. */
  what: string;
  /** The most characters an editor tab gets (the `maxExportInEditorMB` setting). */
  limitMB: number;
  /** A file to save to without asking (tests, callers); used only when the text is over the limit. */
  saveTo?: string;
}

/** A write the person cancelled (or no file chosen). */
const CANCELLED = Symbol('cancelled');

export type OutputResult = { document: vscode.TextDocument; file?: undefined } | { document?: undefined; file: string };

/**
 * Opens the text in a new untitled editor tab, as exports always did. A text over `limitMB` (an editor tab that
 * size slows the whole window, and one string cannot hold some hundreds of megabytes at all) is not built: the
 * person is asked to save it to a file instead, which is written piece by piece (temp file, then renamed: a
 * failed or cancelled write leaves no half file). Resolves undefined when they decline or cancel.
 */
export async function openOrSave(out: OutputText): Promise<OutputResult | undefined> {
  const limit = out.limitMB * MB;
  const pieces: string[] = [];
  let size = 0;
  for (const chunk of out.chunks()) {
    size += chunk.length;
    if (size > limit) break;
    pieces.push(chunk);
  }
  if (size <= limit) {
    const language =
      out.language === 'csv' && !(await vscode.languages.getLanguages()).includes('csv') ? 'plaintext' : out.language;
    const document = await vscode.workspace.openTextDocument({ language, content: pieces.join('') });
    await vscode.window.showTextDocument(document, { preview: false });
    return { document };
  }
  pieces.length = 0;
  if (out.saveTo) {
    const saved = await saveToFile(out, out.saveTo);
    if (typeof saved === 'object') return saved;
    if (saved === CANCELLED) return undefined;
    // `saved` is the translated message of what failed.
    void vscode.window.showErrorMessage(saved);
    return undefined;
  }
  // Declining, cancelling the dialog or the write, or a failed write (a full disk) all offer to save again: the
  // entries took a whole fetch to collect, and are let go only when the person dismisses that offer.
  const again = vscode.l10n.t('Save to File...');
  let file = (await askToSave(out, again)) && (await chooseFile(out));
  for (;;) {
    const saved = file ? await saveToFile(out, file) : CANCELLED;
    if (typeof saved === 'object') return saved;
    const pick =
      saved === CANCELLED
        ? await vscode.window.showWarningMessage(vscode.l10n.t('The export of {0} was not saved.', out.what), again)
        : await vscode.window.showErrorMessage(saved, again);
    if (pick !== again) return undefined;
    file = await chooseFile(out);
  }
}

/** The modal question: true when the person chose to save to a file. */
async function askToSave(out: OutputText, save: string): Promise<boolean> {
  const pick = await vscode.window.showWarningMessage(
    vscode.l10n.t('The export of {0} is more than {1} MB of text, too large for an editor tab.', out.what, out.limitMB),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Save it to a file instead; nothing is lost. The setting zoomOperationLogs.maxExportInEditorMB sets the size that opens in a tab.',
      ),
    },
    save,
  );
  return pick === save;
}

/** The save dialog: a file on this machine's disk, or undefined when cancelled. */
async function chooseFile(out: OutputText): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath ?? os.homedir();
  const uri = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(folder, out.fileName)),
    filters: out.filters,
    title: vscode.l10n.t('Save the export as'),
    saveLabel: vscode.l10n.t('Save Export'),
  });
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        "The export can only be saved on this machine's disk, not to {0}. Choose a local folder.",
        uri.scheme,
      ),
    );
    return undefined;
  }
  return uri.fsPath;
}

/** Writes the text to `file` under a cancellable progress notification: the result, CANCELLED, or what failed. */
async function saveToFile(out: OutputText, file: string): Promise<OutputResult | typeof CANCELLED | string> {
  const controller = new AbortController();
  const core = archiveCore();
  try {
    const written = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Saving {0} to {1}', out.what, path.basename(file)),
        cancellable: true,
      },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        return core.writeChunksAtomic(file, out.chunks(), {
          signal: controller.signal,
          onBytes: (bytes) => {
            const mb = Math.floor(bytes / MB);
            if (mb < shown + 8) return;
            shown = mb;
            progress.report({ message: vscode.l10n.t('{0} MB written', mb) });
          },
        });
      },
    );
    await informWithReveal(
      vscode.l10n.t('Saved {0} to {1} ({2} MB).', out.what, file, (written.bytes / MB).toFixed(1)),
      vscode.l10n.t('Reveal File'),
      file,
    );
    return { file };
  } catch (e) {
    if (controller.signal.aborted) return CANCELLED;
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const folder = path.dirname(file);
    const disk = core.diskError(e, folder);
    const message =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? vscode.l10n.t('the folder {0} does not exist ({1}). Choose a folder that exists.', folder, code)
        : disk instanceof Error
          ? disk.message
          : String(disk);
    return vscode.l10n.t('The export was not saved: {0}', message);
  }
}
