/**
 * Crash safety for real: a child process (test/archive/syncChild.ts) syncs against a simulator
 * the parent started and is killed with SIGKILL at a random point, either just before its n-th
 * change to the disk (ARCHIVE_KILL_AT_STEP) or after a random delay. The parent then opens the
 * archive, syncs, and checks every entry is there exactly once. Plus two child syncers at once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Archive, LOCK_FILE } from '../../src/archive';
import { addDays, todayUtc } from '../../src/zoom/dates';
import { mulberry32 } from '../simulator/data';
import { startSimulator, type SimEntry, type Simulator } from '../simulator/index';
import { assertSameMultiset, staticClient } from './support/helpers';
import { copies, entry, removeTempDirs, tempDir } from './support/archiveHelpers';

const CHILD = path.join(__dirname, '..', 'archive', 'syncChild.js');
const RUNS = 50;

interface ChildOutcome {
  signal: NodeJS.Signals | null;
  code: number | null;
  ms: number;
  out?: { steps: number; error?: string; result?: { entriesFetched: number } };
}

function runChild(
  dir: string,
  sim: Simulator,
  env: Record<string, string> = {},
  killAfterMs?: number,
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, ARCHIVE_DIR: dir, ARCHIVE_API_BASE: sim.apiBaseUrl, ARCHIVE_TOKEN: sim.token, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const killer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (killer) clearTimeout(killer);
      const line = out.split('\n').find((l) => l.startsWith('SYNC-CHILD '));
      if (code !== null && code !== 0) return reject(new Error(`child exited ${code}: ${err.slice(-1500)}`));
      resolve({ signal, code, ms: Date.now() - started, out: line ? JSON.parse(line.slice(11)) : undefined });
    });
  });
}

/** Small data near today (few day files, so a run is short) with identical same-second entries. */
function makeData(now: number): { a: SimEntry[]; b: SimEntry[] } {
  const rng = mulberry32(77);
  const today = todayUtc(now);
  const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const a: SimEntry[] = [];
  for (let i = 0; i < 240; i++) {
    const t = iso(now - rng() * 8 * 86_400_000);
    a.push(
      entry(t, `Update User u${i % 37}@example.com - Job Title: set to ${i % 5}`, { operator: `op${i % 4}@x.com` }),
    );
  }
  for (let i = 0; i < 15; i++) a.push(entry(iso(now - (10 + i * 11) * 86_400_000), `older ${i}`));
  a.push(...copies(3, entry(`${addDays(today, -2)}T12:00:00Z`, 'Deactivate User same@example.com')));
  // B: A plus late entries for yesterday, more of today, and more identical ones.
  const b = [
    ...a,
    ...copies(2, entry(`${addDays(today, -1)}T23:59:59Z`, 'late arrival')),
    ...Array.from({ length: 30 }, (_, i) => entry(iso(now - rng() * 3_600_000), `new ${i % 9}`)),
  ];
  return { a, b };
}

