/**
 * One writer per archive: `archive.lock`, created exclusively (see createExclusive: a hard
 * link of a fully written temp file, or O_EXCL 'wx' where links are unsupported) and holding
 * {pid, hostname, createdAt, token}. Its mtime is refreshed while the holder works.
 *
 * A lock is stale, and may be broken, when
 *  - its host is this machine and its pid is not running (a crash or kill -9), or
 *  - its mtime is older than `staleMs` (default 10 min; covers other machines on a shared drive
 *    and a holder that hangs), or
 *  - it is empty or unreadable and older than 5 s (only possible with the O_EXCL fallback:
 *    a crash between create and write).
 * Breaking is serialised by a second O_EXCL file, `archive.lock.break`, and only removes the
 * lock whose content was judged stale, so two breakers cannot both win.
 * Manual recovery: when no sync is running, deleting `archive.lock` is always safe.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArchiveError } from './errors';
import { l10n } from '../l10n';

export const LOCK_FILE = 'archive.lock';
/** `archive.lock.<rand>.new`: a lock being created (hard-linked to LOCK_FILE, then removed). */
export const LOCK_CANDIDATE_SUFFIX = '.new';
export const DEFAULT_STALE_MS = 10 * 60_000;
const UNREADABLE_STALE_MS = 5_000;
const BREAKER_STALE_MS = 30_000;

export interface LockInfo {
  pid: number;
  hostname: string;
  createdAt: string;
  token: string;
}

export interface LockOptions {
  staleMs?: number;
  /** How long to wait for another holder to finish (default 0: fail at once). */
  waitMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLock(raw: string): LockInfo | undefined {
  try {
    const o = JSON.parse(raw) as LockInfo;
    return typeof o.pid === 'number' && typeof o.token === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

export class ArchiveLock {
  private heartbeat?: NodeJS.Timeout;
  private released = false;

  private constructor(
    readonly file: string,
    readonly info: LockInfo,
  ) {}

  static async acquire(dir: string, opts: LockOptions = {}): Promise<ArchiveLock> {
    const file = path.join(dir, LOCK_FILE);
    const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
    const now = opts.now ?? Date.now;
    const deadline = Date.now() + (opts.waitMs ?? 0);
    for (let attempt = 0; ; attempt++) {
      if (opts.signal?.aborted) {
        throw new ArchiveError('locked', l10n.t('Cancelled while waiting for the archive lock.'));
      }
      const info: LockInfo = {
        pid: process.pid,
        hostname: os.hostname(),
        createdAt: new Date(now()).toISOString(),
        token: randomBytes(12).toString('hex'),
      };
      if (await ArchiveLock.createExclusive(file, JSON.stringify(info))) {
        const lock = new ArchiveLock(file, info);
        lock.startHeartbeat(staleMs);
        return lock;
      }
      const holder = await ArchiveLock.inspect(file, staleMs);
      if (holder.stale) {
        await ArchiveLock.breakStale(file, holder.raw);
        continue;
      }
      if (Date.now() >= deadline || attempt > 10_000) {
        const who = holder.info
          ? holder.info.hostname === os.hostname()
            ? l10n.t('process {0} on this computer, since {1}', holder.info.pid, holder.info.createdAt)
            : l10n.t('process {0} on host {1}, since {2}', holder.info.pid, holder.info.hostname, holder.info.createdAt)
          : l10n.t('another process');
        throw new ArchiveError(
          'locked',
          l10n.t(
            'Another sync ({0}) is writing this archive. Wait for it to finish and try again. If no sync is running, delete the file {1}.',
            who,
            file,
          ),
        );
      }
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 50)));
    }
  }

  /**
   * Creates the lock file only if none exists, with its whole content at once: the content is
   * written to a temp file that is hard-linked to the lock's name (link fails with EEXIST like
   * an O_EXCL create, and a lock is never seen half-written, even after a kill -9). Where hard
   * links are not supported, an O_EXCL ('wx') create followed by the write.
   */
  private static async createExclusive(file: string, content: string): Promise<boolean> {
    // Not a `.tmp-` name: a syncer holding the lock deletes those as crash leftovers.
    const tmp = `${file}.${randomBytes(6).toString('hex')}${LOCK_CANDIDATE_SUFFIX}`;
    await fsp.writeFile(tmp, content, { flag: 'wx', mode: 0o644 });
    try {
      await fsp.link(tmp, file);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw e;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
    try {
      const fh = await fsp.open(file, 'wx', 0o644);
      try {
        await fh.writeFile(content);
      } finally {
        await fh.close();
      }
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  /** What the current lock file says, and whether it is stale. */
  static async inspect(
    file: string,
    staleMs = DEFAULT_STALE_MS,
  ): Promise<{ raw?: string; info?: LockInfo; stale: boolean }> {
    let raw: string;
    let mtimeMs: number;
    try {
      raw = await fsp.readFile(file, 'utf8');
      mtimeMs = (await fsp.stat(file)).mtimeMs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { stale: false };
      throw e;
    }
    const info = parseLock(raw);
    const age = Date.now() - mtimeMs;
    if (!info) return { raw, stale: age > UNREADABLE_STALE_MS };
    const deadHere = info.hostname === os.hostname() && !pidAlive(info.pid);
    return { raw, info, stale: deadHere || age > staleMs };
  }

  private static async breakStale(file: string, seen: string | undefined): Promise<void> {
    const breaker = `${file}.break`;
    let fh;
    try {
      fh = await fsp.open(breaker, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await fsp.stat(breaker).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > BREAKER_STALE_MS) await fsp.rm(breaker, { force: true });
      await new Promise((r) => setTimeout(r, 20));
      return;
    }
    try {
      const now = await fsp.readFile(file, 'utf8').catch(() => undefined);
      if (now !== undefined && now === seen) await fsp.rm(file, { force: true });
    } finally {
      await fh.close();
      await fsp.rm(breaker, { force: true });
    }
  }

  private startHeartbeat(staleMs: number): void {
    const every = Math.max(1000, Math.floor(staleMs / 4));
    this.heartbeat = setInterval(() => {
      const t = new Date();
      fsp.utimes(this.file, t, t).catch(() => undefined);
    }, every);
    this.heartbeat.unref();
  }

  /** Throws when the lock file is no longer ours (another syncer judged us stale and took over). */
  async assertHeld(): Promise<void> {
    const raw = await fsp.readFile(this.file, 'utf8').catch(() => '');
    if (this.released || parseLock(raw)?.token !== this.info.token) {
      throw new ArchiveError(
        'lockLost',
        l10n.t(
          'Another sync took over this archive because this one looked stalled; this sync stopped without writing more. Run the sync again.',
        ),
      );
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const raw = await fsp.readFile(this.file, 'utf8').catch(() => '');
    if (parseLock(raw)?.token === this.info.token) await fsp.rm(this.file, { force: true });
  }
}
