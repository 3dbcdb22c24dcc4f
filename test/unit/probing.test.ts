/**
 * Bodies that are well-formed but not a page, and bodies built to hurt the parser:
 * only an empty or cut-off body is asked for again. Figures (requests, ms, peak
 * RSS and heap) are printed with the `[probing]` prefix.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticTokenSource } from '../../src/zoom/auth';
import { MAX_PAGE_TOKEN, ZoomClient } from '../../src/zoom/client';
import { MAX_JSON_DEPTH, readJson } from '../../src/zoom/http';
import { rejectsZoom } from './support/helpers';

function report(line: string): void {
  console.log(`      [probing] ${line}`);
}

/** A loopback server that answers every request 200 with the given body (as a Buffer, sent as is). */
async function bodyServer(
  body: Buffer | string,
): Promise<{ base: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(buf.length) });
    res.end(buf);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}/v2`,
    hits: () => hits,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function client(base: string): ZoomClient {
  return new ZoomClient({
    apiBaseUrl: base,
    tokens: new StaticTokenSource('t'),
    requestsPerSecond: 1000,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    maxAttempts: 5,
  });
}

const req = { from: '2026-11-01', to: '2026-11-20', categoryType: 'all', pageSize: 300 } as const;

describe('Probing: bodies of the wrong shape and bodies built to hurt', function () {
  // The "before" run (JSON.parse of 32 MB of brackets, five times) took far longer than the default 10 s.
  this.timeout(120_000);

  it('32 MB of nested brackets: refused after one request, without JSON.parse (figures printed)', async () => {
    const half = 16_000_000;
    const body = Buffer.alloc(half * 2);
    body.fill(0x5b, 0, half); // [
    body.fill(0x5d, half); // ]
    const server = await bodyServer(body);
    try {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const maxRssBefore = process.resourceUsage().maxRSS * 1024;
      let peakHeap = process.memoryUsage().heapUsed;
      let peakRss = rssBefore;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakRss = Math.max(peakRss, m.rss);
      }, 5);
      const started = performance.now();
      let kind = 'ok';
      let message = '';
      try {
        await client(server.base).fetchPage(req);
      } catch (e) {
        kind = (e as { kind?: string }).kind ?? 'thrown';
        message = (e as Error).message;
      } finally {
        clearInterval(sampler);
      }
      const ms = Math.round(performance.now() - started);
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss, process.resourceUsage().maxRSS * 1024);
      const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;
      report(
        `32 MB nested body: ${server.hits()} request(s), ${ms} ms, kind ${kind}; peak RSS ${mb(peakRss)} (before ${mb(rssBefore)}, process max before ${mb(maxRssBefore)}), peak heap used ${mb(peakHeap)}`,
      );
      assert.equal(kind, 'badResponse');
      assert.match(message, new RegExp(`nested more than ${MAX_JSON_DEPTH} levels`));
      assert.equal(server.hits(), 1, 'a well-formed body is not asked for again');
      assert.ok(ms < 5_000, `${ms} ms`);
    } finally {
      await server.close();
    }
  });

  const wrongShapes: [string, string][] = [
    ['a JSON array', '[1, 2, 3]'],
    ['a JSON string', '"hello"'],
    ['operation_logs as a string', '{"operation_logs": "none"}'],
    ['next_page_token as a number', '{"operation_logs": [], "next_page_token": 5}'],
    ['an HTML page', '<html><body>Sign in to the proxy</body></html>'],
    ['mismatched brackets', '{"operation_logs": [}'],
    ['balanced garbage', '{"operation_logs": [1 2]}'],
    ['a next_page_token of 100,000 characters', `{"operation_logs": [], "next_page_token": "${'A'.repeat(100_000)}"}`],
    ['65 levels of objects', `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`],
  ];
  for (const [name, body] of wrongShapes) {
    it(`${name}: kind badResponse after exactly one request`, async () => {
      const server = await bodyServer(body);
      try {
        const err = await rejectsZoom(client(server.base).fetchPage(req));
        assert.equal(err.kind, 'badResponse');
        assert.match(err.message, /not a valid operation-logs page/);
        assert.equal(server.hits(), 1);
      } finally {
        await server.close();
      }
    });
  }

  it(`a next_page_token of MAX_PAGE_TOKEN characters is kept; one more is refused, naming its length`, async () => {
    for (const [length, ok] of [
      [MAX_PAGE_TOKEN, true],
      [MAX_PAGE_TOKEN + 1, false],
    ] as const) {
      const token = 'x'.repeat(length);
      const server = await bodyServer(JSON.stringify({ operation_logs: [], next_page_token: token }));
      try {
        if (ok) assert.equal((await client(server.base).fetchPage(req)).nextPageToken, token);
        else {
          const err = await rejectsZoom(client(server.base).fetchPage(req));
          assert.equal(err.kind, 'badResponse');
          assert.match(err.message, new RegExp(`next_page_token is ${length} characters long`));
          assert.ok(err.message.length < 300, 'the token itself is not in the message');
        }
        assert.equal(server.hits(), 1);
      } finally {
        await server.close();
      }
    }
  });

  const retried: [string, string][] = [
    ['an empty body', ''],
    ['a body cut in half', '{"next_page_token": "", "operation_logs": [{"time": "2026-11-20T10:'],
    ['a body cut after a bracket', '{"operation_logs": ['],
  ];
  for (const [name, body] of retried) {
    it(`${name}: retried (maxAttempts requests), then kind badResponse`, async () => {
      const server = await bodyServer(body);
      try {
        const err = await rejectsZoom(client(server.base).fetchPage(req));
        assert.equal(err.kind, 'badResponse');
        assert.equal(server.hits(), 5);
      } finally {
        await server.close();
      }
    });
  }

  it('readJson: depth is counted outside strings only, and 64 levels still parse', () => {
    const inString = '['.repeat(100);
    assert.deepEqual(readJson(JSON.stringify({ a: inString })), { ok: true, value: { a: inString } });
    assert.equal(readJson(`${'['.repeat(64)}${']'.repeat(64)}`).ok, true);
    assert.deepEqual(readJson(`${'['.repeat(65)}${']'.repeat(65)}`), { ok: false, why: 'tooDeep' });
    assert.deepEqual(readJson('{"a": "\\"[[['), { ok: false, why: 'truncated' });
    assert.deepEqual(readJson('  '), { ok: false, why: 'empty' });
    assert.deepEqual(readJson('nope'), { ok: false, why: 'malformed' });
  });
});
