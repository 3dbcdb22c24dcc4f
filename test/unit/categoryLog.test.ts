/**
 * CategoryLog and PageFeed (src/model/categoryLog.ts) over in-memory sources: Zoom's pages from a script, the
 * archive from memory. What the tree relies on: which dates exist and in what order, when a date's count is exact,
 * which source a date is read from (an archived date never costs a request), and who hears about new entries.
 */
import assert from 'node:assert/strict';
import { ArchivePart } from '../../src/model/archivePart';
import { CategoryLog, PageFeed } from '../../src/model/categoryLog';
import { DateKeyer } from '../../src/model/timeZones';
import type { OperationLogEntry } from '../../src/zoom/types';
import { withTz } from './support/helpers';
import { archivedEntry, memoryArchive, memoryZoom as zoomPages } from './support/memorySources';

const at = (day: string, n: number): OperationLogEntry => archivedEntry(day, 'User', n);
const details = (es: readonly OperationLogEntry[]): string[] =>
  es.map((e) => `${e.time.slice(0, 10)} ${e.operationDetail}`);

function userLog(zoom: ReturnType<typeof zoomPages>, from: string, keyer = new DateKeyer('UTC')): CategoryLog {
  const query = { from, to: '2026-11-22', categoryType: 'user' as const, pageSize: 300 };
  return new CategoryLog('user', query, keyer, () => Promise.resolve(zoom));
}

