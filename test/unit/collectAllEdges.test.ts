/**
 * collectAll's scheduler (src/zoom/paging.ts) against the simulator with hand-made data: when a window is split
 * and when it is not, the page budget of a split window, page sources without a rate limiter (never split),
 * the concurrency cap, and an empty list of queries. Every case checks the entries (exact multiset) and the
 * requests Zoom received.
 */
import assert from 'node:assert/strict';
import { startSimulator, type SimEntry, type Simulator } from '../simulator/index';
import { addDays } from '../../src/zoom/dates';
import { collectAll, type PageSource } from '../../src/zoom/paging';
import { assertSameMultiset, rejectsZoom, staticClient, REPORT_PATH } from './support/helpers';

/** "Today" for every case: 1 December 2026, so November is a whole month window inside the horizon. */
const NOW = Date.UTC(2026, 11, 1, 12);
const NOV = { from: '2026-11-01', to: '2026-11-30' } as const;

function entry(ms: number, detail: string): SimEntry {
  const time = new Date(ms).toISOString().replace('.000Z', 'Z');
  return { time, operator: 'admin@example.com', category_type: 'User', action: 'Update', operation_detail: detail };
}

/** `n` entries ending at `endMs`, `stepMs` apart (newest first). */
function run(n: number, endMs: number, stepMs: number, tag: string): SimEntry[] {
  return Array.from({ length: n }, (_, i) => entry(endMs - i * stepMs, `${tag}${i}`));
}

/** Two entries a day, at 06:00 and 18:00, on every day of November. */
function twiceADay(): SimEntry[] {
  const out: SimEntry[] = [];
  for (let d = 30; d >= 1; d--) {
    out.push(entry(Date.UTC(2026, 10, d, 18), `${d}b`), entry(Date.UTC(2026, 10, d, 6), `${d}a`));
  }
  return out;
}

/** The report requests, as `from..to` plus `+` when they carried a page token, in the order Zoom got them. */
function asked(sim: Simulator): string[] {
  return sim.requests
    .filter((r) => r.path === REPORT_PATH)
    .map((r) => `${r.query.from}..${r.query.to}${r.query.next_page_token ? '+' : ''}`);
}

/** Distinct ranges other than November itself that were started (first page, no token). */
function subRanges(sim: Simulator): string[] {
  return [...new Set(asked(sim).filter((a) => !a.endsWith('+') && a !== `${NOV.from}..${NOV.to}`))].sort();
}

