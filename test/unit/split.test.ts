/**
 * Adaptive window splitting (src/zoom/split.ts, used by collectAll) against the simulator: every entry exactly once
 * across the seams for dense, sparse, skewed and same-second data, with a page token expiring inside a split chain,
 * with cancel and the daily cap; the planner splits only when the rate limiter has room, and a sparse range costs
 * no more requests than unsplit.
 */
import assert from 'node:assert/strict';
import { startSimulator, type SimEntry, type Simulator } from '../simulator/index';
import { generateEntries, mulberry32 } from '../simulator/data';
import { addDays, horizonStart, monthWindows, todayUtc, type DateWindow } from '../../src/zoom/dates';
import { collectAll, type PageSource } from '../../src/zoom/paging';
import { dayCount, SkipSet, splitByWeight, splitDays, type SplitOptions } from '../../src/zoom/split';
import type { PageRequest } from '../../src/zoom/types';
import { RateLimiter } from '../../src/zoom/rateLimiter';
import { assertSameMultiset, rejectsZoom, reportRequests, staticClient, REPORT_PATH } from './support/helpers';

const MIN = 60_000;
const DAY_MS = 86_400_000;

/** Report requests whose range is not one of the query's month windows: the split chains' requests. */
function splitRequests(sim: Simulator, from: string, to: string): { from: string; to: string; token: boolean }[] {
  const months = new Set(monthWindows(from, to).map((w) => `${w.from}|${w.to}`));
  return sim.requests
    .filter((r) => r.path === REPORT_PATH && !months.has(`${r.query.from}|${r.query.to}`))
    .map((r) => ({ from: r.query.from, to: r.query.to, token: !!r.query.next_page_token }));
}

/** Sub-ranges that were started (first page, no token) must never share a day with a sibling that was started too. */
function assertNoSharedDayAmongLeaves(sim: Simulator): void {
  const firsts = sim.requests
    .filter((r) => r.path === REPORT_PATH && !r.query.next_page_token && r.status === 200)
    .map((r) => ({ from: r.query.from, to: r.query.to }));
  // A range nested in another is a child of a split (it re-reads its parent's days on purpose); ranges that
  // overlap without nesting would give a day to two chains.
  for (const a of firsts) {
    for (const b of firsts) {
      const overlap = a.from <= b.to && b.from <= a.to;
      const nested = (a.from >= b.from && a.to <= b.to) || (b.from >= a.from && b.to <= a.to);
      assert.ok(!overlap || nested, `ranges ${a.from}..${a.to} and ${b.from}..${b.to} share days without nesting`);
    }
  }
}

function entry(time: string, detail: string): SimEntry {
  return { time, operator: 'admin@example.com', category_type: 'User', action: 'Update', operation_detail: detail };
}

function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

