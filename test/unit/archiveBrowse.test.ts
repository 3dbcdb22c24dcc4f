/** The tree's model reading the archive for the days it covers (src/model/archivePart.ts), against a real archive. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Archive, dayFilePath } from '../../src/archive';
import { collectQuery } from '../../src/export/collect';
import { splitRange } from '../../src/model/archivePart';
import { LogSession } from '../../src/model/session';
import { addDays, horizonStart, todayUtc } from '../../src/zoom/dates';
import { categoryKey } from '../../src/zoom/categories';
import { CATEGORIES } from '../../src/zoom/types';
import { startSimulator, type Simulator } from '../simulator/index';
import { DAY_MS, removeTempDirs, T0, tempDir } from './support/archiveHelpers';
import { assertSameMultiset, reportRequests, staticClient } from './support/helpers';

describe('Browsing the archive (model)', function () {
  this.timeout(30_000);
  const sims: Simulator[] = [];
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.close();
  });
  after(removeTempDirs);

  it('splitRange: complete or past-horizon days from the start go to the archive, the rest to Zoom', () => {
    const days = {
      '2026-01-01': { complete: true },
      '2026-01-02': { complete: true },
      '2026-01-03': { complete: false },
    };
    assert.deepEqual(splitRange('2026-01-01', '2026-01-05', days, '2025-12-01'), {
      archiveTo: '2026-01-02',
      zoomFrom: '2026-01-03',
      source: 'both',
    });
    assert.deepEqual(splitRange('2026-01-01', '2026-01-02', days, '2025-12-01'), {
      archiveTo: '2026-01-02',
      source: 'archive',
    });
    assert.deepEqual(splitRange('2026-01-03', '2026-01-05', days, '2025-12-01'), {
      zoomFrom: '2026-01-03',
      source: 'zoom',
    });
    // Days Zoom no longer has are the archive's even when it is missing some of them.
    assert.deepEqual(splitRange('2025-12-30', '2026-01-04', days, '2026-01-03'), {
      archiveTo: '2026-01-02',
      zoomFrom: '2026-01-03',
      source: 'both',
    });
    assert.deepEqual(splitRange('2026-01-05', '2026-01-06', {}, '2026-01-01'), {
      zoomFrom: '2026-01-05',
      source: 'zoom',
    });
  });

  it('a range older than six months: categories from the manifest, dates read on expansion, export, 0 requests', async () => {
    const sim = await startSimulator({ seed: 5, entries: 2500, now: T0, rps: 0 });
    sims.push(sim);
    const dir = tempDir();
    await (await Archive.open(dir, { now: () => sim.clock.now() })).sync(staticClient(sim));
    const before = reportRequests(sim);
    const later = T0 + 250 * DAY_MS;
    const archive = await Archive.open(dir, { now: () => later });
    const to = todayUtc(T0);
    const from = addDays(to, -40);
    assert.ok(to < horizonStart(todayUtc(later)), 'the whole range is past Zoom’s horizon');
    const session = new LogSession(
      { from, to, categories: [...CATEGORIES] },
      {
        pageSize: 300,
        timeZone: 'UTC',
        client: () => Promise.resolve(staticClient(sim)),
        archive,
        horizon: horizonStart(todayUtc(later)),
      },
    );
    assert.equal(session.source, 'archive');
    assert.equal(session.zoomFrom, undefined);
    const expected = sim.expected({ from, to });
    for (const [category, log] of session.logs) {
      assert.equal(log.started && log.done, true, `${category}: nothing to ask Zoom for`);
      const n = expected.filter((e) => categoryKey(e.category_type) === category).length;
      assert.equal(log.total, n, `${category}: count`);
    }
    assert.equal(session.archive?.filesRead, 0, 'the first level reads no day file');

    const user = session.logs.get('user');
    assert.ok(user);
    const key = user.dateKeys()[0];
    const { count, exact } = user.dateCount(key);
    assert.equal(exact, true, 'a UTC date’s count is known from the manifest');
    assert.equal(user.isDateComplete(key), false);
    await user.completeDate(key);
    assert.equal(user.entries(key).length, count);
    assert.equal(session.archive?.filesRead, 1, 'one date, one file');

    const all = await collectQuery(session, staticClient(sim));
    assertSameMultiset(all, expected, 'export of the archived range');
    assert.equal(reportRequests(sim), before, 'no request');
  });

  it('archive and Zoom together: the archive serves complete days, Zoom the rest, nothing lost or doubled', async () => {
    const sim = await startSimulator({ seed: 9, entries: 3000, now: T0, rps: 0 });
    sims.push(sim);
    const dir = tempDir();
    const archive = await Archive.open(dir, { now: () => sim.clock.now() });
    await archive.sync(staticClient(sim));
    const to = todayUtc(T0);
    const from = addDays(to, -20);
    const session = new LogSession(
      { from, to, categories: ['user', 'account'] },
      {
        pageSize: 300,
        timeZone: 'UTC',
        client: () => Promise.resolve(staticClient(sim)),
        archive,
        horizon: horizonStart(to),
      },
    );
    assert.equal(session.source, 'both');
    assert.equal(session.zoomFrom, to, 'today is never complete, so Zoom serves it');
    const before = reportRequests(sim);
    const got = await collectQuery(session, staticClient(sim));
    const want = sim.expected({ from, to }).filter((e) => ['user', 'account'].includes(categoryKey(e.category_type)));
    assertSameMultiset(got, want, 'export');
    assert.equal(reportRequests(sim) - before, 2, 'one page per category, of today only');
  });

  it('a damaged day is left out and its entries no longer counted', async () => {
    const sim = await startSimulator({ seed: 11, entries: 2000, now: T0, rps: 0 });
    sims.push(sim);
    const dir = tempDir();
    const archive = await Archive.open(dir, { now: () => sim.clock.now() });
    await archive.sync(staticClient(sim));
    const to = addDays(todayUtc(T0), -1);
    const from = addDays(to, -10);
    const day = archive.dayCounts(from, to).find((d) => (d.categories['User'] ?? 0) > 0)?.day;
    assert.ok(day);
    const file = dayFilePath(dir, day);
    fs.writeFileSync(file, Buffer.concat([fs.readFileSync(file), Buffer.from([0])]));
    assert.ok(path.isAbsolute(file));
    const session = new LogSession(
      { from, to, categories: ['user'] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.reject(new Error('no Zoom')), archive, horizon: from },
    );
    const user = session.logs.get('user');
    assert.ok(user);
    const total = user.total;
    await user.completeDate(day);
    assert.equal(user.entries(day).length, 0);
    assert.ok(user.total < total, 'the damaged day’s entries are no longer counted');
    assert.match(session.archive?.damaged[0]?.message ?? '', new RegExp(day));
  });
});