describe('collectAll scheduling edges (simulator, hand-made data)', function () {
  this.timeout(10_000);
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('a window Zoom finishes on its first page is not split, however dense that page; one more entry splits', async () => {
    // 300 entries within five minutes: at that density the month would hold millions, but there is no next page.
    sim = await startSimulator({ data: run(300, Date.UTC(2026, 11 - 1, 30, 12), 1000, 'x'), now: NOW, rps: 0 });
    const got = await collectAll(staticClient(sim), [{ ...NOV, categoryType: 'all', pageSize: 300 }], {
      split: { pagesPerChain: 1 },
    });
    assert.equal(got.length, 300);
    assert.deepEqual(asked(sim), [`${NOV.from}..${NOV.to}`]);
    await sim.close();

    // Positive control: 301 entries (a second page) and the same planner split the window.
    sim = await startSimulator({ data: run(301, Date.UTC(2026, 11 - 1, 30, 12), 1000, 'x'), now: NOW, rps: 0 });
    const more = await collectAll(staticClient(sim), [{ ...NOV, categoryType: 'all', pageSize: 300 }], {
      split: { pagesPerChain: 1 },
    });
    assertSameMultiset(more, sim.expected(NOV));
    assert.ok(subRanges(sim).length >= 2, `sub-ranges: ${subRanges(sim).join(', ')}`);
  });

  it('a window estimated at twice the pages a chain may take is split in two, exactly once', async () => {
    // Page size 10: the first page holds Nov 26 06:00 .. Nov 30 18:00 (10 entries in 4.5 days, 2.2 a day), so
    // the month is estimated at about 67 entries: 7 pages, 6 to go. With 4 pages per chain: ceil(7 / 4) = 2 parts
    // which (3 or 4 pages each) are not split again.
    sim = await startSimulator({ data: twiceADay(), now: NOW, rps: 0 });
    const got = await collectAll(staticClient(sim), [{ ...NOV, categoryType: 'all', pageSize: 10 }], {
      split: { pagesPerChain: 4 },
    });
    assertSameMultiset(got, sim.expected(NOV));
    assert.equal(got.length, 60);
    // Two parts that tile November (the day weights put the seam near the middle), each paged to its end and not
    // split again: 1 first page + 4 pages for 36 entries + 3 for 24 = 8 requests, 2 more than unsplit.
    const parts = subRanges(sim).map((r) => r.split('..'));
    assert.equal(parts.length, 2, `sub-ranges: ${subRanges(sim).join(', ')}`);
    const [older, newer] = parts;
    assert.equal(older[0], NOV.from);
    assert.equal(newer[1], NOV.to);
    assert.equal(addDays(older[1], 1), newer[0]);
    assert.equal(asked(sim).length, 8);
  });

  it('onEntries gets each entry of the result once, page by page, while the split re-reads pages it skips', async () => {
    // The same split as above: the children read November's first ten entries again and skip them.
    sim = await startSimulator({ data: twiceADay(), now: NOW, rps: 0 });
    const batches: number[] = [];
    const seen: unknown[] = [];
    let requestsAtFirstBatch = -1;
    const got = await collectAll(staticClient(sim), [{ ...NOV, categoryType: 'all', pageSize: 10 }], {
      split: { pagesPerChain: 4 },
      onEntries: (es) => {
        if (requestsAtFirstBatch < 0) requestsAtFirstBatch = asked(sim!).length;
        batches.push(es.length);
        seen.push(...es);
      },
    });
    assert.equal(asked(sim).length, 8);
    // Told as pages arrive (after the first request, not at the end), never an empty batch, nothing twice.
    assert.equal(requestsAtFirstBatch, 1);
    assert.ok(
      batches.every((n) => n > 0 && n <= 10),
      `batches: ${batches.join(' ')}`,
    );
    assert.equal(seen.length, 60);
    assert.equal(new Set(seen).size, 60);
    // Exactly the objects returned.
    assert.deepEqual(new Set(seen), new Set(got));
  });

  it("a split window's pages count against its budget together: more than maxPagesPerWindow stops it", async () => {
    // 60 entries at page size 10 with 2 pages per chain: the window splits after its first page and its
    // parts need 2 or 3 pages each (none alone reaches 4), 7 or more in all.
    sim = await startSimulator({ data: twiceADay(), now: NOW, rps: 0 });
    const query = { ...NOV, categoryType: 'all' as const, pageSize: 10, limits: { maxPagesPerWindow: 4 } };
    const err = await rejectsZoom(collectAll(staticClient(sim), [query], { split: { pagesPerChain: 2 } }));
    assert.equal(err.kind, 'badResponse');
    assert.equal(
      err.message,
      'Zoom sent more than 4 pages for 2026-11-01 to 2026-11-30; stopped so the download ends. Try a shorter range or a larger page size ("zoomOperationLogs.pageSize").',
    );
    await sim.close();

    // The same window with a budget of 20 pages completes, exactly.
    sim = await startSimulator({ data: twiceADay(), now: NOW, rps: 0 });
    const got = await collectAll(staticClient(sim), [{ ...query, limits: { maxPagesPerWindow: 20 } }], {
      split: { pagesPerChain: 2 },
    });
    assertSameMultiset(got, sim.expected(NOV));
    assert.ok(subRanges(sim).length >= 2);
  });

  it('a page source without a rate limiter is never split: one chain of page tokens per month window', async () => {
    sim = await startSimulator({ data: twiceADay(), now: NOW, rps: 0 });
    const client = staticClient(sim);
    // Only fetchPage: no limiter for the planner to read.
    const bare: PageSource = { fetchPage: (req, signal) => client.fetchPage(req, signal) };
    const got = await collectAll(bare, [{ ...NOV, categoryType: 'all', pageSize: 10 }], {
      split: { pagesPerChain: 1 },
    });
    assertSameMultiset(got, sim.expected(NOV));
    const range = `${NOV.from}..${NOV.to}`;
    assert.deepEqual(asked(sim), [range, ...new Array(5).fill(`${range}+`)]);
  });

  it('concurrency 1 pages one window to its end before the next; no queries, no requests', async () => {
    sim = await startSimulator({
      data: twiceADay().concat(run(15, Date.UTC(2026, 9, 31, 12), 60_000, 'o')),
      now: NOW,
      rps: 0,
    });
    const got = await collectAll(
      staticClient(sim),
      [{ from: '2026-10-01', to: '2026-11-30', categoryType: 'all', pageSize: 10 }],
      { split: false, concurrency: 1 },
    );
    assert.equal(got.length, 75);
    assert.deepEqual(
      got.slice(0, 2).map((e) => e.operationDetail),
      ['30b', '30a'],
      'newest first',
    );
    assert.deepEqual(asked(sim), [
      '2026-11-01..2026-11-30',
      ...new Array(5).fill('2026-11-01..2026-11-30+'),
      '2026-10-01..2026-10-31',
      '2026-10-01..2026-10-31+',
    ]);
    sim.resetLog();
    assert.deepEqual(await collectAll(staticClient(sim), []), []);
    assert.equal(asked(sim).length, 0);
  });
});
