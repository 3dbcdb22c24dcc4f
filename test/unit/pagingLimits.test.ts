/**
 * Item 7: a server that hands out new page tokens with empty pages forever, or pages that never end,
 * stops with a clear ZoomError after a bounded number of requests (purpose-built loopback servers).
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticTokenSource } from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';
import { CategoryLog } from '../../src/model/categoryLog';
import { DateKeyer } from '../../src/model/timeZones';
import { collectAll, MAX_EMPTY_PAGES, QueryCursor } from '../../src/zoom/paging';
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
});
