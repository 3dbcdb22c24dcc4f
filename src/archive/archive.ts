/**
 * A local archive of one Zoom account's operation logs, in plain files (see format.ts and
 * manifest.ts; described in README.md next to this file). Plain Node: no `vscode`.
 *
 *   const archive = await Archive.open(accountArchiveDir(root, accountKey));
 *   await archive.sync(client, { onProgress, signal });
 *   const { entries } = await archive.readRange('2026-01-01', '2026-01-31'); // no requests
 */
import { promises as fsp, type Dirent } from 'node:fs';
import path from 'node:path';
import type { ZoomClient } from '../zoom/client';
import { addDays, horizonStart, monthWindows, todayUtc, type DateWindow } from '../zoom/dates';
import { ZoomError } from '../zoom/errors';
import { QueryCursor } from '../zoom/paging';
import type { OperationLogEntry } from '../zoom/types';
import { fsyncDir, mkdirDurable, readIfExists, renameInto, TEMP_MARKER, writeTemp, type StepHook } from './durable';
import { ArchiveError, diskError } from './errors';
import {
  canonicalOrder,
  dayFilePath,
  dayOfRelativePath,
  decodeDayLines,
  encodeDay,
  entryLine,
  parseLine,
  sha256,
  utcDayOf,
} from './format';
import { ArchiveLock, LOCK_CANDIDATE_SUFFIX, LOCK_FILE } from './lock';
import {
  readJournal,
  readManifest,
  removeJournal,
  writeJournal,
  writeManifest,
  type DayRecord,
  type Journal,
  type Manifest,
} from './manifest';
import { l10n } from '../l10n';

export interface ArchiveOptions {
  /** Clock for "today" and completeness (tests pass a fake one). */
  now?: () => number;
  /** A lock older than this is stale (default 10 min); see lock.ts. */
  lockStaleMs?: number;
  /** How long sync() waits for another syncer (default 0: fails at once with kind 'locked'). */
  lockWaitMs?: number;
  /** Called before every change to the disk (tests crash the process at chosen steps). */
  step?: StepHook;
}

export interface SyncOptions {
  /** Entries per request (default 300, Zoom's maximum). */
  pageSize?: number;
  /** Month windows fetched at once under the client's rate limiter (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Replace days whose file no longer matches the manifest (default false: they are reported and left alone). */
  overwriteDamaged?: boolean;
}

export interface SyncProgress {
  /** Entries received from Zoom so far. */
  entries: number;
  /** Days done so far: read from Zoom and committed (changed or not), or refused as past Zoom's horizon. */
  days: number;
  /** Days this sync reads. */
  daysPlanned: number;
}

export interface DamagedDay {
  day: string;
  /** modified: the file's SHA-256 differs from the manifest; missing: the file is gone; unlisted: a day file the manifest does not know. */
  problem: 'modified' | 'missing' | 'unlisted';
  message: string;
}

export interface SyncResult {
  from: string;
  to: string;
  /** HTTP requests the client sent during this sync. */
  requests: number;
  entriesFetched: number;
  /** Days whose manifest record was written (content replaced or confirmed). */
  daysWritten: number;
  /** Days whose file changed. */
  daysChanged: number;
  /** Days Zoom refused as older than its horizon: not an error, they are simply gone from Zoom. */
  refusedDays: string[];
  /** Days left untouched because their file no longer matched the manifest (tampering or damage). */
  damagedDays: DamagedDay[];
  /** Entries whose time Zoom sent unusable (not stored; expected 0). */
  entriesWithoutDay: number;
  /** Entries whose UTC day lies outside the window Zoom answered for (not stored: their own window stores them). */
  entriesOutsideWindow: number;
  /**
   * Entries this sync added to the archive (per day, Zoom's answer less what the day's file held
   * before, as a multiset), when the archive had been synced before; undefined on a first sync,
   * where everything is new. Days left alone as damaged, or fetched again over damage, add none.
   */
  added?: OperationLogEntry[];
}

