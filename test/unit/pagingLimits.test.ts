/**
 * Item 7: a server that hands out new page tokens with empty pages forever, or pages that never end,
 * stops with a clear ZoomError after a bounded number of requests (purpose-built loopback servers).
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticTokenSource } from '../../src/zoom/auth';
import { MAX_PAGE_ITEMS, parsePage, ZoomClient } from '../../src/zoom/client';
import { CategoryLog } from '../../src/model/categoryLog';
import { DateKeyer } from '../../src/model/timeZones';
import { collectAll, MAX_EMPTY_PAGES, maxEntriesPerWindow, QueryCursor } from '../../src/zoom/paging';
import { rejectsZoom } from './support/helpers';

interface Endless {
  client: ZoomClient;
  requests: () => number;
  close: () => Promise<void>;
}

/** A server whose every answer has a fresh page token: `entriesPerPage` entries each time (0 = empty pages). */
async function endlessServer(entriesPerPage: number, firstPageEntries = entriesPerPage): Promise<Endless> {
  let n = 0;
  const server = http.createServer((_req, res) => {
    n++;
    if (n > 20_000) {
      // Safety net for the test itself: never reached when the client bounds its loop.
      res.writeHead(500);
      res.end('{}');
      return;
    }
    const count = n === 1 ? firstPageEntries : entriesPerPage;
    const logs = Array.from({ length: count }, (_, i) => ({
      time: '2026-11-20T10:00:00Z',
      operator: 'a@example.com',
      category_type: 'User',
      action: 'Update',
      operation_detail: `page ${n} entry ${i}`,
    }));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ page_size: 300, next_page_token: `tok${n}x`, operation_logs: logs }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const client = new ZoomClient({
    apiBaseUrl: `http://127.0.0.1:${port}/v2`,
    tokens: new StaticTokenSource('t'),
    requestsPerSecond: 10_000,
    maxAttempts: 1,
  });
  return {
    client,
    requests: () => n,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('Paging: bounded loops against servers that never stop', function () {
  this.timeout(20_000);

  it(`empty pages with new tokens forever: one expansion stops after ${MAX_EMPTY_PAGES} with a clear ZoomError`, async () => {
    const s = await endlessServer(0);
    try {
      const log = new CategoryLog(
        'all',
        { from: '2026-11-01', to: '2026-11-26', categoryType: 'all', pageSize: 300 },
        new DateKeyer('UTC'),
        () => Promise.resolve(s.client),
      );
      const err = await rejectsZoom(log.loadNextPage());
      assert.equal(err.kind, 'badResponse');
      assert.equal(
        err.message,
        'Zoom kept sending empty pages for 2026-11-01 to 2026-11-26; stopped after 5. Try again later.',
      );
      assert.equal(s.requests(), MAX_EMPTY_PAGES, 'requests made before stopping');
      console.log(`[paging] empty pages forever: stopped after ${s.requests()} requests`);
      assert.equal(log.error?.message, err.message, 'the tree shows it under the category');
      assert.ok(!err.message.includes('tok'), 'no page token in the message');
    } finally {
      await s.close();
    }
  });

  it('entries, then empty pages forever: the run of empty pages counts from the last page with entries', async () => {
    const s = await endlessServer(0, 3);
    try {
      const cursor = new QueryCursor(s.client, {
        from: '2026-11-01',
        to: '2026-11-26',
        categoryType: 'all',
        pageSize: 300,
      });
      assert.equal((await cursor.nextPage()).length, 3);
      const err = await rejectsZoom(cursor.nextPage());
      assert.match(err.message, /kept sending empty pages .* stopped after 5/);
      assert.equal(s.requests(), 1 + MAX_EMPTY_PAGES);
    } finally {
      await s.close();
    }
  });

  it('pages with entries that never end: the page budget per window stops the export', async () => {
    const s = await endlessServer(2);
    try {
      const err = await rejectsZoom(
        collectAll(s.client, [
          {
            from: '2026-11-01',
            to: '2026-11-26',
            categoryType: 'all',
            pageSize: 300,
            limits: { maxPagesPerWindow: 200 },
          },
        ]),
      );
      assert.equal(err.kind, 'badResponse');
      assert.match(
        err.message,
        /^Zoom sent more than 200 pages for 2026-11-01 to 2026-11-26; stopped so the download ends\./,
      );
      assert.equal(s.requests(), 201);
      console.log(`[paging] never-ending pages (budget 200): stopped after ${s.requests()} requests`);
    } finally {
      await s.close();
    }
  });

  it(`a page listing more than ${MAX_PAGE_ITEMS} items is refused before they become entries; ${MAX_PAGE_ITEMS} are kept`, () => {
    const page = (n: number): string => JSON.stringify({ operation_logs: Array.from({ length: n }, () => ({})) });
    const kept = parsePage({ status: 200, text: page(MAX_PAGE_ITEMS) } as never);
    assert.ok(!(kept instanceof Error) && kept.entries.length === MAX_PAGE_ITEMS);
    const refused = parsePage({ status: 200, text: page(MAX_PAGE_ITEMS + 1) } as never);
    assert.ok(refused instanceof Error);
    assert.equal(refused.kind, 'badResponse');
    assert.equal(refused.retryable, false, 'asking again brings the same page');
    assert.equal(
      refused.message,
      "Zoom's answer was not a valid operation-logs page (it lists 3,001 entries, and a page holds at most 300).",
    );
  });

  it('one 32 MB page of eleven million empty items: one request, refused before JSON.parse builds them', async () => {
    const items = (32 * 1024 * 1024) / 3 - 10;
    const body = `{"operation_logs":[${'{},'.repeat(Math.floor(items) - 1)}{}]}`;
    let n = 0;
    const server = http.createServer((_req, res) => {
      n++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = new ZoomClient({
        apiBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`,
        tokens: new StaticTokenSource('t'),
        requestsPerSecond: 10_000,
        maxAttempts: 5,
        backoffBaseMs: 1,
      });
      const heap = process.memoryUsage().heapUsed;
      const started = Date.now();
      const err = await rejectsZoom(
        client.fetchPage({ from: '2026-11-01', to: '2026-11-26', categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'badResponse');
      assert.equal(
        err.message,
        "Zoom's answer was not a valid operation-logs page (the JSON holds more than 100,000 objects and lists).",
      );
      assert.equal(n, 1, 'not asked again');
      console.log(
        `[paging] a 32 MB page of ${Math.floor(items).toLocaleString('en-US')} items: refused in ${Date.now() - started} ms, heap +${Math.round((process.memoryUsage().heapUsed - heap) / 1048576)} MB after`,
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('pages of thousands of entries that never end: the entries budget per window stops them (cursor and export)', async () => {
    const limits = { maxPagesPerWindow: 20 };
    const budget = maxEntriesPerWindow({ limits });
    assert.equal(budget, 6000, 'the page budget of full pages');
    for (const how of ['cursor', 'collectAll'] as const) {
      const s = await endlessServer(MAX_PAGE_ITEMS);
      try {
        const q = { from: '2026-11-01', to: '2026-11-26', categoryType: 'all' as const, pageSize: 300, limits };
        const err = await rejectsZoom(
          how === 'cursor'
            ? (async () => {
                const cursor = new QueryCursor(s.client, q);
                for (;;) await cursor.nextPage();
              })()
            : collectAll(s.client, [q]),
        );
        assert.equal(err.kind, 'badResponse');
        assert.equal(
          err.message,
          'Zoom sent more than 6,000 entries for 2026-11-01 to 2026-11-26; stopped so the download ends. Try a shorter range.',
          how,
        );
        // 9,000 entries in three pages pass the budget of 6,000; the export may have split the window after its
        // first page, so parts running beside it may have asked once more each.
        if (how === 'cursor') assert.equal(s.requests(), 3);
        else assert.ok(s.requests() >= 3 && s.requests() <= 3 + 24, `${s.requests()} requests`);
      } finally {
        await s.close();
      }
    }
  });
});
