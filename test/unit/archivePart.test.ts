/**
 * ArchivePart (src/model/archivePart.ts) alone, over an in-memory ArchiveReader: which dates a category shows, which
 * archived days a date needs, what is still to read, single-flight reads, and where each entry goes. The real
 * archive behind the same interface is exercised by archiveBrowse.test.ts.
 */
import assert from 'node:assert/strict';
import { ArchivePart, splitRange } from '../../src/model/archivePart';
import { DateKeyer } from '../../src/model/timeZones';
import { withTz } from './support/helpers';
import { archivedEntry as entry, memoryArchive as reader } from './support/memorySources';

describe('ArchivePart (model, in memory)', () => {
  const days = {
    '2026-11-18': [entry('2026-11-18', 'Account', 1)],
    '2026-11-19': [entry('2026-11-19', 'User', 1), entry('2026-11-19', 'User', 2)],
    '2026-11-20': [entry('2026-11-20', 'User', 3), entry('2026-11-20', 'Channels', 1)],
    '2026-11-21': [],
  };

  it('UTC: a category shows the dates that hold it, newest first; a date needs its own day only', async () => {
    const r = reader(days);
    const part = new ArchivePart('2026-11-18', '2026-11-22', r, new DateKeyer('UTC'));
    assert.deepEqual(part.dateKeys('user'), ['2026-11-20', '2026-11-19']);
    assert.deepEqual(part.dateKeys('account'), ['2026-11-18']);
    assert.deepEqual(part.dateKeys('other:channels'), ['2026-11-20']);
    assert.equal(part.count('user'), 3);
    assert.equal(part.total, 5);
    assert.equal(part.pendingCount('user', '2026-11-20'), 1, "that day's user entries, not the next day's");
    assert.equal(part.pendingCount('user', '2026-11-22'), 0, 'a day the archive does not hold has nothing to read');
    assert.equal(part.allLoaded, false);
    assert.equal(part.isLoadedFor('2026-11-21'), true, 'an archived day without entries needs no read');
    // Entries without a readable time sit under the date key `unknown`: no archived day is that date.
    assert.equal(part.isLoadedFor('unknown'), true);
    assert.equal(part.pendingCount('user', 'unknown'), 0);

    const got: string[] = [];
    part.register('user', (es, lost) => got.push(...es.map((e) => e.operationDetail), `lost ${lost}`));
    await part.loadFor('2026-11-22');
    assert.deepEqual(r.reads, [], 'nothing to read for a day the archive does not hold');
    await part.loadFor('2026-11-20');
    assert.deepEqual(r.reads, ['2026-11-20']);
    assert.deepEqual(got, ['User 3', 'lost 0']);
    assert.equal(part.isLoadedFor('2026-11-20'), true);
    assert.equal(part.isLoadedFor('2026-11-19'), false);
    assert.equal(part.pendingCount('user', '2026-11-20'), 0);
    assert.equal(part.allLoaded, false, 'one of three days with entries read');
    await part.loadAll();
    assert.equal(part.allLoaded, true);
    assert.deepEqual(r.reads, ['2026-11-20', '2026-11-19', '2026-11-18'], 'each day once, the empty one never');
    assert.equal(part.filesRead, 3);
  });

  it('another zone: a UTC day spans two local dates, and a date needs both UTC days it overlaps', async () => {
    await withTz('America/New_York', async () => {
      const r = reader(days);
      const part = new ArchivePart('2026-11-18', '2026-11-22', r, new DateKeyer('local'));
      // 2026-11-19 00:00Z is the 18th at 19:00 in New York; 2026-11-20 23:59Z is the 20th at 18:59.
      assert.deepEqual(part.dateKeys('user'), ['2026-11-20', '2026-11-19', '2026-11-18']);
      assert.equal(part.pendingCount('user', '2026-11-19'), undefined, 'the manifest cannot split a UTC day');
      await part.loadFor('2026-11-19');
      assert.deepEqual(r.reads, ['2026-11-19', '2026-11-20']);
      assert.equal(part.isLoadedFor('2026-11-19'), true);
      assert.equal(part.isLoadedFor('2026-11-18'), false, 'its other UTC day (the 18th) is not read yet');
      assert.equal(part.pendingCount('user', '2026-11-19'), 0, 'everything of it is read');
    });
  });

  it('reads a day once when two dates ask at the same time', async () => {
    const r = reader(days);
    const part = new ArchivePart('2026-11-18', '2026-11-22', r, new DateKeyer('UTC'));
    await Promise.all([part.loadFor('2026-11-19'), part.loadFor('2026-11-19'), part.loadAll()]);
    assert.deepEqual([...r.reads].sort(), ['2026-11-18', '2026-11-19', '2026-11-20']);
    assert.equal(part.filesRead, 3);
  });

  it('hands each entry to its category, categories outside the eleven to Other, and nothing else', async () => {
    const r = reader(days);
    const part = new ArchivePart('2026-11-18', '2026-11-22', r, new DateKeyer('UTC'));
    const byCategory: Record<string, string[]> = {};
    part.register('user', (es) => (byCategory.user ??= []).push(...es.map((e) => e.operationDetail)));
    part.registerOthers((es) => (byCategory.others ??= []).push(...es.map((e) => e.operationDetail)));
    await part.loadAll();
    // Account is one of the eleven but not in this query (no sink): it goes nowhere, not to Other.
    assert.deepEqual(byCategory, { user: ['User 3', 'User 1', 'User 2'], others: ['Channels 1'] });
  });

  it('a damaged day: its category sinks hear how many entries are lost, and the day is listed', async () => {
    const r = reader(days, ['2026-11-19']);
    const part = new ArchivePart('2026-11-18', '2026-11-22', r, new DateKeyer('UTC'));
    const calls: [string, number, number][] = [];
    part.register('user', (es, lost) => calls.push(['user', es.length, lost]));
    part.register('account', (es, lost) => calls.push(['account', es.length, lost]));
    await part.loadFor('2026-11-19');
    assert.deepEqual(calls.sort(), [
      ['account', 0, 0],
      ['user', 0, 2],
    ]);
    assert.deepEqual(part.damaged, [{ day: '2026-11-19', message: 'changed' }]);
    assert.equal(part.isLoadedFor('2026-11-19'), true, 'not read again');
  });

  it('splitRange: a range Zoom no longer has and the archive does not hold is still the archive’s (no request)', () => {
    assert.deepEqual(splitRange('2025-12-28', '2025-12-30', {}, '2026-01-01'), {
      archiveTo: '2025-12-30',
      source: 'archive',
    });
  });
});
