/**
 * `manifest.json`: what the archive holds, per UTC day. `journal.json`: the days a commit
 * is about to replace, written (atomically) before the first rename and removed after the
 * manifest, so recovery can tell an interrupted commit from a file changed by someone else.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ArchiveError } from './errors';
import { readIfExists, writeFileAtomic, type StepHook } from './durable';
import { l10n } from '../l10n';

export const MANIFEST_FILE = 'manifest.json'; // l10n-ignore: a file name
export const JOURNAL_FILE = 'journal.json'; // l10n-ignore: a file name
export const ARCHIVE_FORMAT = 'zoom-operation-logs-archive';

export interface DayRecord {
  /** Lines in the day file. */
  entries: number;
  /** SHA-256 (hex) of the day file's bytes; null when the day has no entries (and no file). */
  sha256: string | null;
  /** Size of the day file in bytes (0 without a file). */
  bytes: number;
  /** When a sync last wrote or confirmed this day (ISO-8601 UTC). */
  syncedAt: string;
  /** A sync read the whole day from Zoom after the day had ended (UTC). */
  complete: boolean;
  /** Entries per `category_type` display string, so a tree can show counts without reading the file. */
  categories: Record<string, number>;
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  version: 1;
  /** Order of lines inside each day file. */
  order: 'oldest-first';
  days: Record<string, DayRecord>;
  /** The newest day Zoom refused as older than its horizon (those days are not retried). */
  refusedThrough?: string;
  lastSync?: { at: string; from: string; to: string; requests: number };
}

export interface JournalDay {
  /** SHA-256 of the day file before the commit (null: no file). */
  before: string | null;
  after: DayRecord;
}

export interface Journal {
  createdAt: string;
  pid: number;
  days: Record<string, JournalDay>;
}

export function emptyManifest(): Manifest {
  return { format: ARCHIVE_FORMAT, version: 1, order: 'oldest-first', days: {} };
}

export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  const raw = await readIfExists(file);
  if (!raw) return emptyManifest();
  let m: Manifest;
  try {
    m = JSON.parse(raw.toString('utf8')) as Manifest;
  } catch {
    throw new ArchiveError(
      'damaged',
      l10n.t(
        "The archive's {0} in {1} is not valid JSON, so nothing was read or written. Restore it from a backup, or move the folder away and sync again into an empty one.",
        MANIFEST_FILE,
        dir,
      ),
    );
  }
  if (!m || m.format !== ARCHIVE_FORMAT || typeof m.days !== 'object' || m.days === null) {
    throw new ArchiveError(
      'damaged',
      l10n.t(
        '{0} is not a Zoom operation-logs archive manifest; nothing was written. Choose another folder.',
        path.join(dir, MANIFEST_FILE),
      ),
    );
  }
  return m;
}

/** Sorted keys, so the manifest diffs well and its bytes depend only on its content. */
export function manifestText(m: Manifest): string {
  const days: Record<string, DayRecord> = {};
  for (const d of Object.keys(m.days).sort()) days[d] = m.days[d];
  return `${JSON.stringify({ ...m, days }, null, 1)}\n`;
}

export async function writeManifest(dir: string, m: Manifest, step?: StepHook): Promise<void> {
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), manifestText(m), step);
}

export async function readJournal(dir: string): Promise<Journal | undefined> {
  const raw = await readIfExists(path.join(dir, JOURNAL_FILE));
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as Journal;
  } catch {
    // Written atomically, so this is not a crash leftover.
    throw new ArchiveError(
      'damaged',
      l10n.t(
        "The archive's {0} in {1} is not valid JSON; it was not written by this extension's sync. Move it away and sync again.",
        JOURNAL_FILE,
        dir,
      ),
    );
  }
}

export async function writeJournal(dir: string, j: Journal, step?: StepHook): Promise<void> {
  await writeFileAtomic(path.join(dir, JOURNAL_FILE), JSON.stringify(j), step);
}

export async function removeJournal(dir: string, step?: StepHook): Promise<void> {
  step?.('unlink journal.json');
  await fsp.rm(path.join(dir, JOURNAL_FILE), { force: true });
}
