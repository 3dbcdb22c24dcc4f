/**
 * Item 14: the cursor de-duplicates a restarted window with a compact multiset of 53-bit entry
 * hashes, so a consumer that keeps nothing holds next to nothing; exactly-once still holds.
 */
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startSimulator, type SimEntry, type Simulator } from '../simulator/index';
import { categoryKey } from '../../src/zoom/categories';
import { entryHash, iterateEntries, QueryCursor, type PageSource } from '../../src/zoom/paging';
import type { OperationLogEntry, Page, PageRequest } from '../../src/zoom/types';
import { assertSameMultiset, REPORT_PATH, staticClient } from './support/helpers';

const MIN = 60_000;

/**
 * A fake client with `total` distinct entries in one window, `pageSize` per page, built on demand
 * (nothing kept): what a fast server would send, without HTTP or JSON costs.
 */
function fakeWindow(total: number): PageSource & { calls: number } {
  const base = Date.UTC(2026, 10, 26, 12);
  return {
    calls: 0,
    fetchPage(req: PageRequest): Promise<Page> {
      this.calls++;
      const start = req.nextPageToken ? Number(req.nextPageToken.slice(1)) : 0;
      const n = Math.min(req.pageSize, total - start);
      const entries: OperationLogEntry[] = new Array<OperationLogEntry>(n);
      for (let i = 0; i < n; i++) {
        const k = start + i;
        const timeMs = base - k * 1000;
        entries[i] = {
          time: new Date(timeMs).toISOString().replace('.000Z', 'Z'),
          timeMs,
          operator: `admin${k % 97}@example.com`,
          categoryType: 'User',
          category: categoryKey('User'),
          action: 'Update',
          operationDetail: `Update User user${k}@example.com  - Job Title: set to Engineer ${k}`,
        };
      }
      const next = start + n < total ? `p${start + n}` : '';
      return Promise.resolve({ entries, nextPageToken: next });
    },
  };
}

/** global.gc when node runs with --expose-gc; otherwise the same function, exposed at run time. */
function forcedGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function retainedBytes(): number {
  const gc = forcedGc();
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('Paging: bounded memory and exactly-once with hashed de-duplication', function () {
  this.timeout(60_000);
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('1,000,000 entries in one window through iterateEntries, consumer keeps nothing: retained heap < 30 MB', async function () {
    const client = fakeWindow(1_000_000);
    const query = { from: '2026-11-01', to: '2026-11-26', categoryType: 'all' as const, pageSize: 300 };
    const before = retainedBytes();
    const t0 = Date.now();
    let count = 0;
    let retained = -1;
    for await (const e of iterateEntries(client, query)) {
      count++;
      if (e.timeMs <= 0) assert.fail('bad entry');
      // Measured while the window is still open (its last page starts at 999,900).
      if (count === 999_000) retained = retainedBytes() - before;
    }
    const ms = Date.now() - t0;
    assert.equal(count, 1_000_000);
    assert.equal(client.calls, Math.ceil(1_000_000 / 300));
    console.log(
      `[paging] 1,000,000 entries in one window: retained ${(retained / 1048576).toFixed(1)} MB at entry 999,000` +
        ` (heapUsed + arrayBuffers after a forced gc), ${ms} ms, ${client.calls} pages`,
    );
    assert.ok(retained < 30 * 1048576, `retained ${(retained / 1048576).toFixed(1)} MB`);
  });

  it('identical same-second entries straddling pages survive two page-token restarts exactly once', async () => {
    const t = '2026-11-26T08:00:00Z';
    const same: SimEntry = {
      time: t,
      operator: 'admin@example.com',
      category_type: 'User',
      action: 'Update',
      operation_detail: 'Update User x  - Job Title: set to ',
    };
    const data: SimEntry[] = [
      ...Array.from({ length: 40 }, () => ({ ...same })),
      ...Array.from({ length: 15 }, () => ({ ...same, action: 'Batch Update' })),
      ...Array.from({ length: 20 }, (_, i) => ({ ...same, operation_detail: `other ${i}` })),
      ...Array.from({ length: 9 }, (_, i) => ({
        ...same,
        time: '2026-11-26T07:59:59Z',
        operation_detail: `b ${i % 3}`,
      })),
    ];
    sim = await startSimulator({ data, rps: 0, now: Date.UTC(2026, 10, 26, 12) });
    const cursor = new QueryCursor(staticClient(sim), {
      from: '2026-11-26',
      to: '2026-11-26',
      categoryType: 'all',
      pageSize: 7,
    });
    const got: OperationLogEntry[] = [];
    for (let i = 0; i < 3; i++) got.push(...(await cursor.nextPage()));
    sim.clock.advance(16 * MIN); // first restart after 21 entries
    for (let i = 0; i < 4; i++) got.push(...(await cursor.nextPage()));
    sim.clock.advance(16 * MIN); // second restart, mid-way through the identical run
    for (let i = 0; i < 100 && !cursor.done; i++) got.push(...(await cursor.nextPage()));
    assert.ok(cursor.done);
    assert.equal(sim.count({ path: REPORT_PATH, status: 400 }), 2, 'two restarts happened');
    assertSameMultiset(got, sim.data);
    assert.equal(got.filter((e) => e.action === 'Update' && e.operationDetail === same.operation_detail).length, 40);
  });

  it('entryHash: field boundaries matter, equal entries hash equally, the value is an exact integer < 2^53', () => {
    const e = (operator: string, action: string): OperationLogEntry => ({
      time: '2026-11-26T08:00:00Z',
      timeMs: 0,
      operator,
      categoryType: 'User',
      category: 'user',
      action,
      operationDetail: '',
    });
    assert.notEqual(entryHash(e('ab', 'c')), entryHash(e('a', 'bc')));
    assert.equal(entryHash(e('a', 'b')), entryHash(e('a', 'b')));
    const h = entryHash(e('x', 'y'));
    assert.ok(Number.isSafeInteger(h) && h >= 0);
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(entryHash(e(`u${i}@example.com`, 'Update')));
    assert.equal(seen.size, 200_000, 'no collision among 200,000 similar entries');
  });
});
