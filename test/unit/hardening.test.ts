/**
 * Issue "Hardening" (unit parts): faults, limits, garbage bodies, CSV round trips
 * and cancellation, all against the simulator. Figures the report needs are
 * printed with the `[hardening]` prefix.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { startSimulator, type Simulator } from '../simulator/index';
import { mulberry32 } from '../simulator/data';
import { ServerToServerTokenSource, StaticTokenSource } from '../../src/zoom/auth';
import { ZoomClient, type ZoomClientOptions } from '../../src/zoom/client';
import { addDays, horizonStart, monthWindows, todayUtc } from '../../src/zoom/dates';
import { ZoomError } from '../../src/zoom/errors';
import { silentLogger } from '../../src/zoom/logger';
import { collectAll, QueryCursor } from '../../src/zoom/paging';
import { realClock } from '../../src/zoom/rateLimiter';
import { withRetries } from '../../src/zoom/retrying';
import { toRawEntry } from '../../src/zoom/rawEntry';
import { CSV_HEADER, csvCell, parseCsv, toCsv } from '../../src/export/formats';
import {
  assertSameMultiset,
  staticClient as sharedStaticClient,
  FakeClock,
  rejectsZoom,
  reportRequests,
  scriptedRandom,
  simClock,
  tokenRequests,
  REPORT_PATH,
} from './support/helpers';

const MIN = 60_000;

/** Shorter Retry-After cap than the shared helper's, as these tests always had. */
function staticClient(sim: Simulator, extra: Partial<ZoomClientOptions> = {}): ZoomClient {
  return sharedStaticClient(sim, { maxRetryAfterMs: 20, ...extra });
}

function s2sClient(sim: Simulator, withSimClock = false): { client: ZoomClient; src: ServerToServerTokenSource } {
  const src = new ServerToServerTokenSource({
    ...sim.s2s,
    oauthBaseUrl: sim.oauthBaseUrl,
    retry: { maxAttempts: 3, backoffBaseMs: 1, backoffCapMs: 10, random: Math.random, clock: realClock },
    logger: silentLogger,
    clock: withSimClock ? simClock(sim) : undefined,
  });
  return {
    src,
    client: new ZoomClient({
      apiBaseUrl: sim.apiBaseUrl,
      tokens: src,
      requestsPerSecond: 1000,
      backoffBaseMs: 2,
      maxAttempts: 5,
    }),
  };
}

const today = (sim: Simulator): string => todayUtc(sim.clock.now());

function report(line: string): void {
  console.log(`      [hardening] ${line}`);
}

