/**
 * The split planner's arithmetic (src/zoom/split.ts) without a server: what one page tells ChainEstimate about
 * a month window, and how many day ranges SplitPlanner cuts it into at a given rate and latency. The simulator
 * suites (split.test.ts) show that splits stay exact; these pin the decisions themselves, with numbers worked
 * out by hand in the comments.
 */
import assert from 'node:assert/strict';
import { ChainEstimate, dayCount, MAX_CHAINS, splitByWeight, SplitPlanner } from '../../src/zoom/split';

/** Noon UTC on the last day of the January window. */
const END = Date.UTC(2026, 0, 31, 12);
const HOUR = 3_600_000;

/** `n` entries, newest first, from `endMs` back over `spanMs` (evenly spaced). */
function page(n: number, spanMs: number, endMs = END): { timeMs: number }[] {
  return Array.from({ length: n }, (_, i) => ({ timeMs: endMs - Math.round((i * spanMs) / Math.max(1, n - 1)) }));
}

/**
 * January (31 days) at page size 100 after its first page: 100 entries within 3 hours on the 31st
 * (span 2:59:59 + 1 s = 10,800,000 ms). Density 100 per 3 h = 800 a day, on every day not seen yet:
 * 31 x 800 = 24,800 entries, 247 pages still to go.
 */
function january(): ChainEstimate {
  const c = new ChainEstimate('2026-01-01', '2026-01-31', 100);
  c.observe(page(100, 3 * HOUR - 1000), 1);
  return c;
}

function planner(rate: number, latencyMs: number, opts = {}): SplitPlanner {
  const p = new SplitPlanner({ rate, windowMs: 1000 }, opts);
  p.observeLatency(latencyMs);
  return p;
}