describe('Archive crash safety with kill -9 (child processes)', function () {
  this.timeout(120_000);
  let simA: Simulator;
  let simB: Simulator;
  before(async () => {
    const { a, b } = makeData(Date.now());
    simA = await startSimulator({ data: a, rps: 0 });
    simB = await startSimulator({ data: b, rps: 0 });
  });
  after(async () => {
    await simA?.close();
    await simB?.close();
    removeTempDirs();
  });

  const assertExact = async (dir: string, label: string): Promise<void> => {
    const archive = await Archive.open(dir);
    await archive.sync(staticClient(simB));
    const v = await archive.verify();
    assert.ok(v.ok && !v.interruptedCommit, `${label}: ${JSON.stringify(v.damaged.slice(0, 3))}`);
    assertSameMultiset((await archive.readRange('2000-01-01', '2100-01-01')).entries, simB.data, label);
    const left = fs.readdirSync(dir, { recursive: true }) as string[];
    assert.ok(
      !left.some((f) => f.includes('.tmp-') || f === 'journal.json' || f === LOCK_FILE),
      `${label}: leftovers ${left.join(',')}`,
    );
  };

  it(`${RUNS} syncs killed at random points (disk step or time): the next sync completes, every entry exactly once`, async () => {
    const started = Date.now();
    // The incremental runs start from an archive synced with A; B adds entries to yesterday and today.
    const base = tempDir('crash-base');
    await (await Archive.open(base)).sync(staticClient(simA));

    // An undisturbed child of each kind gives the number of disk steps and the duration to draw from.
    const probe = { fresh: tempDir('crash'), incremental: tempDir('crash') };
    fs.cpSync(base, probe.incremental, { recursive: true });
    const full = {
      fresh: await runChild(probe.fresh, simB),
      incremental: await runChild(probe.incremental, simB),
    };
    for (const k of ['fresh', 'incremental'] as const) {
      assert.ok(full[k].out?.result, `${k} child: ${JSON.stringify(full[k].out)}`);
      assert.ok((full[k].out?.steps ?? 0) > 5, `${k}: ${full[k].out?.steps} steps`);
      await assertExact(probe[k], `undisturbed ${k}`);
    }

    const rng = mulberry32(2026);
    const stats = { killedByStep: 0, killedByTimer: 0, finished: 0, journalLeft: 0, tempLeft: 0, lockLeft: 0 };
    for (let i = 0; i < RUNS && Date.now() - started < 100_000; i++) {
      const kind = i % 2 ? 'incremental' : 'fresh';
      const dir = tempDir('crash');
      if (kind === 'incremental') fs.cpSync(base, dir, { recursive: true });
      const byStep = i % 4 < 2;
      const step = 1 + Math.floor(rng() * (full[kind].out?.steps ?? 1));
      const o = byStep
        ? await runChild(dir, simB, { ARCHIVE_KILL_AT_STEP: String(step) })
        : await runChild(dir, simB, {}, Math.floor(rng() * full[kind].ms));
      if (o.signal === 'SIGKILL') stats[byStep ? 'killedByStep' : 'killedByTimer']++;
      else stats.finished++;
      if (byStep) assert.equal(o.signal, 'SIGKILL', `run ${i}: the child was to die at step ${step}`);
      const left = fs.readdirSync(dir, { recursive: true }) as string[];
      if (left.includes('journal.json')) stats.journalLeft++;
      if (left.some((f) => f.includes('.tmp-'))) stats.tempLeft++;
      if (left.includes(LOCK_FILE)) stats.lockLeft++;
      await assertExact(dir, `run ${i} (${kind}, ${byStep ? `step ${step}` : 'timer'})`);
    }
    const runs = stats.killedByStep + stats.killedByTimer + stats.finished;
    console.log(`      ${runs} runs in ${Date.now() - started} ms: ${JSON.stringify(stats)}`);
    assert.equal(runs, RUNS, 'all runs within the time bound');
    // The kills really landed inside commits: some left a journal, temp files and a dead holder's lock.
    assert.ok(stats.journalLeft >= 3 && stats.tempLeft >= 3 && stats.lockLeft >= 10, JSON.stringify(stats));
  });

  it('two child processes syncing one archive at once leave it exact', async () => {
    for (const wait of ['20000', '0']) {
      const dir = tempDir('concurrent');
      const [x, y] = await Promise.all([
        runChild(dir, simB, { ARCHIVE_LOCK_WAIT_MS: wait }),
        runChild(dir, simB, { ARCHIVE_LOCK_WAIT_MS: wait }),
      ]);
      for (const o of [x, y]) {
        assert.equal(o.signal, null);
        assert.ok(o.out?.result || o.out?.error === 'locked', JSON.stringify(o.out));
      }
      if (wait !== '0') assert.ok(x.out?.result && y.out?.result, 'both finish when they may wait');
      await assertExact(dir, `two children, lock wait ${wait} ms`);
    }
  });
});