export interface ReadResult {
  /** Newest first. */
  entries: OperationLogEntry[];
  /** Days read, newest first. */
  days: string[];
  /** Days skipped because their file does not match the manifest. */
  damaged: DamagedDay[];
}

export interface DayCounts {
  day: string;
  entries: number;
  complete: boolean;
  categories: Readonly<Record<string, number>>;
}

export interface VerifyResult {
  ok: boolean;
  checkedDays: number;
  damaged: DamagedDay[];
  /** A commit was interrupted; the next sync (or open) completes it. */
  interruptedCommit: boolean;
}

const DEFAULT_PAGE_SIZE = 300;

/** Every day of an inclusive range, oldest first. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

async function fileHash(file: string): Promise<string | null> {
  const buf = await readIfExists(file);
  return buf ? sha256(buf) : null;
}

function damage(day: string, problem: DamagedDay['problem']): DamagedDay {
  const what =
    problem === 'missing'
      ? l10n.t('its file is missing')
      : problem === 'modified'
        ? l10n.t('its file was changed after the sync wrote it (SHA-256 differs from manifest.json)')
        : l10n.t('a file for it exists that no sync wrote (it is not in manifest.json)');
  return {
    day,
    problem,
    message: l10n.t(
      'Archived day {0}: {1}. It was left as it is. Restore the file from a backup, or sync with "replace damaged days" to fetch it again from Zoom while Zoom still has it.',
      day,
      what,
    ),
  };
}

export class Archive {
  private m: Manifest;

  private constructor(
    readonly dir: string,
    manifest: Manifest,
    private readonly opts: ArchiveOptions,
  ) {
    this.m = manifest;
  }

  /**
   * Opens (creating the folder if needed) the archive in `dir`. If an earlier commit was
   * interrupted and no syncer is running, it is completed or rolled back now.
   */
  static async open(dir: string, opts: ArchiveOptions = {}): Promise<Archive> {
    try {
      await fsp.mkdir(dir, { recursive: true });
      const archive = new Archive(dir, await readManifest(dir), opts);
      if (await readJournal(dir)) {
        let lock: ArchiveLock;
        try {
          lock = await ArchiveLock.acquire(dir, { staleMs: opts.lockStaleMs, waitMs: 0 });
        } catch (e) {
          if (e instanceof ArchiveError && e.kind === 'locked') return archive; // the running syncer reconciles
          throw e;
        }
        try {
          await archive.recover();
        } catch (e) {
          // A disk that refuses writes (full) must not hide what is archived: reading copes with a pending
          // journal, and the next sync reconciles (or says the disk is full). recover() replaces the manifest it
          // holds only after writing it, so what it holds is still what is on disk.
          if (diskError(e, dir) === e) throw e;
        } finally {
          await lock.release();
        }
      }
      return archive;
    } catch (e) {
      throw diskError(e, dir);
    }
  }

  /** The manifest as last read or written by this object. */
  get manifest(): Readonly<Manifest> {
    return this.m;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Re-reads manifest.json (another process may have synced). */
  async reload(): Promise<void> {
    this.m = await readManifest(this.dir);
  }

  /**
   * Reconciles manifest and files after a crash (caller holds the lock). For each day in the
   * journal: a file whose SHA-256 is the journal's new one was renamed into place, so the
   * manifest takes the new record; a file with the old hash was never replaced, so the old
   * record stays; any other file was changed by someone else and verify() reports it.
   * Temp files are removed first.
   */
  private async recover(): Promise<void> {
    // Temp files first: no record points at one, and on a full disk they hold the space the manifest needs.
    await this.removeTemps();
    this.m = await readManifest(this.dir);
    const journal = await readJournal(this.dir);
    if (journal) {
      const next: Manifest = { ...this.m, days: { ...this.m.days } };
      for (const [day, jd] of Object.entries(journal.days)) {
        if ((await fileHash(dayFilePath(this.dir, day))) === jd.after.sha256) next.days[day] = jd.after;
      }
      await writeManifest(this.dir, next, this.opts.step);
      this.m = next;
      await removeJournal(this.dir, this.opts.step);
      await fsyncDir(this.dir, this.opts.step);
    }
  }

  private async removeTemps(): Promise<void> {
    const walk = async (dir: string, depth: number): Promise<void> => {
      let names: Dirent[];
      try {
        names = await fsp.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const d of names) {
        const p = path.join(dir, d.name);
        if (d.isFile() && d.name.includes(TEMP_MARKER)) await fsp.rm(p, { force: true });
        else if (
          d.isFile() &&
          depth === 0 &&
          d.name.startsWith(`${LOCK_FILE}.`) &&
          d.name.endsWith(LOCK_CANDIDATE_SUFFIX)
        ) {
          // Another process's lock candidate lives for a moment; an old one is a crash leftover.
          const st = await fsp.stat(p).catch(() => undefined);
          if (st && Date.now() - st.mtimeMs > 60_000) await fsp.rm(p, { force: true });
        } else if (d.isDirectory() && depth < 2 && /^\d{2,4}$/.test(d.name)) await walk(p, depth + 1);
      }
    };
    await walk(this.dir, 0);
  }

  /** The first day the next sync reads: the first day not complete, less one day of overlap. */
  private syncStart(today: string, horizon: string): string {
    const floor =
      this.m.refusedThrough && this.m.refusedThrough >= horizon ? addDays(this.m.refusedThrough, 1) : horizon;
    if (floor >= today) return today;
    let firstGap = today;
    for (let d = floor; d < today; d = addDays(d, 1)) {
      if (!this.m.days[d]?.complete) {
        firstGap = d;
        break;
      }
    }
    return firstGap > floor ? addDays(firstGap, -1) : floor;
  }

  /**
   * Fetches from Zoom what the archive lacks and stores each entry exactly once.
   * The first sync reads from the six-month horizon to today; later ones from the last
   * complete day (read again as overlap) to today. Every day of a fully read month window
   * becomes exactly Zoom's answer for that day. Month windows are fetched in parallel
   * under the client's rate limiter and committed one by one, so an interrupted sync keeps
   * the windows it finished. Throws a ZoomError (cancelled, auth, ...) or an ArchiveError.
   */
  async sync(client: ZoomClient, opts: SyncOptions = {}): Promise<SyncResult> {
    const lock = await ArchiveLock.acquire(this.dir, {
      staleMs: this.opts.lockStaleMs,
      waitMs: this.opts.lockWaitMs,
      signal: opts.signal,
    });
    try {
      await this.recover();
      return await this.syncLocked(client, lock, opts);
    } catch (e) {
      const disk = diskError(e, this.dir);
      if (disk !== e) {
        // The disk refused a write (full, read-only...): put the files and manifest back in step now, as the next
        // open would, and drop the temp files so the space they took is free again. Best effort: the disk may
        // still refuse, and then the next open or sync does it.
        await this.recover().catch(() => undefined);
      }
      throw disk;
    } finally {
      await lock.release();
    }
  }

  private async syncLocked(client: ZoomClient, lock: ArchiveLock, opts: SyncOptions): Promise<SyncResult> {
    const today = todayUtc(this.now());
    const horizon = horizonStart(today);
    let from = this.syncStart(today, horizon);
    if (opts.overwriteDamaged) {
      // Damaged days older than the usual start are read again too, while Zoom still has them.
      const damaged = (await this.verify()).damaged.map((d) => d.day).filter((d) => d >= horizon && d < from);
      if (damaged.length) from = damaged.sort()[0];
    }
    const windows = monthWindows(from, today);
    const requestsBefore = client.requests;
    const result: SyncResult = {
      from,
      to: today,
      requests: 0,
      entriesFetched: 0,
      daysWritten: 0,
      daysChanged: 0,
      refusedDays: [],
      damagedDays: [],
      entriesWithoutDay: 0,
      entriesOutsideWindow: 0,
      added: this.m.lastSync ? [] : undefined,
    };
    const progress: SyncProgress = { entries: 0, days: 0, daysPlanned: daysOf(from, today).length };
    const failed = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
    let commits: Promise<unknown> = Promise.resolve();
    let firstError: unknown;
    let next = 0;

    const fetchWindow = async (w: DateWindow): Promise<void> => {
      const startedAt = this.now();
      const cursor = new QueryCursor(
        client,
        { from: w.from, to: w.to, categoryType: 'all', pageSize: opts.pageSize ?? DEFAULT_PAGE_SIZE },
        [w],
      );
      const got: OperationLogEntry[] = [];
      let refused = false;
      try {
        while (!cursor.done) {
          const page = await cursor.nextPage(signal);
          for (const e of page) got.push(e);
          progress.entries += page.length;
          result.entriesFetched += page.length;
          if (page.length) opts.onProgress?.({ ...progress });
        }
        // The cursor records a window Zoom refuses as past its horizon instead of failing.
        refused = cursor.refused.length > 0;
      } catch (e) {
        if (!(e instanceof ZoomError && e.kind === 'horizon')) throw e;
        refused = true;
      }
      if (refused && !got.length) {
        // Zoom's exact horizon is unknown: find the first day it still answers for and keep
        // the rest of the window instead of losing it (a few one-entry requests, once).
        const first = await firstAcceptedDay(client, w, signal);
        const gone = daysOf(w.from, first ? addDays(first, -1) : w.to);
        result.refusedDays.push(...gone);
        progress.days += gone.length;
        opts.onProgress?.({ ...progress });
        if (first) await fetchWindow({ from: first, to: w.to });
        return;
      }
      const run = commits.then(() => this.commitWindow(w, got, startedAt, lock, opts, result));
      commits = run.catch(() => undefined);
      await run;
      progress.days += daysOf(w.from, w.to).length;
      opts.onProgress?.({ ...progress });
    };

    const worker = async (): Promise<void> => {
      while (next < windows.length && firstError === undefined) await fetchWindow(windows[next++]);
    };
    const n = Math.max(1, Math.min(opts.concurrency ?? 8, windows.length));
    await Promise.all(
      Array.from({ length: n }, () =>
        worker().catch((e: unknown) => {
          firstError ??= e;
          failed.abort();
        }),
      ),
    );
    await commits;
    result.requests = client.requests - requestsBefore;
    if (firstError !== undefined) {
      if (opts.signal?.aborted) {
        throw new ZoomError('cancelled', l10n.t('Sync cancelled; the days already written are kept.'));
      }
      throw firstError;
    }
    await lock.assertHeld();
    const nextManifest: Manifest = {
      ...this.m,
      lastSync: { at: new Date(this.now()).toISOString(), from, to: today, requests: result.requests },
    };
    if (result.refusedDays.length) {
      result.refusedDays.sort();
      const newest = result.refusedDays[result.refusedDays.length - 1];
      if (!nextManifest.refusedThrough || newest > nextManifest.refusedThrough) nextManifest.refusedThrough = newest;
    }
    await writeManifest(this.dir, nextManifest, this.opts.step);
    this.m = nextManifest;
    return result;
  }

  /** Writes one fully read window: journal, renames, manifest, journal removed (counted in `result`). */
  private async commitWindow(
    w: DateWindow,
    entries: readonly OperationLogEntry[],
    startedAt: number,
    lock: ArchiveLock,
    opts: SyncOptions,
    result: SyncResult,
  ): Promise<void> {
    const step = this.opts.step;
    const completeBefore = todayUtc(startedAt);
    const byDay = new Map<string, OperationLogEntry[]>();
    for (const d of daysOf(w.from, w.to)) byDay.set(d, []);
    for (const e of entries) {
      const day = utcDayOf(e.time);
      if (!day) {
        result.entriesWithoutDay++;
        continue;
      }
      const list = byDay.get(day);
      if (!list) result.entriesOutsideWindow++;
      else list.push(e);
    }
    await lock.assertHeld();
    const syncedAt = new Date(this.now()).toISOString();
    const journal: Journal = { createdAt: syncedAt, pid: process.pid, days: {} };
    const temps = new Map<string, string>();
    const updates = new Map<string, DayRecord>();
    // Reported only once the window is committed.
    const added: OperationLogEntry[] = [];
    for (const [day, list] of byDay) {
      const file = dayFilePath(this.dir, day);
      const current = this.m.days[day];
      const onDisk = await fileHash(file);
      const expected = current ? current.sha256 : null;
      if (onDisk !== expected && !opts.overwriteDamaged) {
        result.damagedDays.push(
          damage(day, !current || current.sha256 === null ? 'unlisted' : onDisk === null ? 'missing' : 'modified'),
        );
        continue;
      }
      const raw = list.map(entryLine);
      const lines = canonicalOrder(result.added ? raw.slice() : raw);
      const categories: Record<string, number> = {};
      for (const e of list) categories[e.categoryType] = (categories[e.categoryType] ?? 0) + 1;
      const gz = lines.length ? await encodeDay(lines) : undefined;
      const record: DayRecord = {
        entries: lines.length,
        sha256: gz ? sha256(gz) : null,
        bytes: gz ? gz.length : 0,
        syncedAt,
        complete: day < completeBefore,
        categories,
      };
      updates.set(day, record);
      if (record.sha256 !== onDisk && result.added && onDisk === expected) {
        added.push(...(await addedEntries(file, onDisk, list, raw)));
      }
      if (record.sha256 !== onDisk) {
        journal.days[day] = { before: onDisk, after: record };
        if (gz) {
          await mkdirDurable(path.dirname(file), step);
          temps.set(day, await writeTemp(file, gz, step));
        }
      }
    }
    const changed = Object.keys(journal.days);
    if (changed.length) {
      await lock.assertHeld();
      await writeJournal(this.dir, journal, step);
      const dirs = new Set<string>();
      for (const day of changed) {
        const file = dayFilePath(this.dir, day);
        const tmp = temps.get(day);
        if (tmp) await renameInto(tmp, file, step);
        else {
          step?.(`unlink ${path.basename(file)}`);
          await fsp.rm(file, { force: true });
        }
        dirs.add(path.dirname(file));
      }
      for (const d of dirs) await fsyncDir(d, step);
    }
    if (updates.size) {
      const nextManifest: Manifest = { ...this.m, days: { ...this.m.days } };
      for (const [d, r] of updates) nextManifest.days[d] = r;
      await writeManifest(this.dir, nextManifest, step);
      this.m = nextManifest;
    }
    if (changed.length) {
      await removeJournal(this.dir, step);
      await fsyncDir(this.dir, step);
    }
    result.daysWritten += updates.size;
    result.daysChanged += changed.length;
    for (const e of added) result.added?.push(e);
  }

  /**
   * Entries of the archived days in [from, to], newest first, read from disk only (no
   * request, whatever the age of the days). Days whose file does not match the manifest
   * are skipped and listed in `damaged`.
   */
  async readRange(from: string, to: string): Promise<ReadResult> {
    await this.reload();
    const journal = await readJournal(this.dir).catch(() => undefined);
    const days = Object.keys(this.m.days)
      .filter((d) => d >= from && d <= to)
      .sort()
      .reverse();
    const out: ReadResult = { entries: [], days: [], damaged: [] };
    for (const day of days) {
      const rec = this.m.days[day];
      out.days.push(day);
      if (!rec.sha256) continue;
      const buf = await readIfExists(dayFilePath(this.dir, day));
      const h = buf ? sha256(buf) : null;
      if (!buf || (h !== rec.sha256 && h !== journal?.days[day]?.after.sha256)) {
        // A sync may have committed this day since the manifest was read: check once more.
        const now = (await readManifest(this.dir)).days[day];
        if (!buf || !now || now.sha256 !== h) {
          out.damaged.push(damage(day, buf ? 'modified' : 'missing'));
          continue;
        }
      }
      const lines = await decodeDayLines(buf);
      for (let i = lines.length - 1; i >= 0; i--) out.entries.push(parseLine(lines[i]));
    }
    return out;
  }

  /** Per-day, per-category counts from the manifest alone (no file is read), newest first. */
  dayCounts(from: string, to: string): DayCounts[] {
    return Object.keys(this.m.days)
      .filter((d) => d >= from && d <= to)
      .sort()
      .reverse()
      .map((day) => {
        const r = this.m.days[day];
        return { day, entries: r.entries, complete: r.complete, categories: r.categories };
      });
  }

  /** Checks every day file against the manifest and looks for day files the manifest does not list. */
  async verify(): Promise<VerifyResult> {
    await this.reload();
    const journal = await readJournal(this.dir);
    const damaged: DamagedDay[] = [];
    const days = Object.keys(this.m.days).sort();
    for (const day of days) {
      const rec = this.m.days[day];
      const h = await fileHash(dayFilePath(this.dir, day));
      if (h === rec.sha256 || (journal && h === journal.days[day]?.after.sha256)) continue;
      damaged.push(damage(day, h === null ? 'missing' : rec.sha256 === null ? 'unlisted' : 'modified'));
    }
    for (const rel of await listDayFiles(this.dir)) {
      const day = dayOfRelativePath(rel);
      if (day && !this.m.days[day] && !journal?.days[day]) damaged.push(damage(day, 'unlisted'));
    }
    damaged.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    return { ok: damaged.length === 0, checkedDays: days.length, damaged, interruptedCommit: !!journal };
  }
}

