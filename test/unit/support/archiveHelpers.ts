/** Shared by the archive tests: temp folders, entries, a simulator-backed client. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type SimEntry, type Simulator } from '../../simulator/index';

/** 2026-11-15 12:00:00 UTC: mid-month, so one day either side stays in the same month window. */
export const T0 = Date.UTC(2026, 10, 15, 12, 0, 0);
export const DAY_MS = 86_400_000;

const made: string[] = [];

/**
 * Temp folders live on tmpfs (/dev/shm) when there is one: every commit fsyncs, and fsync and
 * unlink of fsynced files cost tens of ms each on a busy disk. A process killed with SIGKILL
 * loses nothing the kernel already has, so the crash tests mean the same on tmpfs.
 */
const base = ((): string => {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
})();

export function tempDir(label = 'archive'): string {
  const d = fs.mkdtempSync(path.join(base, `zoom-${label}-`));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function entry(time: string, detail: string, extra: Partial<SimEntry> = {}): SimEntry {
  return {
    time,
    operator: 'admin@example.com',
    category_type: 'User',
    action: 'Update',
    operation_detail: detail,
    ...extra,
  };
}

export function copies(n: number, e: SimEntry): SimEntry[] {
  return Array.from({ length: n }, () => ({ ...e }));
}

/**
 * Inside a `describe`: a `start(options)` that starts a simulator (no rate limit unless asked) and closes
 * every one it started after each test, and the temp folders after the suite.
 */
export function simulatorsPerTest(): (o: Parameters<typeof startSimulator>[0]) => Promise<Simulator> {
  const sims: Simulator[] = [];
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.close();
  });
  after(removeTempDirs);
  return async (o) => {
    const s = await startSimulator({ rps: 0, ...o });
    sims.push(s);
    return s;
  };
}