/** A tiny loopback server that answers every request with one fixed response. */
async function fixedServer(
  status: number,
  body: string,
): Promise<{ base: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
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

describe('Hardening', function () {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('(1) 20% faults (500/502/503/429/reset/truncated): a 10,000-entry six-month export via collectAll is exact', async () => {
    sim = await startSimulator({ seed: 101, entries: 10_000, rps: 0 });
    // Retry-After '1' as Zoom sends it; maxRetryAfterMs 5 keeps the test fast (the header is honoured, capped).
    sim.setFaultRate(0.2, ['500', '502', '503', '429', 'reset', 'truncated'], { retryAfter: '1' });
    const to = today(sim);
    const from = horizonStart(to);
    const client = staticClient(sim, { maxAttempts: 10, maxRetryAfterMs: 5 });
    let pages = 0;
    const got = await collectAll(client, [{ from, to, categoryType: 'all', pageSize: 100 }], {
      concurrency: 4,
      onProgress: (p) => (pages = p.pages),
    });
    sim.setFaultRate(0, []);
    const expected = sim.expected({ from, to });
    assert.equal(expected.length, 10_000);
    assertSameMultiset(got, expected);
    const requests = reportRequests(sim);
    const non200 = sim.requests.filter((r) => r.path === REPORT_PATH && r.status !== 200).length;
    // Truncated bodies are logged as 200: every request that did not yield a page was a fault.
    const faults = requests - pages;
    assert.ok(faults >= non200 && faults > 0, 'faults were injected');
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].timeMs >= got[i].timeMs, 'newest first');
    report(
      `(1) faults injected: ${faults} (${non200} non-200 + ${faults - non200} truncated 200s); report requests: ${requests}; pages: ${pages}; entries compared: ${got.length} vs ${expected.length}`,
    );
  });

  it('(3) daily limit stops an export at once (see also client.test.ts): kind dailyLimit, no retries', async () => {
    sim = await startSimulator({ seed: 3, entries: 2000, rps: 0, dailyLimit: 2 });
    const to = today(sim);
    const err = await rejectsZoom(
      collectAll(
        staticClient(sim, { maxAttempts: 10 }),
        [{ from: horizonStart(to), to, categoryType: 'all', pageSize: 30 }],
        { concurrency: 1 },
      ),
    );
    assert.equal(err.kind, 'dailyLimit');
    assert.equal(reportRequests(sim), 3, '2 pages, then one 429 and nothing more');
    assert.equal(reportRequests(sim, 429), 1);
  });

  describe('(4) backoff without Retry-After stays within full-jitter bounds and the attempt cap', () => {
    it('withRetries with a fake clock and scripted random', async () => {
      const clock = new FakeClock(0);
      const base = 100;
      const cap = 500;
      const maxAttempts = 7;
      const randoms = [0.999999, 0.5, 0, 0.75, 0.999999, 1];
      let attempts = 0;
      const err = await rejectsZoom(
        withRetries(
          { maxAttempts, backoffBaseMs: base, backoffCapMs: cap, random: scriptedRandom(randoms), clock },
          () => {
            attempts++;
            return Promise.resolve({ retry: new ZoomError('server', 'boom') });
          },
          () => undefined,
        ),
      );
      assert.equal(attempts, maxAttempts);
      assert.equal(err.attempts, maxAttempts);
      assert.equal(clock.sleeps.length, maxAttempts - 1);
      clock.sleeps.forEach((d, i) => {
        const bound = Math.min(cap, base * 2 ** i);
        assert.ok(d >= 0 && d <= bound, `delay ${i + 1} = ${d} not in [0, ${bound}]`);
        assert.equal(d, Math.floor(Math.min(randoms[i], 1) * bound));
      });
    });

    it('the client with 500s every time: delays within bounds, exactly maxAttempts requests', async () => {
      sim = await startSimulator({ entries: 20, rps: 0 });
      const clock = new FakeClock();
      const maxAttempts = 6;
      const rng = mulberry32(4);
      const client = staticClient(sim, { clock, maxAttempts, backoffBaseMs: 1000, backoffCapMs: 8000, random: rng });
      sim.script(...Array.from({ length: maxAttempts }, () => ({ kind: '500' as const })));
      const err = await rejectsZoom(
        client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'server');
      assert.equal(err.attempts, maxAttempts);
      assert.equal(reportRequests(sim), maxAttempts);
      assert.equal(clock.sleeps.length, maxAttempts - 1);
      clock.sleeps.forEach((d, i) => assert.ok(d >= 0 && d <= Math.min(8000, 1000 * 2 ** i), `delay ${d} at ${i + 1}`));
    });
  });

  describe('(5) final client errors are not retried', () => {
    it('400 (range over one month, sent directly) -> one request, kind badRequest', async () => {
      sim = await startSimulator({ entries: 20, rps: 0 });
      const to = today(sim);
      const err = await rejectsZoom(
        staticClient(sim).fetchPage({ from: addDays(to, -45), to, categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'badRequest');
      assert.equal(err.status, 400);
      assert.match(err.message, /one month/);
      assert.equal(reportRequests(sim), 1);
    });

    it('403 -> one request, kind permission', async () => {
      const srv = await fixedServer(403, JSON.stringify({ code: 200, message: 'No permission.' }));
      try {
        const client = new ZoomClient({
          apiBaseUrl: srv.base,
          tokens: new StaticTokenSource('t'),
          requestsPerSecond: 1000,
          backoffBaseMs: 1,
          maxAttempts: 5,
        });
        const err = await rejectsZoom(
          client.fetchPage({ from: '2026-11-01', to: '2026-11-02', categoryType: 'all', pageSize: 300 }),
        );
        assert.equal(err.kind, 'permission');
        assert.equal(srv.hits(), 1);
      } finally {
        await srv.close();
      }
    });

    it('404 (simulator, wrong base path) -> one request, kind notFound', async () => {
      sim = await startSimulator({ entries: 20, rps: 0 });
      const client = new ZoomClient({
        apiBaseUrl: sim.apiBaseUrl.replace(/\/v2$/, '/v9'),
        tokens: new StaticTokenSource(sim.token),
        requestsPerSecond: 1000,
        backoffBaseMs: 1,
        maxAttempts: 5,
      });
      const err = await rejectsZoom(
        client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'notFound');
      assert.equal(sim.requests.length, 1);
    });

    it('401 with OAuth: one token request and one replay; with a static token: neither', async () => {
      sim = await startSimulator({ entries: 20, rps: 0 });
      const { client, src } = s2sClient(sim);
      await src.get();
      sim.resetLog();
      sim.expireAccessTokens();
      await client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 });
      assert.equal(tokenRequests(sim), 1);
      assert.deepEqual(
        sim.requests.filter((r) => r.path === REPORT_PATH).map((r) => r.status),
        [401, 200],
      );

      sim.resetLog();
      sim.revokeToken(sim.token);
      const err = await rejectsZoom(
        staticClient(sim).fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 }),
      );
      assert.equal(err.kind, 'auth');
      assert.equal(tokenRequests(sim), 0);
      assert.equal(reportRequests(sim), 1);
    });

    it('401 with OAuth whose replay is refused too: final auth error after one token request and exactly 2 report requests', async () => {
      // A server that accepts OAuth but refuses every report request with 401.
      let reports = 0;
      let tokens = 0;
      const server = http.createServer((req, res) => {
        res.writeHead(req.url?.startsWith('/oauth') ? 200 : 401, { 'Content-Type': 'application/json' });
        if (req.url?.startsWith('/oauth')) {
          tokens++;
          res.end(JSON.stringify({ access_token: `tok${tokens}`, token_type: 'bearer', expires_in: 3600 }));
        } else {
          reports++;
          res.end(JSON.stringify({ code: 124, message: 'Invalid access token.' }));
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const src = new ServerToServerTokenSource({
          accountId: 'a',
          clientId: 'c',
          clientSecret: 's3cr3t-value',
          oauthBaseUrl: origin,
          retry: { maxAttempts: 3, backoffBaseMs: 1, backoffCapMs: 10, random: Math.random, clock: realClock },
          logger: silentLogger,
        });
        const client = new ZoomClient({
          apiBaseUrl: `${origin}/v2`,
          tokens: src,
          requestsPerSecond: 1000,
          backoffBaseMs: 1,
          maxAttempts: 5,
        });
        const err = await rejectsZoom(
          client.fetchPage({ from: '2026-11-01', to: '2026-11-02', categoryType: 'all', pageSize: 300 }),
        );
        assert.equal(err.kind, 'auth');
        assert.equal(reports, 2);
        assert.equal(tokens, 2, 'the first token, then exactly one fresh one');
        assert.ok(!err.message.includes('s3cr3t-value'));
      } finally {
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      }
    });
  });

  it('(6) limiter: sim rps 5 + client limiter 5/s, a tree cursor and collectAll at once: no 429, never > 5 requests in any 1000 ms', async function () {
    this.timeout(15_000);
    sim = await startSimulator({ seed: 6, entries: 1200, rps: 5 });
    const to = today(sim);
    const client = new ZoomClient({
      apiBaseUrl: sim.apiBaseUrl,
      tokens: new StaticTokenSource(sim.token),
      requestsPerSecond: 5,
      backoffBaseMs: 2,
      maxAttempts: 5,
    });
    const exportFrom = addDays(to, -9);
    const exportCount = sim.expected({ from: exportFrom, to }).length;
    const exportPageSize = Math.max(1, Math.ceil(exportCount / 7));
    const tree = (async () => {
      const cursor = new QueryCursor(client, { from: horizonStart(to), to, categoryType: 'all', pageSize: 20 });
      for (let i = 0; i < 9 && !cursor.done; i++) await cursor.nextPage();
    })();
    const exp = collectAll(client, [{ from: exportFrom, to, categoryType: 'all', pageSize: exportPageSize }], {
      concurrency: 4,
    });
    const [, got] = await Promise.all([tree, exp]);
    assertSameMultiset(got, sim.expected({ from: exportFrom, to }));
    const times = sim.requests
      .filter((r) => r.path === REPORT_PATH)
      .map((r) => r.realAt)
      .sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0; i < times.length; i++) {
      let j = i;
      while (j < times.length && times[j] - times[i] < 1000) j++;
      worst = Math.max(worst, j - i);
    }
    assert.equal(reportRequests(sim, 429), 0, 'the simulator never answered 429');
    assert.ok(worst <= 5, `${worst} requests within 1000 ms`);
    report(
      `(6) ${times.length} requests over ${times[times.length - 1] - times[0]} ms, busiest 1000 ms window: ${worst}, 429s: 0`,
    );
  });

  it('(7) five concurrent page requests at token expiry cause one token request', async () => {
    sim = await startSimulator({ entries: 200, rps: 0, tokenTtlSeconds: 120 });
    const { client, src } = s2sClient(sim, true);
    await src.get();
    sim.clock.advance(120_000);
    const before = sim.issuedTokens();
    sim.resetLog();
    const t = today(sim);
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.fetchPage({ from: addDays(t, -i), to: t, categoryType: 'all', pageSize: 300 }),
      ),
    );
    assert.equal(sim.issuedTokens() - before, 1);
    assert.equal(tokenRequests(sim), 1);
    assert.equal(reportRequests(sim), 5);
    assert.equal(reportRequests(sim, 200), 5);
  });

  describe('(8) page tokens', () => {
    it('page tokens expiring in the middle of a collectAll export restart their windows; the count is exact', async () => {
      sim = await startSimulator({ seed: 8, entries: 3000, rps: 0 });
      const to = today(sim);
      const from = horizonStart(to);
      const s = sim;
      let advanced = false;
      const got = await collectAll(staticClient(sim), [{ from, to, categoryType: 'all', pageSize: 50 }], {
        concurrency: 3,
        onProgress: (p) => {
          if (!advanced && p.pages >= 5) {
            advanced = true;
            s.clock.advance(16 * MIN);
          }
        },
      });
      assert.ok(advanced);
      assertSameMultiset(got, sim.expected({ from, to }));
      const expired = sim.count({ path: REPORT_PATH, status: 400 });
      assert.ok(expired >= 1, 'at least one expired page token');
      report(
        `(8) ${expired} window restart(s) after expired tokens; ${got.length} entries exact; ${reportRequests(sim)} requests`,
      );
    });

    it("a repeated page token ends in kind badResponse ('same page token') instead of looping", async () => {
      sim = await startSimulator({ seed: 9, entries: 3000, rps: 0 });
      const to = today(sim);
      const cursor = new QueryCursor(staticClient(sim), {
        from: horizonStart(to),
        to,
        categoryType: 'all',
        pageSize: 30,
      });
      await cursor.nextPage();
      sim.script({ kind: 'repeat-token' });
      const err = await rejectsZoom(cursor.nextPage());
      assert.equal(err.kind, 'badResponse');
      assert.match(err.message, /same page token/);
      assert.equal(reportRequests(sim), 2);
    });

    it('repeat-token on every page request: still bounded', async () => {
      sim = await startSimulator({ seed: 9, entries: 3000, rps: 0 });
      const to = today(sim);
      sim.setFaultRate(1, ['repeat-token']);
      const err = await rejectsZoom(
        collectAll(staticClient(sim), [{ from: horizonStart(to), to, categoryType: 'all', pageSize: 30 }], {
          concurrency: 2,
        }),
      );
      assert.equal(err.kind, 'badResponse');
      assert.ok(
        reportRequests(sim) <= 2 * monthWindows(horizonStart(to), to).length,
        `${reportRequests(sim)} requests`,
      );
    });
  });

  it('(9) 1,000 mutated response bodies: fetchPage resolves or rejects with a ZoomError, no unhandled rejection', async function () {
    this.timeout(20_000);
    sim = await startSimulator({ entries: 20, rps: 0 });
    const client = staticClient(sim, { maxAttempts: 1 });
    let unhandled = 0;
    const onUnhandled = (): void => {
      unhandled++;
    };
    process.on('unhandledRejection', onUnhandled);
    const bodies = garbageBodies(1000, 1234);
    let accepted = 0;
    let rejected = 0;
    const kinds = new Map<string, number>();
    try {
      for (const body of bodies) {
        sim.script({ kind: 'garbage', body });
        try {
          await client.fetchPage({ from: today(sim), to: today(sim), categoryType: 'all', pageSize: 300 });
          accepted++;
        } catch (e) {
          assert.ok(
            e instanceof ZoomError,
            `not a ZoomError for body ${JSON.stringify(body.slice(0, 80))}: ${String(e)}`,
          );
          rejected++;
          kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.equal(unhandled, 0);
    assert.equal(accepted + rejected, 1000);
    assert.equal(reportRequests(sim), 1000);
    // Missing fields are accepted: every field of an entry is optional in Zoom's types.
    const ok = await staticClient(sim).fetchPage({
      from: today(sim),
      to: today(sim),
      categoryType: 'all',
      pageSize: 300,
    });
    assert.ok(ok, 'process and client still work');
    report(
      `(9) payloads tried: ${bodies.length}; accepted ${accepted}, rejected ${rejected} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}); unhandled rejections ${unhandled}`,
    );
  });

  describe('(16) CSV export', () => {
    it('toCsv without the formula guard parses back to the raw records (hostile data)', async () => {
      sim = await startSimulator({ seed: 16, entries: 2000, hostile: true, rps: 0 });
      const to = today(sim);
      const from = horizonStart(to);
      const entries = await collectAll(staticClient(sim), [{ from, to, categoryType: 'all', pageSize: 300 }]);
      assertSameMultiset(entries, sim.expected({ from, to }));
      const rows = parseCsv(toCsv(entries, { formulaGuard: false }));
      assert.deepEqual(rows[0], [...CSV_HEADER]);
      assert.equal(rows.length, entries.length + 1);
      entries.forEach((e, i) => {
        const raw = toRawEntry(e);
        assert.deepEqual(
          rows[i + 1],
          CSV_HEADER.map((k) => raw[k]),
          `row ${i + 1}`,
        );
      });
      const hostileCells = entries
        .flatMap((e) => Object.values(toRawEntry(e)))
        .filter((v) => /[",\r\n\u202e\u2066]/.test(v)).length;
      assert.ok(hostileCells > 0, 'the data really had quotes, commas, newlines or bidi controls');
    });

    it('with the formula guard, cells starting with = + - @ (and tab / CR) get a leading quote; nothing else changes', async () => {
      sim = await startSimulator({ seed: 17, entries: 2000, hostile: true, rps: 0 });
      const to = today(sim);
      const from = horizonStart(to);
      const entries = await collectAll(staticClient(sim), [{ from, to, categoryType: 'all', pageSize: 300 }]);
      const rows = parseCsv(toCsv(entries, { formulaGuard: true }));
      // The six characters a spreadsheet starts a formula with (OWASP CSV injection), listed here
      // rather than copied from the implementation's pattern.
      const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];
      let guarded = 0;
      const firstChars = new Set<string>();
      entries.forEach((e, i) => {
        const raw = toRawEntry(e);
        CSV_HEADER.forEach((k, j) => {
          const v = raw[k];
          const risky = v.length > 0 && FORMULA_STARTS.includes(v.charAt(0));
          if (risky) guarded++;
          else if (v.length > 0) firstChars.add(v.charAt(0));
          assert.equal(rows[i + 1][j], risky ? `'${v}` : v);
        });
      });
      assert.ok(guarded > 0, 'some cells needed the guard');
      assert.ok(firstChars.size > 10, `many other first characters stayed as they were: ${firstChars.size}`);
      // Fixed examples.
      const mk = (d: string): Parameters<typeof toCsv>[0][number] => ({
        time: 't',
        timeMs: 0,
        operator: 'o',
        categoryType: 'User',
        category: 'user',
        action: 'a',
        operationDetail: d,
      });
      const cell = (d: string): string => parseCsv(toCsv([mk(d)], { formulaGuard: true }))[1][4];
      assert.equal(cell('=1+1'), "'=1+1");
      assert.equal(cell('+1'), "'+1");
      assert.equal(cell('-1'), "'-1");
      assert.equal(cell('@SUM(1)'), "'@SUM(1)");
      assert.equal(cell('\t=1'), "'\t=1");
      assert.equal(cell('\r=1'), "'\r=1");
      assert.equal(cell('=HYPERLINK("x")'), `'=HYPERLINK("x")`, 'guarded, then quoted');
      assert.equal(csvCell('=1,2', true), `"'=1,2"`);
      assert.equal(csvCell('=1', false), '=1', 'no guard when it is off');
      assert.equal(cell("'=1"), "'=1", 'already quoted text is left alone');
      assert.equal(cell('1-1'), '1-1');
      assert.equal(cell('#1'), '#1');
      assert.equal(cell('a=1'), 'a=1');
      assert.equal(cell(' =1'), ' =1');
      assert.equal(cell(''), '');
    });

    it('property: any strings round-trip through toCsv/parseCsv without the guard', () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 5, maxLength: 5 }), { maxLength: 20 }),
          (cells) => {
            const entries = cells.map(([time, operator, categoryType, action, operationDetail]) => ({
              time,
              timeMs: 0,
              operator,
              categoryType,
              category: '',
              action,
              operationDetail,
            }));
            const rows = parseCsv(toCsv(entries, { formulaGuard: false }));
            assert.deepEqual(rows.slice(1), cells);
          },
        ),
        { numRuns: 100, seed: 16 },
      );
    });
  });

  it('(17) cancelling a collectAll export rejects with kind cancelled and stops the requests', async function () {
    this.timeout(10_000);
    sim = await startSimulator({ seed: 17, entries: 5000, rps: 0, latencyMs: 200 });
    const to = today(sim);
    const ac = new AbortController();
    const p = collectAll(staticClient(sim), [{ from: horizonStart(to), to, categoryType: 'all', pageSize: 100 }], {
      signal: ac.signal,
      concurrency: 4,
    });
    let abortAt = 0;
    setTimeout(() => {
      abortAt = Date.now();
      ac.abort();
    }, 300);
    const err = await rejectsZoom(p);
    const rejectedAfter = Date.now() - abortAt;
    assert.equal(err.kind, 'cancelled');
    assert.ok(rejectedAfter < 500, `rejected ${rejectedAfter} ms after the abort`);
    const before = sim.requests.length;
    await new Promise((r) => setTimeout(r, 1200));
    const late = sim.requests.filter((r) => r.realAt > abortAt + 50);
    assert.equal(late.length, 0, `requests after the abort: ${late.length}`);
    assert.equal(sim.requests.length, before);
    report(`(17) ${before} requests before the abort, 0 after; rejected ${rejectedAfter} ms after abort`);
  });
});

