/** The local archive: plain Node (node:fs, node:zlib, node:crypto) on top of src/zoom; no `vscode`. */
import path from 'node:path';
import { l10n } from '../l10n';
import { ArchiveError } from './errors';
import { sha256 } from './format';

export * from './archive';
export * from './coverage';
export * from './errors';
export * from './evidence';
export * from './newFindings';
export { LINE_FIELDS, DAY_FILE_SUFFIX, GZIP_LEVEL, dayFilePath, utcDayOf } from './format';
export { writeChunksAtomic, type ChunkWriteOptions, type WrittenFile } from './durable';
export { ArchiveLock, LOCK_FILE, DEFAULT_STALE_MS } from './lock';
export { MANIFEST_FILE, JOURNAL_FILE, ARCHIVE_FORMAT, type DayRecord, type Manifest } from './manifest';

/**
 * The folder of one Zoom account under the archive root. The account ID is a credential, so
 * the folder is named after a hash of it (`account-<16 hex>`), never the ID itself.
 */
export function accountArchiveDir(root: string, accountKey: string): string {
  return path.join(root, `account-${sha256(`zoom-account:${accountKey}`).slice(0, 16)}`);
}

/**
 * The folder the `archiveFolder` setting names: a leading `~` is the home folder (as people type it); a relative
 * path is refused (it would land wherever VS Code was started), with an example of one that works.
 */
export function archiveRootOf(setting: string, home: string): string {
  const tilde = setting === '~' || setting.startsWith('~/') || setting.startsWith('~\\');
  const folder = tilde ? path.join(home, setting.slice(1)) : setting;
  if (!path.isAbsolute(folder)) {
    throw new ArchiveError(
      'badArgument',
      l10n.t(
        "The setting zoomOperationLogs.archiveFolder is '{0}', which is not a full path; write one such as {1}, or leave it empty for the extension's own storage.",
        setting,
        path.join(home, 'zoom-archive'),
      ),
    );
  }
  return path.normalize(folder);
}
