/**
 * Durable file operations: every write goes to a temp file that is fsynced, then
 * renamed over the target, then the directory is fsynced, so a crash leaves
 * either the old file or the new one, never a torn one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** Called before every change to the disk with its kind and file name (`rename 2026-11-15.ndjson.gz`); tests crash at chosen steps. */
export type StepHook = (step: string) => void;

/** Temp files carry this marker; anything with it is a crash leftover once the lock is held. */
export const TEMP_MARKER = '.tmp-';

export function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** Writes `data` to a new temp file next to `target` and fsyncs it; returns the temp path. */
export async function writeTemp(target: string, data: Buffer | string, step?: StepHook): Promise<string> {
  return writeTempWith(target, step, (fh) => fh.writeFile(data));
}

/** What writeChunksAtomic wrote. */
export interface WrittenFile {
  bytes: number;
  sha256: string;
}

export interface ChunkWriteOptions {
  step?: StepHook;
  /** Stops between chunks: the temp file is deleted and the target left as it was. */
  signal?: AbortSignal;
  /** Bytes written so far, after each chunk. */
  onBytes?: (bytes: number) => void;
}

/**
 * Writes the chunks (UTF-8) as `target` the way writeFileAtomic does (temp file, fsync, rename, fsync dir), one
 * chunk at a time, so a file larger than one string can hold is written; returns its size and SHA-256.
 */
export async function writeChunksAtomic(
  target: string,
  chunks: Iterable<string>,
  opts: ChunkWriteOptions = {},
): Promise<WrittenFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tmp = await writeTempWith(target, opts.step, async (fh) => {
    for (const chunk of chunks) {
      opts.signal?.throwIfAborted();
      const buf = Buffer.from(chunk); // UTF-8
      hash.update(buf);
      await fh.writeFile(buf); // at the current position, every byte (write() may write fewer)
      bytes += buf.length;
      opts.onBytes?.(bytes);
    }
    opts.signal?.throwIfAborted();
  });
  await renameAndSync(tmp, target, opts.step);
  return { bytes, sha256: hash.digest('hex') };
}

async function writeTempWith(
  target: string,
  step: StepHook | undefined,
  write: (fh: fsp.FileHandle) => Promise<unknown>,
): Promise<string> {
  const tmp = tempPathFor(target);
  const name = path.basename(target);
  step?.(`temp-create ${name}`);
  const fh = await fsp.open(tmp, 'wx', 0o644);
  try {
    step?.(`temp-write ${name}`);
    await write(fh);
    step?.(`temp-fsync ${name}`);
    await fh.sync();
  } catch (e) {
    // A refused write (a full disk) must not leave a half file taking the space.
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  return tmp;
}

export async function fsyncDir(dir: string, step?: StepHook): Promise<void> {
  step?.(`dir-fsync ${path.basename(dir)}`);
  let fh;
  try {
    fh = await fsp.open(dir, 'r');
  } catch {
    return; // some platforms (Windows) cannot open directories; rename is still atomic there
  }
  try {
    await fh.sync();
  } catch {
    /* EINVAL/EPERM on file systems without directory fsync */
  } finally {
    await fh.close();
  }
}

export async function renameInto(tmp: string, target: string, step?: StepHook): Promise<void> {
  step?.(`rename ${path.basename(target)}`);
  await fsp.rename(tmp, target);
}

/** temp file, fsync, rename, fsync dir. */
export async function writeFileAtomic(target: string, data: Buffer | string, step?: StepHook): Promise<void> {
  await renameAndSync(await writeTemp(target, data, step), target, step);
}

async function renameAndSync(tmp: string, target: string, step?: StepHook): Promise<void> {
  try {
    await renameInto(tmp, target, step);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(path.dirname(target), step);
}

/** Creates a directory (and its parents), fsyncing each parent whose listing changed. */
export async function mkdirDurable(dir: string, step?: StepHook): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fsp.stat(d);
      break;
    } catch {
      missing.unshift(d);
      if (path.dirname(d) === d) break;
    }
  }
  if (!missing.length) return;
  step?.(`mkdir ${dir}`);
  await fsp.mkdir(dir, { recursive: true });
  for (const d of missing) await fsyncDir(path.dirname(d), step);
}

export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
