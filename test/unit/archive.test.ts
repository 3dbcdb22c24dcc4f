/** The archive on disk: format, exactly-once sync, damage detection, locks, coverage, reading, evidence packs. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import {
  Archive,
  ArchiveError,
  archiveRootOf,
  coverage,
  diskError,
  exportEvidencePack,
  LINE_FIELDS,
  listDayFiles,
  LOCK_FILE,
  verifyEvidencePack,
  type Manifest,
} from '../../src/archive';
import { generateEntries } from '../simulator/data';
import type { SimEntry, Simulator } from '../simulator/index';
import { addDays, horizonStart, todayUtc } from '../../src/zoom/dates';
import { ZoomError } from '../../src/zoom/errors';
import { assertSameMultiset, rejectsZoom, reportRequests, staticClient } from './support/helpers';
import { copies, DAY_MS, entry, simulatorsPerTest, T0, tempDir } from './support/archiveHelpers';
import { archivedEntry } from './support/memorySources';
import { formatEntries } from '../../src/export/formats';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('Archive', function () {
  this.timeout(30_000);
  const start = simulatorsPerTest();
  const open = (dir: string, sim: Simulator, extra: Parameters<typeof Archive.open>[1] = {}): Promise<Archive> =>
    Archive.open(dir, { now: () => sim.clock.now(), ...extra });

  it('writes YYYY/MM/YYYY-MM-DD.ndjson.gz files in the documented format, with a manifest that matches them', async () => {
    const sim = await start({ seed: 3, entries: 3000, now: T0, hostile: true });
    const dir = tempDir();
    const archive = await open(dir, sim);
    const today = todayUtc(T0);
    const r = await archive.sync(staticClient(sim));
    assert.equal(r.from, horizonStart(today), 'the first sync starts at the six-month horizon');
    assert.equal(r.to, today);
    assert.deepEqual(r.refusedDays, []);

    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(manifest.order, 'oldest-first');
    const files = await listDayFiles(dir);
    const withEntries = Object.entries(manifest.days).filter(([, d]) => d.entries > 0);
    assert.equal(files.length, withEntries.length, 'one file per day with entries');
    const all: string[] = [];
    for (const rel of files) {
      const day = path.basename(rel).slice(0, 10);
      assert.equal(rel, `${day.slice(0, 4)}/${day.slice(5, 7)}/${day}.ndjson.gz`);
      const bytes = fs.readFileSync(path.join(dir, rel));
      const rec = manifest.days[day];
      assert.ok(rec, `${day} is in the manifest`);
      assert.equal(rec.sha256, sha(bytes), `${day}: SHA-256 of the file bytes`);
      assert.equal(rec.bytes, bytes.length);
      const text = gunzipSync(bytes).toString('utf8');
      assert.ok(text.endsWith('\n'));
      const lines = text.slice(0, -1).split('\n');
      assert.equal(lines.length, rec.entries, `${day}: count`);
      const cats: Record<string, number> = {};
      let prev = '';
      for (const line of lines) {
        const o = JSON.parse(line) as Record<string, string>;
        assert.deepEqual(Object.keys(o), [...LINE_FIELDS], 'exactly Zoom’s five fields, in Zoom’s order');
        for (const k of LINE_FIELDS) assert.equal(typeof o[k], 'string');
        assert.equal(o.time.slice(0, 10), day, 'UTC day');
        assert.ok(o.time >= prev, 'oldest first');
        prev = o.time;
        cats[o.category_type] = (cats[o.category_type] ?? 0) + 1;
        all.push(line);
      }
      assert.deepEqual(rec.categories, cats, `${day}: counts by category_type`);
    }
    assert.equal(all.length, sim.data.length);
    for (const [day, rec] of Object.entries(manifest.days)) assert.equal(rec.complete, day < today, day);
    const read = await archive.readRange('2000-01-01', today);
    assertSameMultiset(read.entries, sim.data, 'read back');
    assert.ok((await archive.verify()).ok);
  });

  it('stores each entry exactly once across overlapping syncs, identical same-second entries as often as Zoom sent them', async () => {
    const day0 = todayUtc(T0);
    const yesterday = addDays(day0, -1);
    const dupY = entry(`${yesterday}T10:00:00Z`, 'Deactivate User a@example.com');
    const dupT = entry(`${day0}T08:00:00Z`, 'Activate User b@example.com');
    const base = [...generateEntries({ seed: 5, count: 1500, now: T0 }), ...copies(3, dupY), ...copies(2, dupT)];
    const sim1 = await start({ data: base, now: T0 });
    const dir = tempDir();
    const r1 = await (await open(dir, sim1)).sync(staticClient(sim1));
    assert.equal(r1.entriesFetched, base.length);

    // One day later: a late entry for yesterday (a 4th identical copy), more of today's identical
    // entries after the first sync, and 500 new entries in all.
    const T1 = T0 + DAY_MS;
    const day1 = todayUtc(T1);
    const fresh: SimEntry[] = [
      ...copies(1, dupY),
      ...copies(2, dupT),
      ...copies(3, entry(`${day1}T01:02:03Z`, 'Delete User c@example.com', { action: 'Delete' })),
    ];
    for (let i = fresh.length; i < 500; i++) {
      const t = new Date(T0 + 60_000 + (i * (T1 - T0 - 120_000)) / 500).toISOString().replace(/\.\d+Z$/, 'Z');
      fresh.push(entry(t, `Update User u${i}@example.com - Job Title: set to X`));
    }
    const data2 = [...base, ...fresh];
    const sim2 = await start({ data: data2, now: T1 });
    const archive = await open(dir, sim2);
    const r2 = await archive.sync(staticClient(sim2));
    assert.equal(r2.from, yesterday, 'starts at the last complete day (one overlapping day)');
    assert.equal(r2.to, day1);
    assert.ok(r2.requests <= 3, `incremental sync of 500 new entries took ${r2.requests} requests`);
    const read = await archive.readRange('2000-01-01', day1);
    assertSameMultiset(read.entries, data2, 'after the overlapping sync');
    const same = (e: SimEntry): number =>
      read.entries.filter((x) => x.time === e.time && x.operationDetail === e.operation_detail).length;
    assert.equal(same(dupY), 4);
    assert.equal(same(dupT), 4);

    // Nothing new: a third sync changes no file and stores nothing twice.
    const r3 = await archive.sync(staticClient(sim2));
    assert.equal(r3.from, day0);
    assert.equal(r3.daysChanged, 0);
    assertSameMultiset((await archive.readRange('2000-01-01', day1)).entries, data2, 'after a sync with nothing new');
  });

  it('reports a tampered, a deleted and a foreign day file and does not rewrite them unless asked', async () => {
    const sim = await start({ seed: 8, entries: 2000, now: T0 });
    const dir = tempDir();
    const archive = await open(dir, sim);
    await archive.sync(staticClient(sim));
    const today = todayUtc(T0);
    const yesterday = addDays(today, -1);
    const m = archive.manifest;
    const tampered = yesterday; // inside the next sync's range (the overlap day)
    assert.ok(m.days[tampered].entries > 0);
    const file = path.join(dir, tampered.slice(0, 4), tampered.slice(5, 7), `${tampered}.ndjson.gz`);
    const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n');
    const forged = gzipSync(Buffer.from(`${lines.slice(1).join('\n')}\n`));
    fs.writeFileSync(file, forged);
    const older = Object.keys(m.days)
      .filter((d) => m.days[d].entries > 0 && d < addDays(today, -20))
      .sort()[0];
    fs.rmSync(path.join(dir, older.slice(0, 4), older.slice(5, 7), `${older}.ndjson.gz`));
    const emptyDay = Object.keys(m.days).find((d) => m.days[d].entries === 0 && d < yesterday);
    if (emptyDay) {
      fs.mkdirSync(path.join(dir, emptyDay.slice(0, 4), emptyDay.slice(5, 7)), { recursive: true });
      fs.writeFileSync(path.join(dir, emptyDay.slice(0, 4), emptyDay.slice(5, 7), `${emptyDay}.ndjson.gz`), forged);
    }

    const v = await archive.verify();
    assert.equal(v.ok, false);
    const found = Object.fromEntries(v.damaged.map((d) => [d.day, d.problem]));
    assert.equal(found[tampered], 'modified');
    assert.equal(found[older], 'missing');
    if (emptyDay) assert.equal(found[emptyDay], 'unlisted');
    assert.match(v.damaged[0].message, /left as it is/);

    const r = await archive.sync(staticClient(sim));
    assert.deepEqual(
      r.damagedDays.map((d) => d.day),
      [tampered],
    );
    assert.deepEqual(fs.readFileSync(file), forged, 'the tampered file was not silently rewritten');
    const read = await archive.readRange(tampered, tampered);
    assert.deepEqual(
      read.damaged.map((d) => d.problem),
      ['modified'],
    );
    assert.equal(read.entries.length, 0);

    const fixed = await archive.sync(staticClient(sim), { overwriteDamaged: true });
    assert.deepEqual(fixed.damagedDays, []);
    assertSameMultiset(
      (await archive.readRange(tampered, tampered)).entries,
      sim.expected({ from: tampered, to: tampered }),
      'refetched day',
    );
  });

  describe('crash safety (in process, every step of a commit)', () => {
    /** A folder holding a first sync of `data`, made on day T0. */
    async function syncedAtT0(data: SimEntry[]): Promise<string> {
      const sim = await start({ data, now: T0 });
      const dir = tempDir();
      await (await open(dir, sim)).sync(staticClient(sim));
      return dir;
    }

    /** The disk steps of an undisturbed sync of `sim` into a copy of `baseDir`, in order. */
    async function stepsOfSync(baseDir: string, sim: Simulator): Promise<string[]> {
      const names: string[] = [];
      const probe = tempDir();
      fs.cpSync(baseDir, probe, { recursive: true });
      await (await open(probe, sim, { step: (s) => names.push(s) })).sync(staticClient(sim));
      return names;
    }

    /** The next sync completes what was interrupted: verify passes, every entry once, no journal or temp file. */
    async function assertNextSyncExact(dir: string, sim: Simulator, data: SimEntry[], label: string): Promise<void> {
      const again = await open(dir, sim);
      await again.sync(staticClient(sim));
      const v = await again.verify();
      assert.ok(v.ok, `${label}: ${JSON.stringify(v.damaged)}`);
      assertSameMultiset((await again.readRange('2000-01-01', '2100-01-01')).entries, data, label);
      const left = fs.readdirSync(dir);
      assert.ok(
        !left.includes('journal.json') && !left.some((f) => f.includes('.tmp-')),
        `${label}: ${left.join(',')}`,
      );
    }

    it('a sync that stops at any disk step leaves an archive the next sync completes exactly once', async function () {
      this.timeout(60_000);
      const day0 = todayUtc(T0);
      const base = [
        ...generateEntries({ seed: 9, count: 600, now: T0 }),
        ...copies(2, entry(`${day0}T00:00:05Z`, 'x')),
      ];
      const baseDir = await syncedAtT0(base);
      const T1 = T0 + DAY_MS;
      const data2 = [
        ...base,
        ...copies(3, entry(`${addDays(day0, -1)}T23:59:59Z`, 'late')),
        ...copies(2, entry(`${day0}T00:00:05Z`, 'x')),
        ...Array.from({ length: 40 }, (_, i) => entry(`${todayUtc(T1)}T00:0${i % 10}:00Z`, `new ${i % 7}`)),
      ];
      const sim2 = await start({ data: data2, now: T1 });

      // Count and name the steps of an undisturbed incremental sync.
      const names = await stepsOfSync(baseDir, sim2);
      assert.ok(names.some((s) => /^rename \d{4}-/.test(s)) && names.length > 10, names.join(','));

      for (let k = 1; k <= names.length; k++) {
        const dir = tempDir();
        fs.cpSync(baseDir, dir, { recursive: true });
        let n = 0;
        const crashing = await open(dir, sim2, {
          step: () => {
            if (++n === k) throw new Error(`simulated crash at step ${k}`);
          },
        });
        await assert.rejects(crashing.sync(staticClient(sim2)), /simulated crash/);
        await assertNextSyncExact(dir, sim2, data2, `crash at step ${k} (${names[k - 1]})`);
      }
    });

    it('a disk that fills up at any step: the sync says so, no temp file stays, the archive reads, and once there is space the next sync is exact', async function () {
      this.timeout(60_000);
      const base = generateEntries({ seed: 21, count: 500, now: T0 });
      const baseDir = await syncedAtT0(base);
      const T1 = T0 + DAY_MS;
      const data2 = [
        ...base,
        ...Array.from({ length: 30 }, (_, i) => entry(`${todayUtc(T1)}T00:0${i % 10}:00Z`, `new ${i % 7}`)),
      ];
      const sim2 = await start({ data: data2, now: T1 });
      const names = await stepsOfSync(baseDir, sim2);
      const writes = names.map((s, i) => [s, i + 1] as const).filter(([s]) => /^(temp-|mkdir)/.test(s));
      assert.ok(writes.length > 5, names.join(','));

      const enospc = (): Error =>
        Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      for (const [name, k] of writes) {
        const dir = tempDir();
        fs.cpSync(baseDir, dir, { recursive: true });
        // From step k on, every write that needs space fails, as on a full disk; renames and unlinks still work.
        let n = 0;
        let full = false;
        const step = (s: string): void => {
          if (++n === k) full = true;
          if (full && /^(temp-|mkdir)/.test(s)) throw enospc();
        };
        const filling = await open(dir, sim2, { step });
        const err = await filling.sync(staticClient(sim2)).then(
          () => assert.fail(`step ${k} (${name}): the sync did not fail`),
          (e: unknown) => e as ArchiveError,
        );
        assert.ok(err instanceof ArchiveError, `step ${k} (${name}): ${String(err)}`);
        assert.equal(err.kind, 'disk');
        assert.equal(
          err.message,
          `The disk holding ${dir} is full (ENOSPC). Free some space, then try again: what was written before is intact.`,
        );
        const files = fs.readdirSync(dir, { recursive: true }) as string[];
        assert.deepEqual(
          files.filter((f) => f.includes('.tmp-')),
          [],
          `step ${k} (${name}): temp files left`,
        );
        // Still full: the archive opens and reads (a pending journal is no obstacle), with nothing damaged.
        const stillFull = await open(dir, sim2, { step });
        assert.equal((await stillFull.verify()).ok, true, `step ${k} (${name}): verify while full`);
        const read = await stillFull.readRange('2000-01-01', '2100-01-01');
        assert.deepEqual(read.damaged, []);
        // Each day is its old version or its new one: every first-sync entry at least, nothing beyond the second.
        assert.ok(
          read.entries.length >= base.length && read.entries.length <= data2.length,
          `step ${k} (${name}): ${read.entries.length} entries readable`,
        );
        // Space again.
        full = false;
        n = -Infinity;
        await assertNextSyncExact(dir, sim2, data2, `full disk from step ${k} (${name})`);
      }
    });

    it('a day changed by hand while a commit was interrupted is reported, not taken as the new version', async () => {
      const sim1 = await start({ seed: 10, entries: 500, now: T0 });
      const dir = tempDir();
      await (await open(dir, sim1)).sync(staticClient(sim1));
      const day0 = todayUtc(T0);
      const sim2 = await start({
        data: [...sim1.data, entry(`${day0}T20:00:00Z`, 'after the first sync')],
        now: T0 + 3_600_000 * 9,
      });
      let renames = 0;
      const crashing = await open(dir, sim2, {
        step: (s) => {
          if (/^rename \d{4}-/.test(s) && ++renames === 1) throw new Error('crash before the first rename');
        },
      });
      await assert.rejects(crashing.sync(staticClient(sim2)), /crash before/);
      assert.ok(fs.existsSync(path.join(dir, 'journal.json')), 'the journal was written before the renames');
      const file = path.join(dir, day0.slice(0, 4), day0.slice(5, 7), `${day0}.ndjson.gz`);
      fs.writeFileSync(file, gzipSync(Buffer.from('{"time":"forged"}\n')));
      const reopened = await open(dir, sim2);
      assert.ok(!fs.existsSync(path.join(dir, 'journal.json')), 'open reconciled the interrupted commit');
      const v = await reopened.verify();
      assert.deepEqual(
        v.damaged.map((d) => [d.day, d.problem]),
        [[day0, 'modified']],
      );
    });
  });

  describe('the lock', () => {
    const lockPath = (dir: string): string => path.join(dir, LOCK_FILE);
    const writeLock = (dir: string, o: { pid: number; hostname?: string; ageMs?: number }): void => {
      fs.writeFileSync(
        lockPath(dir),
        JSON.stringify({ pid: o.pid, hostname: o.hostname ?? os.hostname(), createdAt: 'x', token: 'other' }),
      );
      if (o.ageMs) {
        const t = new Date(Date.now() - o.ageMs);
        fs.utimesSync(lockPath(dir), t, t);
      }
    };

    it('a live holder makes a second syncer fail with a plain message and write nothing', async () => {
      const sim = await start({ seed: 11, entries: 200, now: T0 });
      const dir = tempDir();
      writeLock(dir, { pid: process.pid });
      const archive = await open(dir, sim);
      const err = await archive.sync(staticClient(sim)).then(
        () => assert.fail('expected locked'),
        (e: unknown) => e as ArchiveError,
      );
      assert.ok(err instanceof ArchiveError && err.kind === 'locked');
      assert.match(err.message, /Another sync \(process \d+ on this computer/);
      assert.match(err.message, /If no sync is running, delete the file/);
      assert.equal(reportRequests(sim), 0);
      assert.ok(!fs.existsSync(path.join(dir, 'manifest.json')));
      // Another host's fresh lock is respected too.
      writeLock(dir, { pid: 1, hostname: 'elsewhere.example' });
      await assert.rejects(archive.sync(staticClient(sim)), /host elsewhere\.example/);
    });

    it('a lock whose process is dead, or that is older than the stale limit, is broken and the sync runs', async () => {
      const sim = await start({ seed: 12, entries: 300, now: T0 });
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      assert.ok(dead);
      const dir = tempDir();
      writeLock(dir, { pid: dead });
      const archive = await open(dir, sim);
      await archive.sync(staticClient(sim));
      assert.ok(!fs.existsSync(lockPath(dir)), 'released after the sync');
      writeLock(dir, { pid: 1, hostname: 'elsewhere.example', ageMs: 11 * 60_000 });
      await archive.sync(staticClient(sim));
      assertSameMultiset((await archive.readRange('2000-01-01', '2100-01-01')).entries, sim.data);
    });

    it('a syncer whose lock was taken over stops before its renames and leaves the new holder’s lock alone', async () => {
      const sim = await start({ seed: 20, entries: 400, now: T0 });
      const dir = tempDir();
      let taken = false;
      const archive = await open(dir, sim, {
        step: () => {
          if (taken) return;
          taken = true; // another syncer judged this one stale and now holds the lock
          writeLock(dir, { pid: process.pid });
        },
      });
      const err = await archive.sync(staticClient(sim)).then(
        () => assert.fail('expected lockLost'),
        (e: unknown) => e as ArchiveError,
      );
      assert.ok(err instanceof ArchiveError && err.kind === 'lockLost', String(err));
      assert.match(err.message, /Run the sync again/);
      assert.ok(!fs.existsSync(path.join(dir, 'manifest.json')), 'nothing was committed');
      assert.equal((await listDayFiles(dir)).length, 0);
      assert.match(fs.readFileSync(lockPath(dir), 'utf8'), /"token":"other"/, 'the new holder keeps its lock');
    });

    it('two syncers at once on one archive: one waits for the other and the archive stays exact', async () => {
      const sim = await start({ seed: 13, entries: 4000, now: T0, latencyMs: 5 });
      const dir = tempDir();
      const a = await open(dir, sim, { lockWaitMs: 20_000 });
      const b = await open(dir, sim, { lockWaitMs: 20_000 });
      const [ra, rb] = await Promise.all([a.sync(staticClient(sim)), b.sync(staticClient(sim))]);
      assert.ok(ra.entriesFetched > 0 && rb.entriesFetched > 0);
      const v = await a.verify();
      assert.ok(v.ok);
      assertSameMultiset((await b.readRange('2000-01-01', '2100-01-01')).entries, sim.data);
      // Without waiting, whichever of two syncers loses the race for the lock is refused while the other runs
      // (slow answers keep it running: 2 s a request). Neither may wait: with `a`'s 20 s wait, `a` losing the
      // race would simply wait for `c` and both would succeed.
      sim.setLatency(2000);
      const [d, c] = [await open(dir, sim), await open(dir, sim)];
      const results = await Promise.allSettled([d.sync(staticClient(sim)), c.sync(staticClient(sim))]);
      const refused = results.filter((x) => x.status === 'rejected');
      assert.equal(refused.length, 1);
      assert.equal(((refused[0] as PromiseRejectedResult).reason as ArchiveError).kind, 'locked');
      assert.ok((await c.verify()).ok);
    });
  });

  it('reports progress (entries, days), cancels on an AbortSignal and the next sync completes', async () => {
    const sim = await start({ seed: 14, entries: 3000, now: T0, latencyMs: 10 });
    const dir = tempDir();
    const archive = await open(dir, sim);
    const ctl = new AbortController();
    const seen: { entries: number; days: number }[] = [];
    const client = staticClient(sim);
    const err = await rejectsZoom(
      archive.sync(client, {
        pageSize: 50,
        concurrency: 2,
        signal: ctl.signal,
        onProgress: (p) => {
          seen.push({ entries: p.entries, days: p.days });
          if (p.days > 0) ctl.abort();
        },
      }),
    );
    assert.equal(err.kind, 'cancelled');
    assert.ok(seen.some((p) => p.entries > 0) && seen.some((p) => p.days > 0));
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].entries >= seen[i - 1].entries);
    const sent = client.requests;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(client.requests, sent, 'no request starts after the cancel');
    assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)), 'the lock is released');
    const kept = Object.keys(archive.manifest.days).length;
    assert.ok(kept > 0, 'the windows finished before the cancel are kept');
    let last = { entries: 0, days: 0, daysPlanned: 0 };
    await archive.sync(staticClient(sim), { onProgress: (p) => (last = p) });
    assert.equal(last.days, last.daysPlanned);
    // A sync that changes nothing still ends on "N of N days" (days done, not days changed).
    const days: number[] = [];
    let planned = 0;
    const idle = await archive.sync(staticClient(sim), {
      onProgress: (p) => {
        days.push(p.days);
        planned = p.daysPlanned;
      },
    });
    assert.equal(idle.daysChanged, 0);
    assert.ok(planned > 0);
    assert.equal(days[days.length - 1], planned, days.join(','));
    for (let i = 1; i < days.length; i++) assert.ok(days[i] >= days[i - 1], days.join(','));
    assertSameMultiset((await archive.readRange('2000-01-01', '2100-01-01')).entries, sim.data);
  });

  it('days Zoom refuses as older than its horizon are listed, not errors, and not asked for again', async () => {
    const sim = await start({ seed: 15, entries: 3000, now: T0 });
    const dir = tempDir();
    // The archive's clock runs 40 days behind Zoom's, so its oldest windows are past Zoom's horizon.
    const archive = await Archive.open(dir, { now: () => sim.clock.now() - 40 * DAY_MS });
    let last = { entries: 0, days: 0, daysPlanned: 0 };
    const r = await archive.sync(staticClient(sim), { onProgress: (p) => (last = p) });
    assert.ok(r.refusedDays.length > 20, `${r.refusedDays.length} refused days`);
    assert.equal(last.days, last.daysPlanned, 'refused days count as done in the progress');
    const zoomHorizon = horizonStart(todayUtc(T0));
    assert.equal(r.refusedDays[0], horizonStart(todayUtc(T0 - 40 * DAY_MS)));
    assert.equal(r.refusedDays[r.refusedDays.length - 1], addDays(zoomHorizon, -1), 'the exact edge was found');
    assert.ok(archive.manifest.days[zoomHorizon], 'the first day Zoom still has is archived');
    for (const d of r.refusedDays) assert.equal(archive.manifest.days[d], undefined, `${d} is not marked`);
    const refusedRequests = reportRequests(sim, 300);
    assert.ok(refusedRequests >= 1);
    const to = todayUtc(T0 - 40 * DAY_MS);
    const kept = Object.keys(archive.manifest.days).sort();
    assert.equal(kept[0], zoomHorizon);
    assertSameMultiset(
      (await archive.readRange(kept[0], to)).entries,
      sim.expected({ from: kept[0], to }),
      'the windows Zoom answered',
    );
    await archive.sync(staticClient(sim));
    assert.equal(reportRequests(sim, 300), refusedRequests, 'refused windows are not asked for again');
  });

  describe('coverage', () => {
    const rec = (entries: number, complete: boolean): Manifest['days'][string] => ({
      entries,
      sha256: null,
      bytes: 0,
      syncedAt: '2026-11-01T00:00:00.000Z',
      complete,
      categories: {},
    });

    it('classifies days and warns about the days that fall off the horizon soon (fake clock)', () => {
      const today = '2026-11-15';
      const horizon = horizonStart(today);
      assert.equal(horizon, '2026-05-15');
      const m: Manifest = { format: 'zoom-operation-logs-archive', version: 1, order: 'oldest-first', days: {} };
      // 2026-05-15..05-24 missing (10 days), 05-25..11-14 complete except 06-20 (incomplete) and 07-01 (missing).
      for (let d = '2026-05-25'; d < today; d = addDays(d, 1)) m.days[d] = rec(3, true);
      m.days['2026-06-20'] = rec(1, false);
      delete m.days['2026-07-01'];
      m.days[today] = rec(2, false);
      m.days['2026-01-10'] = rec(5, true); // archived long ago, beyond Zoom's horizon now

      const c = coverage(m, today);
      assert.equal(c.from, '2026-01-10');
      assert.equal(c.days[0].day, today);
      const status = Object.fromEntries(c.days.map((d) => [d.day, d.status]));
      assert.equal(status[today], 'incomplete', 'today is never complete');
      assert.equal(status['2026-06-20'], 'incomplete');
      assert.equal(status['2026-07-01'], 'missing');
      assert.equal(status['2026-05-20'], 'missing');
      assert.equal(status['2026-01-10'], 'complete');
      assert.equal(status['2026-02-01'], 'missing');
      assert.equal(c.days.find((d) => d.day === '2026-02-01')?.recoverable, false);
      assert.equal(c.days.find((d) => d.day === '2026-05-15')?.recoverable, true);
      assert.ok(c.warning);
      assert.equal(c.warning.days, 10, 'only the days inside the next 14 days count');
      assert.equal(c.warning.inDays, 1);
      assert.equal(c.warning.firstDay, '2026-05-15');
      assert.equal(c.warning.message, '10 days become unrecoverable in 1 day: Sync now');

      // A week later with nothing synced: 05-15..05-21 are gone, 05-22..05-24 remain at risk; 06-20 is 29 days away.
      const later = coverage(m, '2026-11-22');
      assert.equal(later.warning?.message, '3 days become unrecoverable in 1 day: Sync now');
      // Everything archived: no warning.
      for (let d = '2026-05-15'; d < '2026-05-25'; d = addDays(d, 1)) m.days[d] = rec(0, true);
      assert.equal(coverage(m, today).warning, undefined);
      m.days['2026-05-28'] = rec(0, false); // on the horizon until 2026-11-28, gone on 11-29
      assert.equal(coverage(m, today).warning?.message, '1 day becomes unrecoverable in 14 days: Sync now');
    });

    it('days Zoom already refused (refusedThrough) are lost, not at risk: no warning for them (fake clock)', () => {
      const today = '2026-11-15';
      const horizon = horizonStart(today);
      const m: Manifest = { format: 'zoom-operation-logs-archive', version: 1, order: 'oldest-first', days: {} };
      // Zoom's real horizon was five days shorter than ours: it refused horizon..horizon+4, the rest is complete.
      const refusedThrough = addDays(horizon, 4);
      for (let d = addDays(refusedThrough, 1); d < today; d = addDays(d, 1)) m.days[d] = rec(2, true);
      m.days[today] = rec(1, false);
      const before = coverage(m, today);
      assert.equal(before.warning?.days, 5, 'without refusedThrough the refused days look at risk');

      m.refusedThrough = refusedThrough;
      const c = coverage(m, today);
      assert.equal(c.warning, undefined, 'days Zoom already refused cannot be saved by a sync');
      assert.equal(c.lost, 5);
      assert.equal(c.refusedThrough, refusedThrough);
      assert.equal(c.zoomFrom, addDays(refusedThrough, 1));
      assert.equal(c.counts.missing, 5, 'still missing');
      for (let d = horizon; d <= refusedThrough; d = addDays(d, 1)) {
        const day = c.days.find((x) => x.day === d);
        assert.equal(day?.status, 'missing', d);
        assert.equal(day?.recoverable, false, d);
      }
      assert.equal(c.days.find((x) => x.day === addDays(refusedThrough, 1))?.recoverable, true);

      // A recoverable missing day next to them still warns, and only it is counted.
      delete m.days[addDays(refusedThrough, 1)];
      const w = coverage(m, today);
      assert.equal(w.warning?.days, 1);
      assert.equal(w.warning?.firstDay, addDays(refusedThrough, 1));
      assert.equal(w.lost, 5);
      // A refusedThrough older than the horizon changes nothing: those days are past the horizon anyway.
      m.days[addDays(refusedThrough, 1)] = rec(2, true);
      m.refusedThrough = addDays(horizon, -20);
      const old = coverage(m, today);
      assert.equal(old.zoomFrom, horizon);
      assert.equal(old.warning?.days, 5);
      assert.equal(old.lost, 0);
    });

    it('after a real first sync: every day complete except today, no warning', async () => {
      const sim = await start({ seed: 16, entries: 500, now: T0 });
      const archive = await open(tempDir(), sim);
      await archive.sync(staticClient(sim));
      const today = todayUtc(T0);
      const c = coverage(archive, today);
      assert.equal(c.counts.incomplete, 1);
      assert.equal(c.counts.missing, 0);
      assert.equal(c.counts.complete, c.days.length - 1);
      assert.equal(c.warning, undefined);
    });
  });

  it('reads archived days older than six months with 0 requests, and counts by category from the manifest', async () => {
    const sim = await start({ seed: 17, entries: 2500, now: T0 });
    const dir = tempDir();
    await (await open(dir, sim)).sync(staticClient(sim));
    const requests = reportRequests(sim);
    // Eight months later: everything archived is past Zoom's horizon.
    const later = await Archive.open(dir, { now: () => T0 + 243 * DAY_MS });
    const from = horizonStart(todayUtc(T0));
    assert.ok(from < horizonStart(todayUtc(T0 + 243 * DAY_MS)));
    const read = await later.readRange(from, todayUtc(T0));
    assertSameMultiset(read.entries, sim.data, 'archived range');
    for (let i = 1; i < read.entries.length; i++) assert.ok(read.entries[i - 1].timeMs >= read.entries[i].timeMs);
    assert.equal(reportRequests(sim), requests, 'no request to read the archive');
    const counts = later.dayCounts(from, todayUtc(T0));
    const byCat = new Map<string, number>();
    for (const d of counts) for (const [k, n] of Object.entries(d.categories)) byCat.set(k, (byCat.get(k) ?? 0) + n);
    const want = new Map<string, number>();
    for (const e of sim.data) want.set(e.category_type, (want.get(e.category_type) ?? 0) + 1);
    assert.deepEqual(new Map([...byCat].sort()), new Map([...want].sort()));
    const part = await later.readRange(addDays(from, 30), addDays(from, 40));
    assertSameMultiset(part.entries, sim.expected({ from: addDays(from, 30), to: addDays(from, 40) }), 'sub-range');
  });

  it('the account folder name does not contain the account ID', async () => {
    const { accountArchiveDir } = await import('../../src/archive');
    const d = accountArchiveDir('/root/archive', 'SimAcct-7fQ2xK9LmN');
    assert.match(path.basename(d), /^account-[0-9a-f]{16}$/);
    assert.ok(!d.includes('SimAcct'));
    assert.equal(d, accountArchiveDir('/root/archive', 'SimAcct-7fQ2xK9LmN'));
  });

  describe('evidence pack', () => {
    it('writes the files and a manifest of their SHA-256; verify finds modified, missing and extra files', async () => {
      const sim = await start({ seed: 18, entries: 800, now: T0, hostile: true });
      const archive = await open(tempDir(), sim);
      await archive.sync(staticClient(sim));
      const today = todayUtc(T0);
      const { entries } = await archive.readRange(addDays(today, -30), today);
      const cov = coverage(archive, today).days.filter((d) => d.day >= addDays(today, -30));
      const dir = path.join(tempDir('evidence'), 'pack');
      const findings = [{ rule: 'mfa-off', entries: 2 }];
      const m = await exportEvidencePack(dir, {
        account: { name: 'Acme Production', apiHost: 'api.zoom.us' },
        query: { from: addDays(today, -30), to: today, categories: ['all'] },
        timeZone: 'UTC',
        entries,
        findings,
        coverage: cov,
        extensionVersion: '0.1.0',
        now: () => T0,
      });
      assert.deepEqual(fs.readdirSync(dir).sort(), ['entries.csv', 'entries.json', 'findings.json', 'manifest.json']);
      const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as typeof m;
      assert.deepEqual(onDisk, JSON.parse(JSON.stringify(m)));
      assert.equal(onDisk.counts.entries, entries.length);
      assert.equal(onDisk.counts.findings, 1);
      assert.equal(onDisk.timeZone, 'UTC');
      assert.equal(onDisk.extensionVersion, '0.1.0');
      assert.deepEqual(onDisk.account, { name: 'Acme Production', apiHost: 'api.zoom.us' }, 'which account');
      assert.equal(onDisk.createdAt, new Date(T0).toISOString());
      assert.equal(onDisk.coverage.length, 31);
      for (const f of onDisk.files) assert.equal(f.sha256, sha(fs.readFileSync(path.join(dir, f.name))));
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'entries.json'), 'utf8')).length, entries.length);

      assert.equal((await verifyEvidencePack(dir)).ok, true);
      fs.appendFileSync(path.join(dir, 'entries.csv'), 'x\r\n');
      fs.rmSync(path.join(dir, 'findings.json'));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'added later');
      const v = await verifyEvidencePack(dir);
      assert.equal(v.ok, false);
      assert.deepEqual(v.modified, ['entries.csv']);
      assert.deepEqual(v.missing, ['findings.json']);
      assert.deepEqual(v.extra, ['notes.txt']);
      assert.match(v.message, /changed after it was made/);
      await assert.rejects(
        exportEvidencePack(dir, {
          query: {},
          timeZone: 'UTC',
          entries,
          coverage: [],
          extensionVersion: '0.1.0',
        }),
        (e: unknown) =>
          e instanceof ArchiveError &&
          e.kind === 'notEmpty' &&
          e.message ===
            `The folder ${dir} already holds files; choose an empty folder for the evidence pack so nothing is mixed in.`,
      );
      fs.rmSync(path.join(dir, 'manifest.json'));
      assert.match((await verifyEvidencePack(dir)).message, /manifest\.json is missing/);
    });

    it('each file holds what it says, byte for byte; verify names each kind of change alone, and all of them', async () => {
      const formula = { ...archivedEntry('2026-11-20', 'User', 1), operationDetail: '=HYPERLINK("x")' };
      const entries = [formula, archivedEntry('2026-11-20', 'User', 2), archivedEntry('2026-11-21', 'Account', 3)];
      const findings = [{ ruleId: 'two-factor-off', severity: 'high' }];
      const base = { query: { from: '2026-11-20' }, timeZone: 'UTC', entries, coverage: [], extensionVersion: '1.2.3' };
      const dir = path.join(tempDir('evidence'), 'pack');
      const m = await exportEvidencePack(dir, { ...base, findings });
      const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
      assert.equal(read('entries.json'), formatEntries(entries, 'json', { formulaGuard: true }));
      assert.equal(read('entries.csv'), formatEntries(entries, 'csv', { formulaGuard: true }), 'formulas guarded');
      assert.match(read('entries.csv'), /,"'=HYPERLINK/);
      assert.equal(read('findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
      assert.deepEqual(m.counts, { entries: 3, byCategory: { User: 2, Account: 1 }, findings: 1 });
      assert.deepEqual(
        m.files.map((f) => [f.name, f.bytes]),
        ['entries.json', 'entries.csv', 'findings.json'].map((n) => [n, fs.statSync(path.join(dir, n)).size]),
      );
      const ok = await verifyEvidencePack(dir);
      assert.deepEqual(ok, {
        ok: true,
        modified: [],
        missing: [],
        extra: [],
        message: 'All 3 files match the SHA-256 values in manifest.json.',
      });

      // Without findings there is no findings.json; the guard can be off (entries.json never has it).
      const plain = path.join(tempDir('evidence'), 'pack');
      const p = await exportEvidencePack(plain, { ...base, csvFormulaGuard: false });
      assert.deepEqual(fs.readdirSync(plain).sort(), ['entries.csv', 'entries.json', 'manifest.json']);
      assert.equal('findings' in p.counts, false);
      assert.equal(
        fs.readFileSync(path.join(plain, 'entries.csv'), 'utf8'),
        formatEntries(entries, 'csv', { formulaGuard: false }),
      );

      // Each kind of change alone fails the check and is named (a fresh pack for each).
      const changes: [(d: string) => void, string][] = [
        [(d) => fs.appendFileSync(path.join(d, 'entries.json'), ' '), 'modified: entries.json'],
        [(d) => fs.rmSync(path.join(d, 'findings.json')), 'missing: findings.json'],
        [(d) => fs.writeFileSync(path.join(d, 'b.txt'), ''), 'not part of the pack: b.txt'],
      ];
      for (const [change, part] of changes) {
        const one = path.join(tempDir('evidence'), 'pack');
        await exportEvidencePack(one, { ...base, findings });
        change(one);
        const v = await verifyEvidencePack(one);
        assert.equal(v.ok, false, part);
        assert.equal(v.message, `The evidence pack changed after it was made (${part}).`);
      }
      fs.appendFileSync(path.join(dir, 'entries.json'), ' ');
      fs.rmSync(path.join(dir, 'entries.csv'));
      fs.rmSync(path.join(dir, 'findings.json'));
      // Made a, then b: some file systems list the newest first, and the message lists them sorted.
      fs.writeFileSync(path.join(dir, 'a.txt'), '');
      fs.writeFileSync(path.join(dir, 'b.txt'), '');
      const all = await verifyEvidencePack(dir);
      assert.deepEqual(
        [all.modified, all.missing, all.extra],
        [['entries.json'], ['entries.csv', 'findings.json'], ['a.txt', 'b.txt']],
      );
      assert.equal(
        all.message,
        'The evidence pack changed after it was made (modified: entries.json; missing: entries.csv, findings.json; not part of the pack: a.txt, b.txt).',
      );
    });

    it('a pack whose manifest lists paths, duplicates, no hash or no file at all fails cleanly, naming the entry', async () => {
      const dir = path.join(tempDir('evidence'), 'pack');
      const entries = [archivedEntry('2026-11-20', 'User', 1)];
      await exportEvidencePack(dir, { query: {}, timeZone: 'UTC', entries, coverage: [], extensionVersion: '0.1.0' });
      const file = path.join(dir, 'manifest.json');
      const good = JSON.parse(fs.readFileSync(file, 'utf8')) as { files: { name: string; sha256: string }[] };
      const [first] = good.files;
      const cases: [unknown[], string][] = [
        [[...good.files, { name: '../../etc/passwd', sha256: first.sha256 }], '"../../etc/passwd"'],
        [[...good.files, { name: 'sub/entries.json', sha256: first.sha256 }], '"sub/entries.json"'],
        [[...good.files, first], `"${first.name}"`],
        [[...good.files, { name: 'manifest.json', sha256: first.sha256 }], '"manifest.json"'],
        [[{ name: first.name }], `"${first.name}"`],
        [[null], 'null'],
        [[{ name: 42, sha256: first.sha256 }], '42'],
        [[{ name: '..', sha256: first.sha256 }], '".."'],
      ];
      for (const [files, shown] of cases) {
        fs.writeFileSync(file, JSON.stringify({ ...good, files }));
        const v = await verifyEvidencePack(dir);
        assert.equal(v.ok, false, shown);
        assert.equal(
          v.message,
          `manifest.json in ${dir} lists a file ${shown} that no evidence pack holds. The pack cannot be verified.`,
        );
      }
      fs.writeFileSync(file, JSON.stringify(good));
      assert.equal((await verifyEvidencePack(dir)).ok, true);
    });

    it('a disk that fills up mid-pack leaves the folder empty, says so, and the next try writes the whole pack', async () => {
      const entries = [archivedEntry('2026-11-20', 'User', 1), archivedEntry('2026-11-20', 'Account', 2)];
      const input = { query: {}, timeZone: 'UTC', entries, findings: [], coverage: [], extensionVersion: '0.1.0' };
      for (const failAt of ['temp-write entries.csv', 'temp-create findings.json', 'temp-write manifest.json']) {
        const dir = path.join(tempDir('evidence'), 'pack');
        const err = await exportEvidencePack(dir, {
          ...input,
          step: (s) => {
            if (s === failAt) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
        }).then(
          () => assert.fail(`${failAt}: no failure`),
          (e: unknown) => e as ArchiveError,
        );
        assert.ok(err instanceof ArchiveError, String(err));
        assert.equal(err.kind, 'disk');
        assert.match(err.message, /^The disk holding .*pack is full \(ENOSPC\)\. Free some space, then try again/);
        assert.deepEqual(fs.readdirSync(dir), [], `${failAt}: a half pack proves nothing and blocks the next try`);
        await exportEvidencePack(dir, input);
        assert.deepEqual(fs.readdirSync(dir).sort(), ['entries.csv', 'entries.json', 'findings.json', 'manifest.json']);
        assert.equal((await verifyEvidencePack(dir)).ok, true);
      }
    });
  });

  it('a manifest or journal edited into something no sync writes is refused, naming the entry (never a TypeError)', async () => {
    const sim = await start({ seed: 23, entries: 300, now: T0 });
    const good = tempDir();
    await (await open(good, sim)).sync(staticClient(sim));
    const text = fs.readFileSync(path.join(good, 'manifest.json'), 'utf8');
    const m = JSON.parse(text) as Manifest & Record<string, unknown>;
    const [day] = Object.keys(m.days);
    const rec = m.days[day];
    const variants: [string, (x: Record<string, unknown> & { days: Record<string, unknown> }) => void][] = [
      [day, (x) => (x.days[day] = null)],
      ['../../../../tmp/x', (x) => (x.days['../../../../tmp/x'] = rec)],
      ['2026-02-30', (x) => (x.days['2026-02-30'] = rec)],
      [day, (x) => (x.days[day] = { ...rec, entries: 'two' })],
      [day, (x) => (x.days[day] = { ...rec, entries: -1 })],
      [day, (x) => (x.days[day] = { ...rec, sha256: 'ABC' })],
      [day, (x) => (x.days[day] = { ...rec, complete: 'yes' })],
      [day, (x) => (x.days[day] = { ...rec, categories: undefined })],
      [day, (x) => (x.days[day] = { ...rec, categories: { User: '3' } })],
      ['refusedThrough', (x) => (x.refusedThrough = 42)],
      ['lastSync', (x) => (x.lastSync = 'yesterday')],
    ];
    for (const [key, edit] of variants) {
      const dir = tempDir();
      fs.cpSync(good, dir, { recursive: true });
      const x = JSON.parse(text) as Record<string, unknown> & { days: Record<string, unknown> };
      edit(x);
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(x));
      await assert.rejects(
        Archive.open(dir),
        (e: unknown) =>
          e instanceof ArchiveError &&
          e.kind === 'damaged' &&
          e.message.includes(`has an entry ${JSON.stringify(key)} that no sync writes`),
        key,
      );
    }
    const arrayDays = tempDir();
    fs.writeFileSync(path.join(arrayDays, 'manifest.json'), JSON.stringify({ ...m, days: [] }));
    await assert.rejects(Archive.open(arrayDays), /is not a Zoom operation-logs archive manifest/);
    // The journal too (recovery would copy its records into the manifest).
    for (const [key, journal] of [
      ['days', { createdAt: '', pid: 1, days: 'none' }],
      [day, { createdAt: '', pid: 1, days: { [day]: { before: null, after: { ...rec, bytes: -5 } } } }],
      [day, { createdAt: '', pid: 1, days: { [day]: { before: 'x', after: rec } } }],
    ] as const) {
      const dir = tempDir();
      fs.cpSync(good, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'journal.json'), JSON.stringify(journal));
      await assert.rejects(Archive.open(dir), (e: unknown) =>
        String((e as Error).message).includes(`journal.json in ${dir} has an entry ${JSON.stringify(key)}`),
      );
    }
    // What a sync wrote still opens, of course.
    assert.equal((await (await Archive.open(good)).verify()).ok, true);
  });

  it('archiveRootOf: ~ is the home folder, a full path is kept, a relative one is refused with an example', () => {
    const home = path.join(path.sep, 'home', 'jane');
    assert.equal(archiveRootOf('~', home), home);
    assert.equal(archiveRootOf('~/zoom/logs', home), path.join(home, 'zoom', 'logs'));
    assert.equal(archiveRootOf(path.join(path.sep, 'data', 'zoom', '..', 'z'), home), path.join(path.sep, 'data', 'z'));
    for (const bad of ['archive', './archive', '~jane/archive', 'C:']) {
      assert.throws(
        () => archiveRootOf(bad, home),
        (e: unknown) =>
          e instanceof ArchiveError &&
          e.kind === 'badArgument' &&
          e.message ===
            `The setting zoomOperationLogs.archiveFolder is '${bad}', which is not a full path; write one such as ${path.join(home, 'zoom-archive')}, or leave it empty for the extension's own storage.`,
        bad,
      );
    }
  });

  it('diskError: what the file system refused, in words that say what to do; anything else passes through', () => {
    const fsError = (code: string): Error => Object.assign(new Error(`${code}: raw`), { code });
    const said = (code: string): string => (diskError(fsError(code), '/data/zoom') as ArchiveError).message;
    assert.match(said('ENOSPC'), /^The disk holding \/data\/zoom is full \(ENOSPC\)\. Free some space/);
    assert.match(said('EDQUOT'), /is full \(EDQUOT\)/);
    assert.match(said('EROFS'), /^\/data\/zoom is on a read-only file system \(EROFS\)\. Choose another folder/);
    assert.match(said('EACCES'), /^No permission to write in \/data\/zoom \(EACCES\)/);
    assert.match(said('EPERM'), /\(EPERM\)\. Check the folder's permissions/);
    assert.equal(
      said('EIO'),
      'Could not read or write /data/zoom (EIO). Try again; what was written before is intact.',
    );
    for (const other of [
      new Error('plain'),
      Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }),
      Object.assign(new Error('x'), { code: 124 }),
      new ArchiveError('locked', 'held'),
      new ZoomError('auth', 'no'),
      'a string',
    ]) {
      assert.equal(diskError(other, '/d'), other);
    }
  });

  it('a ZoomError that is not a refusal stops the sync and keeps what was written', async () => {
    const sim = await start({ seed: 19, entries: 1000, now: T0 });
    const dir = tempDir();
    const archive = await open(dir, sim);
    sim.revokeToken(sim.token);
    const err = await rejectsZoom(archive.sync(staticClient(sim)));
    assert.equal(err.kind, 'auth');
    assert.ok(err instanceof ZoomError);
    assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)));
  });
});