/**
 * The entries of `list` (whose lines are `raw`) that the day's file (SHA-256 `before`, null: no
 * file) did not hold: a multiset difference, so a second identical entry in the same second is
 * new when the file held one.
 */
async function addedEntries(
  file: string,
  before: string | null,
  list: readonly OperationLogEntry[],
  raw: readonly string[],
): Promise<OperationLogEntry[]> {
  const buf = before === null ? undefined : await readIfExists(file);
  if (before !== null && (!buf || sha256(buf) !== before)) return []; // changed meanwhile: nothing to compare with
  const held = new Map<string, number>();
  for (const line of buf ? await decodeDayLines(buf) : []) held.set(line, (held.get(line) ?? 0) + 1);
  const out: OperationLogEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const n = held.get(raw[i]) ?? 0;
    if (n > 0) held.set(raw[i], n - 1);
    else out.push(list[i]);
  }
  return out;
}

/**
 * The first day from which Zoom answers a request ending at `w.to`, after it refused `w.from`
 * as older than its horizon; undefined when it refuses the whole window. Binary search over
 * the days (at most 6 requests for a month), one entry per request.
 */
async function firstAcceptedDay(client: ZoomClient, w: DateWindow, signal: AbortSignal): Promise<string | undefined> {
  const accepts = async (from: string): Promise<boolean> => {
    try {
      await client.fetchPage({ from, to: w.to, categoryType: 'all', pageSize: 1 }, signal);
      return true;
    } catch (e) {
      if (e instanceof ZoomError && e.kind === 'horizon') return false;
      throw e;
    }
  };
  const days = daysOf(w.from, w.to);
  if (days.length < 2 || !(await accepts(w.to))) return undefined;
  let lo = 0; // refused
  let hi = days.length - 1; // accepted
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await accepts(days[mid])) hi = mid;
    else lo = mid;
  }
  return days[hi];
}

/** Relative paths (`YYYY/MM/YYYY-MM-DD.ndjson.gz`) of the day files on disk. */
export async function listDayFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const years = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const y of years.filter((n) => /^\d{4}$/.test(n))) {
    const months = await fsp.readdir(path.join(dir, y)).catch(() => [] as string[]);
    for (const mo of months.filter((n) => /^\d{2}$/.test(n))) {
      const files = await fsp.readdir(path.join(dir, y, mo)).catch(() => [] as string[]);
      for (const f of files) if (f.endsWith('.ndjson.gz') && !f.startsWith('.')) out.push(`${y}/${mo}/${f}`);
    }
  }
  return out.sort();
}
