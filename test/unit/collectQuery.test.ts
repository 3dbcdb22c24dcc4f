/**
 * collectQuery (src/export/collect.ts) over Zoom and the archive in memory, when the tree already loaded part of the
 * range: what it reuses, what it asks Zoom for again, and that each entry comes out exactly once.
 */
import assert from 'node:assert/strict';
import { collectDate, collectQuery, type ExportProgress } from '../../src/export/collect';
import { LogSession } from '../../src/model/session';
import { CATEGORIES, type KnownCategory, type OperationLogEntry } from '../../src/zoom/types';
import { archivedEntry, memoryArchive, memoryZoom } from './support/memorySources';

const detail = (e: OperationLogEntry): string => `${e.time} ${e.operationDetail}`;

/** A User entry at an exact time. */
function at(time: string, n: number, categoryType = 'User'): OperationLogEntry {
  return { ...archivedEntry(time.slice(0, 10), categoryType, n), time, timeMs: Date.parse(time) };
}

function session(
  zoom: ReturnType<typeof memoryZoom>,
  archive: ReturnType<typeof memoryArchive> | undefined,
  categories: readonly KnownCategory[],
  from = '2026-11-18',
): LogSession {
  return new LogSession(
    { from, to: '2026-11-22', categories },
    { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(zoom), archive, horizon: '2026-06-01' },
  );
}

function assertOnce(entries: readonly OperationLogEntry[], expected: number): void {
  const seen = entries.map(detail);
  assert.equal(new Set(seen).size, seen.length, `an entry came out twice: ${seen.join(', ')}`);
  assert.equal(seen.length, expected, seen.join(', '));
}

describe('collectQuery after the tree loaded part of the range (in memory)', () => {
  const archiveDays = {
    '2026-11-18': [archivedEntry('2026-11-18', 'User', 1), archivedEntry('2026-11-18', 'Channels', 1)],
    '2026-11-19': [archivedEntry('2026-11-19', 'User', 2)],
  };
  // Zoom's part starts on the 20th; one entry exactly at its first instant.
  const zoomPages = (): OperationLogEntry[][] => [
    [at('2026-11-22T10:00:00Z', 1), at('2026-11-20T00:00:00Z', 2)],
    [at('2026-11-20T00:00:00Z', 3, 'Channels')],
  ];

  it("a category half loaded from Zoom: its archived days are reused, Zoom's part asked again, each entry once", async () => {
    const zoom = memoryZoom(zoomPages());
    const s = session(zoom, memoryArchive(archiveDays), ['user']);
    const log = s.logs.get('user')!;
    await log.loadNextPage();
    await log.completeDate('2026-11-19');
    assert.equal(log.done, false, 'pages remain');
    assert.equal(zoom.requests.length, 1);
    const out = await collectQuery(s, zoom);
    assertOnce(out, 4);
    assert.deepEqual(out.map(detail), [
      '2026-11-22T10:00:00Z User 1',
      '2026-11-20T00:00:00Z User 2',
      '2026-11-19T12:00:02Z User 2',
      '2026-11-18T12:00:01Z User 1',
    ]);
  });

  it('every category, the other categories loaded in the tree: reused once, archived part included', async () => {
    const zoom = memoryZoom(zoomPages());
    const s = session(zoom, memoryArchive(archiveDays), CATEGORIES);
    await s.others!.loadAll();
    assert.equal(s.others!.done, true);
    const batches: number[] = [];
    const out = await collectQuery(s, zoom, { onEntries: (es) => batches.push(es.length) });
    // User 1, User 2 and Channels 1 (archive); User 1, User 2 and Channels 3 (Zoom).
    assertOnce(out, 6);
    assert.equal(
      batches.reduce((a, b) => a + b, 0),
      6,
      'onEntries hears each entry once',
    );
  });

  it('nothing reused: onEntries hears no empty batch', async () => {
    const zoom = memoryZoom(zoomPages());
    const s = session(zoom, undefined, ['user'], '2026-11-20');
    const batches: number[] = [];
    const out = await collectQuery(s, zoom, { onEntries: (es) => batches.push(es.length) });
    assertOnce(out, 2);
    assert.ok(!batches.includes(0), batches.join(','));
  });

  it('reused categories Zoom refused at different days: the progress names the latest', async () => {
    const zoom = memoryZoom([[]], { user: '2026-11-01', account: '2026-10-01' });
    const s = session(zoom, undefined, ['user', 'account'], '2026-09-10');
    for (const log of s.logs.values()) await log.loadAll();
    const progress: ExportProgress[] = [];
    await collectQuery(s, zoom, { onProgress: (p) => progress.push(p) });
    assert.equal(progress[0].refusedBefore, '2026-11-01');
  });
});

describe('collectDate of an archived date not read yet (in memory)', () => {
  it('reads the archive, asks Zoom nothing and ends (the export of a date node nobody expanded)', async function () {
    this.timeout(5_000);
    const zoom = memoryZoom([[at('2026-11-21T10:00:00Z', 1)]]);
    const archive = memoryArchive({
      '2026-11-18': [archivedEntry('2026-11-18', 'User', 1)],
      '2026-11-19': [archivedEntry('2026-11-19', 'User', 2), archivedEntry('2026-11-19', 'User', 3)],
    });
    const log = session(zoom, archive, ['user']).logs.get('user')!;
    // The bug this pins asked the finished feed again and again, each answer at once: a loop of microtasks that
    // starved every timer (a mocha timeout too), so count the asks instead of waiting.
    const load = log.loadNextPage.bind(log);
    let asks = 0;
    log.loadNextPage = (signal?: AbortSignal) => {
      if (++asks > 20) return Promise.reject(new Error('asked for pages 20 times'));
      return load(signal);
    };
    const progress: number[] = [];
    const out = await collectDate(log, '2026-11-19', { onProgress: (p) => progress.push(p.entries) });
    assert.deepEqual(out.map(detail), ['2026-11-19T12:00:03Z User 3', '2026-11-19T12:00:02Z User 2']);
    assert.equal(asks, 0, 'an archived date needs nothing from Zoom');
    assert.equal(zoom.requests.length, 0);
    assert.deepEqual(progress, [2], 'once, after the archive');
  });
});
