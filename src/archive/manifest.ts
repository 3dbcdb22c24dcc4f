/**
 * `manifest.json`: what the archive holds, per UTC day. `journal.json`: the days a commit
 * is about to replace, written (atomically) before the first rename and removed after the
 * manifest, so recovery can tell an interrupted commit from a file changed by someone else.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ArchiveError } from './errors';
import { readIfExists, writeFileAtomic, type StepHook } from './durable';
import { isSha256 } from './format';
import { l10n } from '../l10n';
import { parseDate } from '../zoom/dates';

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
  if (!m || m.format !== ARCHIVE_FORMAT || !isObject(m.days)) {
    throw new ArchiveError(
      'damaged',
      l10n.t(
        '{0} is not a Zoom operation-logs archive manifest; nothing was written. Choose another folder.',
        path.join(dir, MANIFEST_FILE),
      ),
    );
  }
  const bad =
    (m.refusedThrough !== undefined && !isDay(m.refusedThrough) ? 'refusedThrough' : undefined) ??
    (m.lastSync !== undefined && !isLastSync(m.lastSync) ? 'lastSync' : undefined) ??
    Object.entries(m.days).find(([day, r]) => !isDay(day) || !isDayRecord(r))?.[0];
  if (bad !== undefined) throw damagedRecord(dir, MANIFEST_FILE, bad);
  return m;
}

/** A file the sync writes holds something it never writes (edited by hand, or damaged): said, never guessed at. */
function damagedRecord(dir: string, file: string, key: string): ArchiveError {
  const shown = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
  return new ArchiveError(
    'damaged',
    l10n.t(
      "The archive's {0} in {1} has an entry {2} that no sync writes, so nothing was read or written. Restore the file from a backup, or move the folder away and sync again into an empty one.",
      file,
      dir,
      shown,
    ),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDay = (v: unknown): v is string => typeof v === 'string' && parseDate(v) !== undefined;
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isHash = (v: unknown): boolean => v === null || isSha256(v);

const isLastSync = (v: unknown): boolean =>
  isObject(v) && typeof v.at === 'string' && isDay(v.from) && isDay(v.to) && isCount(v.requests);

/** A day's record as a sync writes it (DayRecord). */
function isDayRecord(r: unknown): r is DayRecord {
  return (
    isObject(r) &&
    isCount(r.entries) &&
    isHash(r.sha256) &&
    isCount(r.bytes) &&
    typeof r.syncedAt === 'string' &&
    typeof r.complete === 'boolean' &&
    isObject(r.categories) &&
    Object.values(r.categories).every(isCount)
  );
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
  let j: Journal;
  try {
    j = JSON.parse(raw.toString('utf8')) as Journal;
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
  if (!isObject(j) || !isObject(j.days)) throw damagedRecord(dir, JOURNAL_FILE, 'days');
  const bad = Object.entries(j.days).find(
    ([day, d]) => !isDay(day) || !isObject(d) || !isHash(d.before) || !isDayRecord(d.after),
  )?.[0];
  if (bad !== undefined) throw damagedRecord(dir, JOURNAL_FILE, bad);
  return j;
}

export async function writeJournal(dir: string, j: Journal, step?: StepHook): Promise<void> {
  await writeFileAtomic(path.join(dir, JOURNAL_FILE), JSON.stringify(j), step);
}

export async function removeJournal(dir: string, step?: StepHook): Promise<void> {
  step?.('unlink journal.json');
  await fsp.rm(path.join(dir, JOURNAL_FILE), { force: true });
}
