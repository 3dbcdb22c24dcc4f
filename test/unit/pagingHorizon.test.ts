/**
 * Item 3: when Zoom refuses the oldest window(s) as outside six months (HTTP 300, or a 400 about six
 * months), QueryCursor / collectAll / CategoryLog / collectQuery keep every other window and record
 * which days Zoom refused.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type SimEntry, type Simulator } from '../simulator/index';
import { addDays, monthWindows } from '../../src/zoom/dates';
import { collectAll, isHorizonRefusal, QueryCursor } from '../../src/zoom/paging';
import { ZoomError } from '../../src/zoom/errors';
import { CATEGORIES } from '../../src/zoom/types';
import { CategoryLog } from '../../src/model/categoryLog';
import { LogSession } from '../../src/model/session';
import { DateKeyer } from '../../src/model/timeZones';
import { collectQuery } from '../../src/export/collect';
import { assertSameMultiset, reportRequests, staticClient } from './support/helpers';

// The simulator's clock: 2026-11-26 12:00 UTC, so it refuses any window starting before 2026-05-26.
const SIM_NOW = Date.UTC(2026, 10, 26, 12);
// Our range starts six days earlier than Zoom's boundary (the horizon estimate is uncertain).
const FROM = '2026-05-20';
const TO = '2026-11-26';
const FIRST_ANSWERED = '2026-06-01'; // the day after the refused window 2026-05-20..2026-05-31

/** Two entries a day from FROM to TO, alternating User / Account / User Group. */
function dailyData(): SimEntry[] {
  const out: SimEntry[] = [];
  const cats = ['User', 'Account', 'User Group'];
  for (let d = FROM, i = 0; d <= TO; d = addDays(d, 1), i++) {
    for (const h of [3, 15]) {
      out.push({
        time: `${d}T${String(h).padStart(2, '0')}:00:00Z`,
        operator: `admin${i % 3}@example.com`,
        category_type: cats[(i + h) % 3],
        action: 'Update',
        operation_detail: `change ${i}-${h}`,
      });
    }
  }
  return out;
}

describe('Paging: the six-month boundary (Zoom refuses the oldest window)', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('QueryCursor skips the refused window, keeps every other window and records the refused range', async () => {
    sim = await startSimulator({ data: dailyData(), rps: 0, now: SIM_NOW });
    const cursor = new QueryCursor(staticClient(sim), { from: FROM, to: TO, categoryType: 'all', pageSize: 100 });
    const got = [];
    for (let i = 0; i < 100 && !cursor.done; i++) got.push(...(await cursor.nextPage()));
    assert.ok(cursor.done);
    assertSameMultiset(got, sim.expected({ from: FIRST_ANSWERED, to: TO }));
    assert.deepEqual(cursor.refused, [{ from: FROM, to: '2026-05-31' }]);
    assert.equal(cursor.refusedBefore, FIRST_ANSWERED);
    assert.equal(sim.count({ status: 300 }), 1, 'the refused window was asked once');
  });

  it('collectAll (parallel windows) keeps the other windows and reports the refusal in progress', async () => {
    sim = await startSimulator({ data: dailyData(), rps: 0, now: SIM_NOW });
    const refused: string[] = [];
    let last: { refusedBefore?: string } = {};
    const got = await collectAll(staticClient(sim), [{ from: FROM, to: TO, categoryType: 'all', pageSize: 50 }], {
      onRefused: (w) => refused.push(`${w.from}..${w.to}`),
      onProgress: (p) => (last = { ...p }),
    });
    assertSameMultiset(got, sim.expected({ from: FIRST_ANSWERED, to: TO }));
    assert.deepEqual(refused, ['2026-05-20..2026-05-31']);
    assert.equal(last.refusedBefore, FIRST_ANSWERED);
  });

  it('CategoryLog: loadAll ends without an error; the refusal is a message, not a failure', async () => {
    sim = await startSimulator({ data: dailyData(), rps: 0, now: SIM_NOW });
    const client = staticClient(sim);
    const log = new CategoryLog(
      'user',
      { from: FROM, to: TO, categoryType: 'user', pageSize: 300 },
      new DateKeyer('UTC'),
      () => Promise.resolve(client),
    );
    await log.loadAll();
    assert.equal(log.error, undefined);
    assert.equal(log.done, true);
    assertSameMultiset(log.allEntries(), sim.expected({ from: FIRST_ANSWERED, to: TO, category: 'user' }));
    assert.equal(log.refusedBefore, FIRST_ANSWERED);
    assert.equal(
      log.refusalMessage,
      'Zoom returned nothing before 2026-06-01: it refused the older days as outside its six-month limit.',
    );
    assert.equal(reportRequests(sim), monthWindows(FROM, TO).length, 'one request per window, refused one included');
  });

  it('collectQuery (export) loses nothing Zoom answered for and reports the refused days', async () => {
    sim = await startSimulator({ data: dailyData(), rps: 0, now: SIM_NOW });
    const client = staticClient(sim);
    const session = new LogSession(
      { from: FROM, to: TO, categories: [...CATEGORIES] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(client) },
    );
    const seen: (string | undefined)[] = [];
    const got = await collectQuery(session, client, { onProgress: (p) => seen.push(p.refusedBefore) });
    assertSameMultiset(got, sim.expected({ from: FIRST_ANSWERED, to: TO }));
    assert.equal(seen[seen.length - 1], FIRST_ANSWERED);
  });

  it('a 400 that says six months is a refusal too (purpose-built server); other 400s still fail', async () => {
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      hits.push(`${q.get('from')}..${q.get('to')}`);
      res.setHeader('Content-Type', 'application/json');
      if ((q.get('from') ?? '') < '2026-11-01') {
        res.writeHead(400);
        res.end(JSON.stringify({ code: 300, message: 'Only provide report in recent 6 months' }));
        return;
      }
      res.end(
        JSON.stringify({
          next_page_token: '',
          operation_logs: [
            { time: '2026-11-02T10:00:00Z', operator: 'a@example.com', category_type: 'User', action: 'Add' },
          ],
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const { ZoomClient } = await import('../../src/zoom/client');
      const { StaticTokenSource } = await import('../../src/zoom/auth');
      const client = new ZoomClient({
        apiBaseUrl: `http://127.0.0.1:${port}/v2`,
        tokens: new StaticTokenSource('t'),
        requestsPerSecond: 1000,
        maxAttempts: 1,
      });
      const cursor = new QueryCursor(client, {
        from: '2026-09-15',
        to: '2026-11-26',
        categoryType: 'all',
        pageSize: 300,
      });
      const got = await cursor.nextPage();
      assert.equal(got.length, 1);
      assert.equal(await cursor.nextPage().then((x) => x.length), 0);
      assert.ok(cursor.done);
      assert.equal(cursor.refusedBefore, '2026-11-01');
      // The older window (2026-09-15..2026-09-30) is not asked: it is older than a refused one.
      assert.deepEqual(hits, ['2026-11-01..2026-11-26', '2026-10-01..2026-10-31']);
      assert.deepEqual(cursor.refused, [
        { from: '2026-10-01', to: '2026-10-31' },
        { from: '2026-09-15', to: '2026-09-30' },
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    assert.equal(
      isHorizonRefusal(new ZoomError('badRequest', 'x', { status: 400, zoomMessage: 'Validation Failed.' })),
      false,
    );
    assert.equal(isHorizonRefusal(new ZoomError('horizon', 'x', { status: 300 })), true);
  });
});
