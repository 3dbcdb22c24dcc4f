/** Failures of the archive itself (Zoom's failures stay ZoomErrors). Messages never hold credentials. */
export type ArchiveErrorKind =
  | 'locked' // another syncer holds the lock
  | 'lockLost' // our lock was taken over (we were judged stale)
  | 'damaged' // manifest.json or journal unreadable
  | 'notEmpty' // evidence pack target folder has files
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