describe('Split: adaptive window splitting in collectAll', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  describe('splitDays and SkipSet', () => {
    it('splitDays gives contiguous whole-day ranges, newest first, covering every day once', () => {
      for (const [from, to, k] of [
        ['2026-10-01', '2026-10-31', 3],
        ['2026-02-01', '2026-02-28', 5],
        ['2026-11-01', '2026-11-02', 7],
        ['2026-05-26', '2026-05-31', 1],
      ] as const) {
        const parts = splitDays(from, to, k);
        assert.equal(parts.length, Math.min(k, dayCount(from, to)));
        assert.equal(parts[0].to, to);
        assert.equal(parts[parts.length - 1].from, from);
        for (let i = 0; i + 1 < parts.length; i++) assert.equal(addDays(parts[i + 1].to, 1), parts[i].from);
        const sizes = parts.map((p) => dayCount(p.from, p.to));
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes.join(',')}`);
        assert.equal(
          sizes.reduce((a, b) => a + b, 0),
          dayCount(from, to),
        );
      }
    });

    it('splitByWeight gives heavy days ranges of their own and groups light days, covering every day once', () => {
      // 2026-09-01..30, oldest first: light days except 09-11..09-17 (dense).
      const weights = Array.from({ length: 30 }, (_, i) => (i >= 10 && i <= 16 ? 7_700 : 33));
      const parts = splitByWeight('2026-09-01', '2026-09-30', weights, 12);
      assert.ok(parts.length <= 12);
      assert.equal(parts[0].to, '2026-09-30');
      assert.equal(parts[parts.length - 1].from, '2026-09-01');
      for (let i = 0; i + 1 < parts.length; i++) assert.equal(addDays(parts[i + 1].to, 1), parts[i].from);
      for (const d of ['2026-09-12', '2026-09-13', '2026-09-14', '2026-09-15', '2026-09-16']) {
        assert.ok(
          parts.some((p) => p.from === d && p.to === d),
          `${d} alone in ${JSON.stringify(parts)}`,
        );
      }
      assert.ok(
        parts.some((p) => dayCount(p.from, p.to) >= 10),
        'light days grouped',
      );
    });

    it('SkipSet takes each hash as often as it was given, then no more', () => {
      const s = new SkipSet([1, 2, 2, 3]);
      assert.equal(s.take(2), true);
      assert.equal(s.take(2), true);
      assert.equal(s.take(2), false);
      assert.equal(s.take(4), false);
      assert.equal(s.size, 2);
    });
  });

  describe('exactly once across seams (forced splits: a fixed number of pages per chain)', () => {
    const forced: SplitOptions = { pagesPerChain: 3 };

    async function exportAll(s: Simulator, pageSize: number, split: SplitOptions = forced) {
      const to = todayUtc(s.clock.now());
      const from = horizonStart(to);
      const got = await collectAll(staticClient(s), [{ from, to, categoryType: 'all', pageSize }], { split });
      return { got, from, to, want: s.expected({ from, to }) };
    }

    it('dense: 20,000 entries at page size 100 split into day ranges; exact multiset, newest first', async function () {
      this.timeout(30_000);
      sim = await startSimulator({ seed: 101, entries: 20_000, rps: 0 });
      const { got, from, to, want } = await exportAll(sim, 100);
      assertSameMultiset(got, want);
      for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].timeMs >= got[i].timeMs, 'newest first');
      const split = splitRequests(sim, from, to);
      assert.ok(split.length > 100, `${split.length} requests on split ranges`);
      assertNoSharedDayAmongLeaves(sim);
    });

    it('sparse: 1,500 entries at page size 20; exact', async function () {
      this.timeout(30_000);
      sim = await startSimulator({ seed: 102, entries: 1_500, rps: 0 });
      const { got, from, to, want } = await exportAll(sim, 20);
      assertSameMultiset(got, want);
      assert.ok(splitRequests(sim, from, to).length > 0, 'split');
      assertNoSharedDayAmongLeaves(sim);
    });

    it('skewed: 90% of 8,000 entries in one week; nested splits down to single days; exact', async function () {
      this.timeout(30_000);
      const now = Date.now();
      const rng = mulberry32(7);
      const weekStart = Math.floor(now / DAY_MS) * DAY_MS - 40 * DAY_MS;
      const data = generateEntries({ seed: 103, count: 8_000, now }).map((e, i) =>
        i % 10 === 0 ? e : { ...e, time: iso(weekStart + Math.floor(rng() * 7 * DAY_MS)) },
      );
      sim = await startSimulator({ data, now, rps: 0 });
      const { got, from, to, want } = await exportAll(sim, 50, { pagesPerChain: 4 });
      assertSameMultiset(got, want);
      const split = splitRequests(sim, from, to);
      assert.ok(
        split.some((r) => r.from === r.to),
        'some chain was split down to a single day',
      );
      assertNoSharedDayAmongLeaves(sim);
    });

    it('same second: bursts of identical and near-identical entries at 23:59:59 and 00:00:00 keep their counts', async function () {
      this.timeout(30_000);
      const now = Date.now();
      const today = Math.floor(now / DAY_MS) * DAY_MS;
      const data: SimEntry[] = [];
      for (let d = 3; d < 40; d++) {
        const midnight = today - d * DAY_MS;
        for (const t of [midnight - 1000, midnight, midnight + 12 * 3600_000]) {
          for (let i = 0; i < 12; i++) data.push(entry(iso(t), 'Update User same@example.com  - Job Title: set to X'));
          for (let i = 0; i < 6; i++) data.push(entry(iso(t), `Update User u${i}@example.com  - Job Title: set to X`));
        }
      }
      sim = await startSimulator({ data, now, rps: 0 });
      const { got, from, to, want } = await exportAll(sim, 10, { pagesPerChain: 2 });
      assertSameMultiset(got, want);
      assert.ok(splitRequests(sim, from, to).length > 0, 'split');
      assertNoSharedDayAmongLeaves(sim);
    });
  });

  it('a page token expiring in the middle of a split chain restarts that chain only; still exact', async function () {
    this.timeout(30_000);
    sim = await startSimulator({ seed: 104, entries: 6_000, rps: 0 });
    const s = sim;
    const to = todayUtc(s.clock.now());
    const from = horizonStart(to);
    const months = new Set(monthWindows(from, to).map((w) => `${w.from}|${w.to}`));
    const inner = staticClient(s);
    let tokenPagesOnSplits = 0;
    let advanced = false;
    // A client that, after the 10th token page of a split chain, moves the simulator's clock 16 minutes on:
    // every page token issued before then has expired.
    const client: PageSource & { limiter: RateLimiter } = {
      limiter: inner.limiter,
      async fetchPage(req: PageRequest, signal?: AbortSignal) {
        const page = await inner.fetchPage(req, signal);
        if (req.nextPageToken && !months.has(`${req.from}|${req.to}`) && ++tokenPagesOnSplits === 10) {
          s.clock.advance(16 * MIN);
          advanced = true;
        }
        return page;
      },
    };
    const got = await collectAll(client, [{ from, to, categoryType: 'all', pageSize: 30 }], {
      split: { pagesPerChain: 4 },
    });
    assert.ok(advanced, 'the clock moved while split chains were paging');
    const expired = s.count({ path: REPORT_PATH, status: 400 });
    assert.ok(expired >= 1, `${expired} expired-token answers`);
    assertSameMultiset(got, s.expected({ from, to }));
  });

  it('cancel while split chains page: rejects with kind cancelled and sends nothing more', async function () {
    this.timeout(10_000);
    sim = await startSimulator({ seed: 105, entries: 8_000, rps: 0, latencyMs: 100 });
    const to = todayUtc(sim.clock.now());
    const from = horizonStart(to);
    const ac = new AbortController();
    const s = sim;
    const p = collectAll(staticClient(sim), [{ from, to, categoryType: 'all', pageSize: 50 }], {
      signal: ac.signal,
      split: { pagesPerChain: 3 },
    });
    let abortAt = 0;
    const timer = setInterval(() => {
      if (splitRequests(s, from, to).length >= 20 && !abortAt) {
        abortAt = Date.now();
        ac.abort();
      }
    }, 5);
    try {
      const err = await rejectsZoom(p);
      assert.equal(err.kind, 'cancelled');
    } finally {
      clearInterval(timer);
    }
    assert.ok(abortAt > 0, 'aborted after split chains started');
    // Requests already on the wire when the abort came may still reach the server; nothing is sent later.
    await new Promise((r) => setTimeout(r, 100));
    const before = sim.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(sim.requests.filter((r) => r.realAt > abortAt + 50).length, 0, 'no request after the abort');
    assert.equal(sim.requests.length, before);
  });

  it('the daily cap stops a split export at once with kind dailyLimit', async function () {
    this.timeout(10_000);
    sim = await startSimulator({ seed: 106, entries: 6_000, rps: 0, dailyLimit: 30 });
    const to = todayUtc(sim.clock.now());
    const from = horizonStart(to);
    const err = await rejectsZoom(
      collectAll(staticClient(sim), [{ from, to, categoryType: 'all', pageSize: 30 }], {
        split: { pagesPerChain: 3 },
      }),
    );
    assert.equal(err.kind, 'dailyLimit');
    await new Promise((r) => setTimeout(r, 100));
    const over = reportRequests(sim, 429);
    assert.ok(over >= 1 && over <= 64, `${over} daily-cap answers (at most one per chain in flight)`);
    assert.ok(splitRequests(sim, from, to).length > 0, 'the export had split before the cap');
  });

  describe('the planner (timing model: rate limiter and measured latency)', () => {
    /** A client with its own limiter at `rps`, on a simulator answering after `latencyMs`. */
    function client(s: Simulator, rps: number) {
      return staticClient(s, { requestsPerSecond: undefined, limiter: new RateLimiter(rps) });
    }

    it('with room at the limiter (40/s, 200 ms latency: 8 requests per round trip, 7 windows) a dense range is split and stays exact', async function () {
      this.timeout(30_000);
      sim = await startSimulator({ seed: 107, entries: 30_000, rps: 0, latencyMs: 200 });
      const to = todayUtc(sim.clock.now());
      const from = horizonStart(to);
      const got = await collectAll(client(sim, 40), [{ from, to, categoryType: 'all', pageSize: 300 }]);
      assertSameMultiset(got, sim.expected({ from, to }));
      assert.ok(splitRequests(sim, from, to).length > 0, 'split');
    });

    it('at 3 requests/s the month windows already keep the limiter busy: nothing is split', async function () {
      this.timeout(30_000);
      sim = await startSimulator({ seed: 108, entries: 3_000, rps: 0, latencyMs: 100 });
      const to = todayUtc(sim.clock.now());
      const from = horizonStart(to);
      const got = await collectAll(client(sim, 3), [{ from, to, categoryType: 'all', pageSize: 300 }]);
      assertSameMultiset(got, sim.expected({ from, to }));
      assert.equal(splitRequests(sim, from, to).length, 0);
    });

    it('a sparse range costs no more requests than unsplit (one page per window, and two pages per window)', async function () {
      this.timeout(30_000);
      const s: Simulator = await startSimulator({ seed: 109, entries: 500, rps: 0, latencyMs: 100 });
      sim = s;
      const to = todayUtc(s.clock.now());
      const from = horizonStart(to);
      const windows: DateWindow[] = monthWindows(from, to);
      for (const pageSize of [300, 50]) {
        s.resetLog();
        const got = await collectAll(client(s, 40), [{ from, to, categoryType: 'all', pageSize }]);
        assertSameMultiset(got, s.expected({ from, to }));
        const unsplit = windows.reduce((n, w) => n + Math.max(1, Math.ceil(s.expected(w).length / pageSize)), 0);
        const requests = reportRequests(sim);
        assert.ok(requests <= unsplit + 2, `page size ${pageSize}: ${requests} requests, ${unsplit} unsplit`);
        if (pageSize === 300) assert.equal(requests, unsplit);
      }
    });
  });
});
