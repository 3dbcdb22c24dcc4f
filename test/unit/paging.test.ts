/** QueryCursor / collectAll edge cases: identical entries across a restart, the restart cap, several queries. */
import assert from 'node:assert/strict';
import { startSimulator, type SimEntry, type Simulator } from '../simulator/index';
import { addDays, horizonStart, monthWindows, todayUtc } from '../../src/zoom/dates';
import { collectAll, QueryCursor } from '../../src/zoom/paging';
import type { OperationLogEntry } from '../../src/zoom/types';
import { assertSameMultiset, staticClient, rejectsZoom, reportRequests, REPORT_PATH } from './support/helpers';

const MIN = 60_000;

describe('Paging: QueryCursor and collectAll', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('legitimately identical entries survive a window restart (multiset, not set)', async () => {
    const now = Date.now();
    const day = todayUtc(now);
    const t = `${day}T00:00:01Z`;
    const same: SimEntry = {
      time: t,
      operator: 'admin@example.com',
      category_type: 'User',
      action: 'Update',
      operation_detail: 'Update User x - Display Name',
    };
    const data: SimEntry[] = [
      ...Array.from({ length: 25 }, () => ({ ...same })),
      ...Array.from({ length: 30 }, (_, i) => ({ ...same, operation_detail: `other ${i}` })),
    ];
    sim = await startSimulator({ data, rps: 0, now });
    const cursor = new QueryCursor(staticClient(sim), { from: day, to: day, categoryType: 'all', pageSize: 10 });
    const got: OperationLogEntry[] = [];
    got.push(...(await cursor.nextPage()));
    got.push(...(await cursor.nextPage()));
    sim.clock.advance(16 * MIN);
    while (!cursor.done) got.push(...(await cursor.nextPage()));
    assert.equal(sim.count({ path: REPORT_PATH, status: 400 }), 1);
    assertSameMultiset(got, sim.data);
    assert.equal(got.filter((e) => e.operationDetail === same.operation_detail).length, 25);
  });

  it('a window whose page tokens keep expiring stops with kind pageToken after 3 fresh starts', async () => {
    sim = await startSimulator({ seed: 31, entries: 2000, rps: 0 });
    const to = todayUtc(sim.clock.now());
    const cursor = new QueryCursor(staticClient(sim), { from: horizonStart(to), to, categoryType: 'all', pageSize: 5 });
    const s = sim;
    const err = await rejectsZoom(
      (async () => {
        for (let i = 0; i < 100; i++) {
          await cursor.nextPage();
          s.clock.advance(16 * MIN);
        }
      })(),
    );
    assert.equal(err.kind, 'pageToken');
    assert.match(err.message, /3 fresh starts/);
    assert.equal(sim.count({ path: REPORT_PATH, status: 400 }), 4);
    // Page 1; then each start over re-reads the pages already seen (skipped) plus one new page:
    // 1 + (400 + 2) + (400 + 3) + (400 + 4) + final 400 = 14. Bounded, never a loop.
    assert.equal(reportRequests(sim), 14);
  });

  for (const concurrency of [1, 8]) {
    it(`collectAll over several category queries is exact and newest first (concurrency ${concurrency})`, async () => {
      sim = await startSimulator({ seed: 32, entries: 3000, rps: 0 });
      const to = todayUtc(sim.clock.now());
      const from = addDays(horizonStart(to), 3);
      const cats = ['user', 'account', 'user_settings'] as const;
      let lastProgress = { entries: 0, pages: 0 };
      const got = await collectAll(
        staticClient(sim),
        cats.map((c) => ({ from, to, categoryType: c, pageSize: 60 })),
        { concurrency, onProgress: (p) => (lastProgress = { ...p }) },
      );
      assertSameMultiset(
        got,
        cats.flatMap((c) => sim?.expected({ from, to, category: c }) ?? []),
      );
      assert.equal(lastProgress.entries, got.length);
      assert.equal(lastProgress.pages, reportRequests(sim));
      for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].timeMs >= got[i].timeMs);
      assert.ok(reportRequests(sim) >= cats.length * monthWindows(from, to).length);
    });
  }

  it('an empty range costs one request per window and yields nothing', async () => {
    sim = await startSimulator({ data: [], rps: 0 });
    const to = todayUtc(sim.clock.now());
    const from = horizonStart(to);
    const got = await collectAll(staticClient(sim), [{ from, to, categoryType: 'all', pageSize: 300 }]);
    assert.equal(got.length, 0);
    assert.equal(reportRequests(sim), monthWindows(from, to).length);
  });
});