describe('Split planner arithmetic (ChainEstimate, SplitPlanner)', () => {
  describe('ChainEstimate', () => {
    it('before any page: a month window is one page of unknown size; a split part starts from its share', () => {
      const w = new ChainEstimate('2026-01-01', '2026-01-31', 100);
      assert.equal(w.days, 31);
      assert.equal(w.known, false);
      assert.equal(w.isWindow, true);
      assert.equal(w.totalEntries, 100);
      assert.equal(w.remainingPages, 1);
      assert.deepEqual(w.dayWeights(), new Array(31).fill(0));

      const part = new ChainEstimate('2026-01-10', '2026-01-12', 100, 5);
      assert.equal(part.days, 3);
      assert.equal(part.known, true);
      assert.equal(part.isWindow, false);
      assert.equal(part.totalEntries, 500);
      assert.equal(part.remainingPages, 5);
    });

    it('a full first page sets the density for every unseen day: 800 a day, 24,800 in January, 247 pages left', () => {
      const c = january();
      assert.equal(c.entriesRead, 100);
      assert.equal(c.pagesRead, 1);
      assert.equal(c.known, true);
      const w = c.dayWeights();
      assert.equal(w.length, 31);
      assert.deepEqual(w, new Array(31).fill(800));
      assert.equal(c.totalEntries, 24_800);
      assert.equal(c.remainingPages, 247);
    });

    it("days read count at their own page's density, days not read yet at the densest page's", () => {
      const c = new ChainEstimate('2026-01-27', '2026-01-31', 100);
      // 60 entries over the whole of the 31st: 60 a day.
      c.observe(page(60, 24 * HOUR - 1000, Date.UTC(2026, 0, 31, 23, 59, 59)), 1);
      assert.deepEqual(c.dayWeights(), [60, 60, 60, 60, 60]);
      // A sparser page (50 entries over the 29th and 30th, 25 a day) leaves the density at 60 for the 27th
      // and 28th, which no page has read, while the two days it read count at their own page's density.
      c.observe(page(50, 48 * HOUR - 1000, Date.UTC(2026, 0, 30, 23, 59, 59)), 1);
      assert.deepEqual(c.dayWeights(), [60, 60, 25, 25, 60]);
      assert.equal(c.totalEntries, 230, 'the days say 230, more than what was read plus a page (210)');
      assert.equal(c.entriesRead, 110);
      assert.equal(c.pagesRead, 2);
      // A denser page (100 entries in 12 h on the 28th, 200 a day, out of order) raises it for the 27th too.
      const dense = page(100, 12 * HOUR - 1000, Date.UTC(2026, 0, 28, 23, 59, 59));
      c.observe([...dense.slice(50), ...dense.slice(0, 50)], 1);
      assert.deepEqual(c.dayWeights(), [200, 200, 25, 25, 60]);
    });

    it('a page less than half full, a batch of two pages and a page without times leave the density unknown', () => {
      const half = new ChainEstimate('2026-01-01', '2026-01-31', 100);
      half.observe(page(49, HOUR), 1);
      assert.equal(half.known, false, '49 of 100');
      assert.equal(half.totalEntries, 149, 'what was read plus one page');
      assert.equal(half.remainingPages, 1);
      half.observe(page(50, HOUR), 1);
      assert.equal(half.known, true, '50 of 100 is half full');

      const two = new ChainEstimate('2026-01-01', '2026-01-31', 100);
      two.observe(page(100, HOUR), 2);
      assert.equal(two.known, false, 'two pages in one batch (a restart) say nothing about one page');
      assert.equal(two.pagesRead, 2);

      const noTimes = new ChainEstimate('2026-01-01', '2026-01-31', 100);
      noTimes.observe(
        Array.from({ length: 100 }, () => ({ timeMs: NaN })),
        1,
      );
      assert.equal(noTimes.known, false);
      assert.deepEqual(noTimes.dayWeights(), new Array(31).fill(0));
      assert.equal(noTimes.entriesRead, 100);
    });

    it('a full page within one second counts as 100 entries per second', () => {
      const c = new ChainEstimate('2026-01-31', '2026-01-31', 100);
      c.observe(
        Array.from({ length: 100 }, () => ({ timeMs: END })),
        1,
      );
      assert.deepEqual(c.dayWeights(), [100 * 86_400]);
    });

    it('stops counting days after 8 pages', () => {
      const c = new ChainEstimate('2026-01-30', '2026-01-31', 100);
      for (let i = 0; i < 8; i++) c.observe(page(10, HOUR, Date.UTC(2026, 0, 31, 12 - i)), 1);
      assert.deepEqual(c.dayWeights(), [0, 80]);
      c.observe(page(10, HOUR, Date.UTC(2026, 0, 30, 12)), 1);
      assert.deepEqual(c.dayWeights(), [0, 80], 'the 9th page is counted in entriesRead only');
      assert.equal(c.entriesRead, 90);
      assert.equal(c.pagesRead, 9);
    });
  });

  describe('day ranges', () => {
    it('dayCount: inclusive days; 0 for a reversed range or a date that is not one', () => {
      assert.equal(dayCount('2026-01-01', '2026-01-31'), 31);
      assert.equal(dayCount('2026-03-28', '2026-03-30'), 3);
      assert.equal(dayCount('2026-01-10', '2026-01-10'), 1);
      assert.equal(dayCount('2026-01-10', '2026-01-08'), 0);
      assert.equal(dayCount('2026-01-10', '2026-01-09'), 0);
      assert.equal(dayCount('January', '2026-01-31'), 0);
      assert.equal(dayCount('2026-01-01', '2026-02-30'), 0);
    });

    it('splitByWeight: a heavy newest day gets a range of its own; no weights or the wrong count split evenly', () => {
      const w = [1, 1, 1, 1, 1, 1, 1, 1, 1, 100];
      assert.deepEqual(splitByWeight('2026-01-01', '2026-01-10', w, 2), [
        { from: '2026-01-10', to: '2026-01-10' },
        { from: '2026-01-01', to: '2026-01-09' },
      ]);
      const even = [
        { from: '2026-01-06', to: '2026-01-10' },
        { from: '2026-01-01', to: '2026-01-05' },
      ];
      assert.deepEqual(splitByWeight('2026-01-01', '2026-01-10', [1, 1, 1], 2), even, '3 weights for 10 days');
      assert.deepEqual(splitByWeight('2026-01-01', '2026-01-10', new Array(10).fill(0), 2), even, 'all zero');
    });
  });

  describe('SplitPlanner', () => {
    it('is made only for a source with a rate limiter, and never with split: false', () => {
      const limiter = { rate: 10, windowMs: 1000 };
      assert.ok(SplitPlanner.forSource({ limiter }) instanceof SplitPlanner);
      assert.equal(SplitPlanner.forSource({ limiter }, false), undefined);
      assert.equal(SplitPlanner.forSource({}), undefined);
      assert.equal(SplitPlanner.forSource({ limiter: { rate: '10', windowMs: 1000 } }), undefined);
      assert.equal(SplitPlanner.forSource({ limiter: { rate: 10 } }), undefined);
    });

    it('40 requests/s at 200 ms: January alone splits into 11 ranges of about 23 pages', () => {
      // jobMs = 247 / 0.04 = 6,175; alone 247 x 200 = 49,400 > 6,175 + 225 (re-read + a round trip): a straggler.
      // Chains to keep the limiter busy: 0.04 x 200 x 1.3 = 10.4; per chain min(6,175 / 200, 247 / 10.4) = 23.
      // ceil(248 / 23) = 11.
      const p = planner(40, 200);
      const c = january();
      p.add(c);
      assert.equal(p.parts(c), 11);
    });

    it('other chains waiting for their first page count as the average window: 6 of them leave room for 2, 7 none', () => {
      // Each unknown window counts 248 pages: with 6, 1,735 pages = 43,375 ms at the limiter, still less than
      // 49,400 - 225 alone: split, into ceil(248 / floor(min(216.9, 166.8))) = 2. With 7: 49,575 ms: no split.
      for (const [waiting, parts] of [
        [6, 2],
        [7, 0],
      ]) {
        const p = planner(40, 200);
        const c = january();
        p.add(c);
        for (let i = 0; i < waiting; i++) p.add(new ChainEstimate('2025-12-01', '2025-12-31', 100));
        assert.equal(p.parts(c), parts, `${waiting} windows waiting`);
      }
    });

    it('a chain removed from the planner no longer counts', () => {
      const p = planner(40, 200);
      const c = january();
      p.add(c);
      const others = Array.from({ length: 7 }, () => new ChainEstimate('2025-12-01', '2025-12-31', 100));
      for (const o of others) p.add(o);
      p.remove(others[0]);
      assert.equal(p.parts(c), 2);
    });

    it('at 3 requests/s and at 10 at 300 ms the limiter is the bottleneck: fewer or no splits', () => {
      const slow = planner(3, 100);
      const a = january();
      slow.add(a);
      assert.equal(slow.parts(a), 0, '3/s: 247 pages take 82 s at the limiter, 24.7 s alone');
      // 10/s at 300 ms: busy = 3 chains, 3.9 with room; per chain min(24,700 / 300, 247 / 3.9) = 63: 4 ranges.
      const pro = planner(10, 300);
      const b = january();
      pro.add(b);
      assert.equal(pro.parts(b), 4);
    });

    it('no latency measured yet, or fewer than 8 pages to go: no split', () => {
      const p = new SplitPlanner({ rate: 40, windowMs: 1000 });
      const c = january();
      p.add(c);
      assert.equal(p.parts(c), 0, 'no round trip measured');
      p.observeLatency(-5);
      assert.equal(p.parts(c), 0, 'a negative time is not a latency');
      p.observeLatency(200);
      assert.equal(p.parts(c), 11);

      // A two-day chain with 7 pages to go is not split (too short to pay for the seam); with 8 it is.
      // 100 entries in 6 h: 400 a day, 800 in all, 7 pages after the first; in 5.4 h: 889, 8 pages to go.
      for (const [hours, left, parts] of [
        [6, 7, 0],
        [5.4, 8, 2],
      ]) {
        const short = new ChainEstimate('2026-01-30', '2026-01-31', 100);
        short.observe(page(100, hours * HOUR - 1000), 1);
        assert.equal(short.remainingPages, left);
        const q = planner(40, 200);
        q.add(short);
        assert.equal(q.parts(short), parts, `${left} pages to go`);
      }
    });

    it('the fastest round trip stands for the latency (at least 1 ms)', () => {
      // At 1 ms the limiter needs 0.04 chains: no straggler (247 ms alone < 6,175) and not idle.
      const p = planner(40, 500);
      p.observeLatency(0);
      p.observeLatency(300);
      const c = january();
      p.add(c);
      assert.equal(p.parts(c), 0);
      // The same chain at 200 ms splits (see above); at 500 ms the 200 ms wins once observed.
      const q = planner(40, 500);
      q.observeLatency(200);
      q.observeLatency(250);
      const d = january();
      q.add(d);
      assert.equal(q.parts(d), 11);
    });

    it('a chain that has read more than 3 pages, or has a single day, is not split', () => {
      const p = planner(40, 200);
      const c = january();
      p.add(c);
      for (let i = 0; i < 3; i++) c.observe(page(100, 3 * HOUR - 1000, END - (i + 1) * 3 * HOUR), 1);
      assert.equal(c.pagesRead, 4);
      assert.equal(p.mayStillSplit(c), false);
      assert.equal(p.parts(c), 0);
      const q = planner(40, 200, { maxPagesRead: 4 });
      q.add(c);
      assert.equal(q.mayStillSplit(c), true);
      assert.ok(q.parts(c) >= 2);

      const day = new ChainEstimate('2026-01-31', '2026-01-31', 100);
      day.observe(page(100, 59_000), 1);
      assert.equal(day.remainingPages, 1439, '100 a minute');
      const r = planner(40, 200);
      r.add(day);
      assert.equal(r.mayStillSplit(day), false);
      assert.equal(r.parts(day), 0);
    });

    it('a straggler is split even when enough chains are running: 10/s at 300 ms with 3 short parts waiting', () => {
      // busy = 0.01 x 300 = 3 chains; 4 are there, so the limiter is not idle. All: 247 + 3 = 250 pages,
      // 25,000 ms at the limiter; January alone needs 247 x 300 = 74,100 ms: split, per chain
      // min(25,000 / 300, 250 / 3.9) = 64 pages: ceil(248 / 64) = 4.
      const p = planner(10, 300);
      const c = january();
      p.add(c);
      for (let d = 1; d <= 3; d++) p.add(new ChainEstimate(`2026-02-0${d}`, `2026-02-0${d}`, 100, 1));
      assert.equal(p.parts(c), 4);
    });

    it('an idle limiter splits a chain that is not the last to finish: 40/s at 200 ms beside a 2,000-page chain', () => {
      // All: 247 + 2,000 pages = 56,175 ms at the limiter, more than January's 49,400 ms alone: not a straggler.
      // But 2 chains keep only a quarter of the 8 the limiter could serve busy: split, per chain
      // min(56,175 / 200, 2,247 / 10.4) = 216 pages: 2 parts.
      const p = planner(40, 200);
      const c = january();
      p.add(c);
      p.add(new ChainEstimate('2025-12-01', '2025-12-31', 100, 2000));
      assert.equal(p.parts(c), 2);
    });

    it('windows waiting for a first page count as the average of the windows seen so far', () => {
      const p = planner(40, 200);
      const jan = january();
      p.add(jan);
      assert.equal(p.parts(jan), 11, 'January seen: 248 pages');
      // December: 100 entries over one whole day: 3,100 entries, 31 pages (30 to go).
      const dec = new ChainEstimate('2025-12-01', '2025-12-31', 100);
      dec.observe(page(100, 24 * HOUR - 1000, Date.UTC(2025, 11, 31, 23, 59, 59)), 1);
      p.add(dec);
      assert.equal(dec.remainingPages, 30);
      p.parts(dec);
      const waiting = Array.from({ length: 6 }, () => new ChainEstimate('2025-11-01', '2025-11-30', 100));
      for (const w of waiting) p.add(w);
      // Average window (248 + 31) / 2 = 139.5 pages: all = 247 + 30 + 6 x 139.5 = 1,114 pages, 27,850 ms;
      // January alone 49,400 ms: per chain min(27,850 / 200, 1,114 / 10.4) = 107 pages: ceil(248 / 107) = 3.
      assert.equal(p.parts(jan), 3);
      assert.equal(p.parts(jan), 3, 'asking again counts January once');
      assert.equal(p.parts(waiting[0]), 0, 'a window before its first page is never split');
      assert.equal(p.parts(jan), 3, 'nor counted as a window seen');
    });

    it('a split part is not split again before its own first page, whatever its share', () => {
      const p = new SplitPlanner({ rate: 40, windowMs: 1000 }, { pagesPerChain: 4 });
      const part = new ChainEstimate('2026-01-01', '2026-01-10', 100, 20);
      p.add(part);
      assert.equal(p.parts(part), 0);
      part.observe(page(100, 3 * HOUR - 1000, Date.UTC(2026, 0, 10, 12)), 1);
      assert.equal(p.parts(part), 10, 'after it: 800 a day, 80 pages, ceil(80 / 4) = 20, capped at 10 days');
    });

    it('a two-day chain can be split in two', () => {
      const c = new ChainEstimate('2026-01-30', '2026-01-31', 100);
      c.observe(page(100, 3 * HOUR - 1000), 1);
      const p = new SplitPlanner({ rate: 40, windowMs: 1000 }, { pagesPerChain: 4 });
      assert.equal(p.mayStillSplit(c), true);
      assert.equal(p.parts(c), 2);
    });

    it('with a fixed number of pages per chain: ranges of that many pages, capped by days and maxParts', () => {
      const c = january();
      const p = new SplitPlanner({ rate: 40, windowMs: 1000 }, { pagesPerChain: 50 });
      assert.equal(p.parts(c), 5, 'ceil(248 / 50), no latency needed');
      assert.equal(new SplitPlanner({ rate: 1, windowMs: 1000 }, { pagesPerChain: 10 }).parts(c), 25);
      assert.equal(new SplitPlanner({ rate: 1, windowMs: 1000 }, { pagesPerChain: 1 }).parts(c), 31, 'one per day');
      assert.equal(new SplitPlanner({ rate: 1, windowMs: 1000 }, { pagesPerChain: 1, maxParts: 6 }).parts(c), 6);
      assert.equal(new SplitPlanner({ rate: 1, windowMs: 1000 }, { pagesPerChain: 247 }).parts(c), 0, '247 to go');
      assert.equal(new SplitPlanner({ rate: 1, windowMs: 1000 }, { pagesPerChain: 246 }).parts(c), 2);
    });

    it('share < 1 cuts shorter chains; MAX_CHAINS caps the chains counted as needed', () => {
      // share 0.5: per chain min(0.5 x 6,175 / 200 = 15.4, 23.75) = 15: ceil(248 / 15) = 17, capped at 31 days.
      const p = planner(40, 200, { share: 0.5 });
      const c = january();
      p.add(c);
      assert.equal(p.parts(c), 17);
      // 400/s at 200 ms: 80 chains would keep it busy, counted as MAX_CHAINS (24): per chain
      // max(4, floor(min(617.5 / 200, 247 / 24))) = 4 pages: ceil(248 / 4) = 62, capped at 31 days.
      assert.equal(MAX_CHAINS, 24);
      const fast = planner(400, 200);
      const d = january();
      fast.add(d);
      assert.equal(fast.parts(d), 31);
    });
  });
});
