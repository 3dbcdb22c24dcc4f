import { l10n } from '../l10n';
/** Failures of the archive itself (Zoom's failures stay ZoomErrors). Messages never hold credentials. */
export type ArchiveErrorKind =
  | 'locked' // another syncer holds the lock
  | 'lockLost' // our lock was taken over (we were judged stale)
  | 'damaged' // manifest.json or journal unreadable
  | 'notEmpty' // evidence pack target folder has files
  | 'disk' // the file system refused a read or write (full, read-only, no permission)
  | 'badArgument';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly kind: ArchiveErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An error of the file system (full, read-only, no permission, ...) as an ArchiveError `disk` that says what to do;
 * anything else is returned as it is. `dir` is the folder being written (an archive or an evidence pack).
 */
export function diskError(e: unknown, dir: string): unknown {
  // Node's system errors carry a code such as ENOSPC (an ArchiveError or a ZoomError carries none of that form).
  const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return e;
  let message: string;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      message = l10n.t(
        'The disk holding {0} is full ({1}). Free some space, then try again: what was written before is intact.',
        dir,
        code,
      );
      break;
    case 'EROFS':
      message = l10n.t(
        '{0} is on a read-only file system ({1}). Choose another folder (setting zoomOperationLogs.archiveFolder for the archive).',
        dir,
        code,
      );
      break;
    case 'EACCES':
    case 'EPERM':
      message = l10n.t(
        "No permission to write in {0} ({1}). Check the folder's permissions, or choose another folder (setting zoomOperationLogs.archiveFolder for the archive).",
        dir,
        code,
      );
      break;
    default:
      message = l10n.t('Could not read or write {0} ({1}). Try again; what was written before is intact.', dir, code);
  }
  return new ArchiveError('disk', message);
}