/** Seeded generator of hostile 200 bodies for the `garbage` fault. */
function garbageBodies(n: number, seed: number): string[] {
  const rng = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const goodEntry = (): Record<string, unknown> => ({
    time: '2026-11-20T19:09:01Z',
    operator: 'a@b.c',
    category_type: 'User',
    action: 'Update',
    operation_detail: 'x',
  });
  const page = (logs: unknown, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      from: '2026-11-01',
      to: '2026-11-02',
      page_size: 300,
      next_page_token: '',
      operation_logs: logs,
      ...extra,
    });
  const jsonValues = fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: 200, seed });
  const fixed: string[] = [
    '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>',
    '<html>',
    '{"operation_logs":null}',
    '{"operation_logs":"x"}',
    '{"operation_logs":{}}',
    '{"operation_logs":[1,2,3]}',
    '{"operation_logs":[null]}',
    '{"operation_logs":[[]]}',
    '{"operation_logs":["entry"]}',
    '{"operation_logs":[{"time":1}]}',
    '{"operation_logs":[{"operator":{}}]}',
    '{"operation_logs":[{"action":[]}]}',
    '{"operation_logs":[{"operation_detail":true}]}',
    '{"operation_logs":[{}]}',
    '{"operation_logs":[{"time":null,"operator":null}]}',
    '{"operation_logs":[],"next_page_token":5}',
    '{"operation_logs":[],"next_page_token":{}}',
    '{"operation_logs":[],"next_page_token":null}',
    '{"operation_logs":[{"__proto__":{"time":5}}]}',
    '{"__proto__":{"operation_logs":[]}}',
    '{"constructor":{"prototype":{"x":1}},"operation_logs":[]}',
    '{}',
    '[]',
    'null',
    'true',
    '0',
    '"operation_logs"',
    '',
    ' ',
    '\uFEFF{"operation_logs":[]}',
    '{"operation_logs":[]',
    '{"operation_logs":[]}}',
    '{"operation_logs":[{"time":"2026-13-45T99:99:99Z"}]}',
    `{"operation_logs":[${'{},'.repeat(50_000)}{}]}`,
    '['.repeat(100_000) + ']'.repeat(100_000),
    '{"operation_logs":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}',
    '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
    'x'.repeat(50 * 1024 * 1024), // 50 MB, once
  ];
  const out = [...fixed];
  while (out.length < n) {
    switch (int(0, 7)) {
      case 0: {
        // random bytes as a string (latin1 and lone surrogates included)
        const len = int(0, 300);
        let s = '';
        for (let i = 0; i < len; i++) s += String.fromCharCode(int(0, 0xffff));
        out.push(s);
        break;
      }
      case 1:
        out.push(JSON.stringify(pick(jsonValues)));
        break;
      case 2: {
        // a good page with one field of one entry mutated or removed
        const logs = Array.from({ length: int(0, 5) }, goodEntry);
        if (logs.length) {
          const e = logs[int(0, logs.length - 1)];
          const f = pick(['time', 'operator', 'category_type', 'action', 'operation_detail', 'extra']);
          const v = pick<unknown>([
            undefined,
            null,
            1,
            -0.5,
            true,
            [],
            {},
            'ok',
            '',
            '\u0000',
            'x'.repeat(int(0, 5000)),
          ]);
          if (v === undefined) delete e[f];
          else e[f] = v;
        }
        out.push(page(logs));
        break;
      }
      case 3:
        out.push(page(pick<unknown>([null, 'x', 1, true, {}, [1], [[goodEntry()]], [goodEntry(), 7]])));
        break;
      case 4: {
        // a good page cut at a random point
        const s = page(Array.from({ length: int(1, 5) }, goodEntry));
        out.push(s.slice(0, int(0, s.length - 1)));
        break;
      }
      case 5:
        out.push(page([goodEntry()], { next_page_token: pick<unknown>([1, true, [], {}, 'tok', '', null]) }));
        break;
      case 6: {
        const depth = int(1, 2000);
        out.push(pick(['[', '{"a":']).repeat(depth));
        break;
      }
      default:
        out.push(
          pick([
            '<html><body>Error</body></html>',
            'Service Unavailable',
            'HTTP/1.1 200 OK',
            '{"code":124,"message":"Invalid access token."}',
            '{"operation_logs":[]} trailing',
          ]),
        );
    }
  }
  return out.slice(0, n);
}