describe('CategoryLog and PageFeed (model, in memory)', () => {
  it('dates come out newest first whatever order they arrive in', async () => {
    const zoom = zoomPages([
      [at('2026-11-02', 1), at('2026-11-20', 1), at('2026-11-11', 1)],
      [at('2026-11-01', 1), at('2026-11-22', 1), at('2026-11-10', 1), at('2026-11-03', 1)],
    ]);
    const log = userLog(zoom, '2026-11-01');
    await log.loadAll();
    assert.deepEqual(log.dateKeys(), [
      '2026-11-22',
      '2026-11-20',
      '2026-11-11',
      '2026-11-10',
      '2026-11-03',
      '2026-11-02',
      '2026-11-01',
    ]);
    assert.equal(log.total, 7);
  });

  it('onAdd hears each page that brought entries, once, and not the empty ones', async () => {
    const zoom = zoomPages([[at('2026-11-21', 2), at('2026-11-21', 1)], [], [at('2026-11-20', 1)]]);
    const log = userLog(zoom, '2026-11-01');
    const heard: string[][] = [];
    log.onAdd = (es) => heard.push(details(es));
    await log.loadAll();
    assert.equal(zoom.requests.length, 3);
    assert.deepEqual(heard, [['2026-11-21 User 2', '2026-11-21 User 1'], ['2026-11-20 User 1']]);
  });

  it('a feed with nothing to ask Zoom for is started and done at once, and never asks', async () => {
    let asked = 0;
    const sunk: number[] = [];
    const feed = new PageFeed(
      { from: '2026-11-01', to: '2026-11-22', categoryType: 'user', pageSize: 300 },
      () => {
        asked++;
        return Promise.resolve(zoomPages([[at('2026-11-21', 1)]]));
      },
      (es) => sunk.push(es.length),
      true,
    );
    assert.equal(feed.started, true);
    assert.equal(feed.done, true);
    assert.equal(await feed.loadNextPage(), 0);
    assert.equal(asked, 0);
    assert.deepEqual(sunk, []);
    assert.equal(feed.pages, 0);
  });

  describe('with an archived part (archive 18-19 November, Zoom from the 20th)', () => {
    const days = {
      '2026-11-18': [at('2026-11-18', 1)],
      '2026-11-19': [at('2026-11-19', 2), at('2026-11-19', 1)],
    };
    const zoomHalf = (): ReturnType<typeof zoomPages> =>
      zoomPages([
        [at('2026-11-22', 1), at('2026-11-21', 1)],
        [at('2026-11-20', 2), at('2026-11-20', 1)],
      ]);

    function archivedLog(keyer = new DateKeyer('UTC')) {
      const zoom = zoomHalf();
      const reader = memoryArchive(days);
      const log = userLog(zoom, '2026-11-20', keyer);
      log.useArchive(new ArchivePart('2026-11-18', '2026-11-19', reader, keyer));
      return { zoom, reader, log };
    }

    it('archived dates show with exact counts before anything is read, and reading one asks Zoom nothing', async () => {
      const { zoom, reader, log } = archivedLog();
      assert.deepEqual(log.dateKeys(), ['2026-11-19', '2026-11-18']);
      assert.equal(log.total, 3, 'the manifest counts');
      assert.deepEqual(log.dateCount('2026-11-19'), { count: 2, exact: true }, 'Zoom adds nothing to the 19th');
      assert.equal(log.isDateComplete('2026-11-19'), false, 'not read yet');
      const heard: string[][] = [];
      log.onAdd = (es) => heard.push(details(es));
      await log.completeDate('2026-11-19');
      assert.deepEqual(reader.reads, ['2026-11-19']);
      assert.deepEqual(zoom.requests, [], 'an archived date is read from the archive alone');
      assert.deepEqual(details(log.entries('2026-11-19')), ['2026-11-19 User 2', '2026-11-19 User 1']);
      assert.deepEqual(log.dateCount('2026-11-19'), { count: 2, exact: true });
      assert.equal(log.total, 3, 'archived entries were counted up front, not again when read');
      assert.deepEqual(heard, [['2026-11-19 User 2', '2026-11-19 User 1']], 'the findings hear them');
    });

    it("Zoom's dates are exact only once a page older than the date arrived", async () => {
      const { zoom, log } = archivedLog();
      assert.deepEqual(log.dateCount('2026-11-21'), { count: 0, exact: false });
      assert.deepEqual(log.dateCount('2026-11-20'), { count: 0, exact: false }, "Zoom's first day, after the archive");
      await log.completeDate('2026-11-21');
      assert.equal(zoom.requests.length, 2, 'the second page held the 20th, which completes the 21st');
      assert.deepEqual(log.dateCount('2026-11-21'), { count: 1, exact: true });
      assert.deepEqual(log.dateKeys(), ['2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18']);
    });

    it('loadAll reads the archived days, then every page, and reports each step', async () => {
      const { zoom, reader, log } = archivedLog();
      let steps = 0;
      await log.loadAll(undefined, () => steps++);
      assert.deepEqual([...reader.reads].sort(), ['2026-11-18', '2026-11-19']);
      assert.equal(zoom.requests.length, 2);
      assert.equal(steps, 3, 'one step for the archive, one per page');
      assert.equal(log.total, 7);
      assert.equal(log.allEntries().length, 7);
      for (const key of log.dateKeys()) assert.equal(log.dateCount(key).exact, true, key);
      steps = 0;
      await log.loadAll(undefined, () => steps++);
      assert.equal(steps, 0, 'nothing left: no step, no read, no request');
      assert.equal(reader.reads.length, 2);
    });

    it('loadAll without a progress callback', async () => {
      const { log } = archivedLog();
      await log.loadAll();
      assert.equal(log.total, 7);
    });

    it('a damaged archived day: its entries leave the count, and nobody hears an empty batch', async () => {
      const keyer = new DateKeyer('UTC');
      const reader = memoryArchive(days, ['2026-11-19']);
      const log = userLog(zoomHalf(), '2026-11-20', keyer);
      const part = new ArchivePart('2026-11-18', '2026-11-19', reader, keyer);
      log.useArchive(part);
      const heard: number[] = [];
      log.onAdd = (es) => heard.push(es.length);
      assert.equal(log.total, 3);
      await log.completeDate('2026-11-19');
      assert.equal(log.total, 1, "the 19th's two entries cannot be shown");
      assert.deepEqual(log.dateCount('2026-11-19'), { count: 0, exact: true });
      assert.deepEqual(log.damagedDays('2026-11-19'), [{ day: '2026-11-19', message: 'changed' }]);
      assert.deepEqual(log.damagedDays('2026-11-18'), [], 'only the date of the damaged day');
      assert.deepEqual(heard, []);
      assert.deepEqual(
        part.damaged.map((d) => d.day),
        ['2026-11-19'],
      );
    });

    it('in a zone where a date spans two archived days, its count is not claimed exact before it is read', () =>
      withTz('America/New_York', async () => {
        const { zoom, log } = archivedLog(new DateKeyer('local'));
        // The 19th noon UTC is the 19th in New York, so both archived days still have dates there.
        assert.deepEqual(log.dateKeys(), ['2026-11-19', '2026-11-18', '2026-11-17']);
        assert.deepEqual(log.dateCount('2026-11-18'), { count: 0, exact: false });
        await log.completeDate('2026-11-18');
        assert.deepEqual(log.dateCount('2026-11-18'), { count: 1, exact: true });
        assert.deepEqual(zoom.requests, []);
      }));
  });
});
