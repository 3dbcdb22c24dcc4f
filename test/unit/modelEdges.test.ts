/**
 * Edges of src/model and src/export that the simulator suites pass through without pinning down:
 * page bookkeeping, dates arriving out of order, a date that ends exactly at midnight, progress
 * figures, the presets, DST in a zone east of UTC. Pages come from a purpose-built loopback server
 * that answers a fixed script of pages, so each test knows exactly what every page holds.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticTokenSource } from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';
import { CATEGORIES, type OperationLogEntry, type RawOperationLog } from '../../src/zoom/types';
import { CategoryLog } from '../../src/model/categoryLog';
import { otherCategoriesCost } from '../../src/model/otherCategories';
import { describeRange, isRangePreset, presetRange, rangePresets } from '../../src/model/ranges';
import { describeCategories, LogSession } from '../../src/model/session';
import { DateKeyer } from '../../src/model/timeZones';
import {
  collectCategory,
  collectDate,
  collectOthers,
  collectQuery,
  type ExportProgress,
} from '../../src/export/collect';
import { formatEntries, parseCsv, toCsv } from '../../src/export/formats';

interface PageServer {
  client: ZoomClient;
  /** Requests per category_type, in order: the page token each asked with ('' for the first). */
  hits: { category: string; token: string }[];
  close(): Promise<void>;
}

/**
 * Answers `GET /v2/report/operationlogs` from a script: for each category_type a list of pages,
 * served in order by page token (`p1`, `p2`, ...), each holding the entries inside the asked window.
 * Windows starting before `refuseBefore[category]` get HTTP 300, the six-month refusal.
 */
async function pageServer(
  pages: Record<string, RawOperationLog[][]>,
  opts: { refuseBefore?: Record<string, string>; delayMs?: number } = {},
): Promise<PageServer> {
  const hits: { category: string; token: string }[] = [];
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const category = q.get('category_type') ?? 'all';
    const token = q.get('next_page_token') ?? '';
    hits.push({ category, token });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const answer = (): void => {
      const refuse = opts.refuseBefore?.[category];
      if (refuse && (q.get('from') ?? '') < refuse) {
        return send(300, { code: 300, message: 'Only provide report in recent 6 months' });
      }
      const list = pages[category] ?? [];
      const i = token ? Number(token.slice(1)) : 0;
      const day = (e: RawOperationLog): string => (e.time ?? '').slice(0, 10);
      const inWindow = (list[i] ?? []).filter((e) => day(e) >= (q.get('from') ?? '') && day(e) <= (q.get('to') ?? ''));
      send(200, {
        page_size: 300,
        next_page_token: i + 1 < list.length ? `p${i + 1}` : '',
        operation_logs: inWindow,
      });
    };
    if (opts.delayMs) setTimeout(answer, opts.delayMs);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new ZoomClient({
    apiBaseUrl: `${origin}/v2`,
    tokens: new StaticTokenSource('static-token'),
    requestsPerSecond: 1000,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    maxAttempts: 2,
  });
  return {
    client,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function raw(time: string, category_type = 'User', action = 'Update'): RawOperationLog {
  return { time, operator: 'admin@example.com', category_type, action, operation_detail: `at ${time}` };
}

const times = (entries: readonly OperationLogEntry[]): string[] => entries.map((e) => e.time);
const NOV = { from: '2026-11-01', to: '2026-11-30' };

describe('Model and export edges (scripted pages)', function () {
  this.timeout(10_000);
  let srv: PageServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  function userLog(s: PageServer, keyer = new DateKeyer('UTC')): CategoryLog {
    return new CategoryLog('user', { ...NOV, categoryType: 'user', pageSize: 300 }, keyer, () =>
      Promise.resolve(s.client),
    );
  }

  it('counts pages, entries and the oldest time across pages; dates and entries come out newest first', async () => {
    srv = await pageServer({
      user: [
        // Dates and times out of order inside a page and across pages.
        [raw('2026-11-20T08:00:00Z'), raw('2026-11-22T09:00:00Z'), raw('2026-11-20T10:00:00Z')],
        [raw('2026-11-21T07:00:00Z'), raw('2026-11-22T23:00:00Z'), raw('2026-11-19T12:00:00Z')],
      ],
    });
    const log = userLog(srv);
    assert.deepEqual(log.dateKeys(), [], 'nothing before the first page');
    assert.deepEqual(log.entries('2026-11-20'), [], 'an unknown date has no entries');
    assert.equal(log.started, false);
    assert.equal(log.refusedBefore, undefined);
    assert.equal(log.refusalMessage, undefined);
    assert.deepEqual(log.feed.refused, []);
    const first = log.loadNextPage();
    assert.equal(log.isLoading, true, 'loading while the request is out');
    assert.equal(await first, 3);
    assert.equal(log.isLoading, false);
    assert.equal(log.started, true);
    assert.deepEqual(log.dateKeys(), ['2026-11-22', '2026-11-20']);
    assert.deepEqual(times(log.entries('2026-11-20')), ['2026-11-20T10:00:00Z', '2026-11-20T08:00:00Z']);
    assert.equal(log.feed.minTimeMs, Date.parse('2026-11-20T08:00:00Z'), 'the oldest, not the last, time');
    assert.equal(log.isDateComplete('2026-11-20'), false, 'pages remain and nothing older than the 20th arrived');
    assert.equal(log.isDateComplete('2026-11-21'), true, 'something older than the 21st arrived');
    // A date read once and then given an older entry stays newest first.
    assert.equal(await log.loadNextPage(), 3, 'entries added by the second page');
    assert.equal(log.pages, 2);
    assert.equal(log.feed.received, 6);
    assert.equal(log.total, 6);
    assert.equal(log.done, true);
    assert.deepEqual(log.dateKeys(), ['2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19']);
    assert.deepEqual(times(log.entries('2026-11-22')), ['2026-11-22T23:00:00Z', '2026-11-22T09:00:00Z']);
    assert.deepEqual(times(log.allEntries()), [
      '2026-11-22T23:00:00Z',
      '2026-11-22T09:00:00Z',
      '2026-11-21T07:00:00Z',
      '2026-11-20T10:00:00Z',
      '2026-11-20T08:00:00Z',
      '2026-11-19T12:00:00Z',
    ]);
    assert.equal(log.feed.minTimeMs, Date.parse('2026-11-19T12:00:00Z'));
    assert.equal(log.isDateComplete('2026-11-22'), true, 'done: every date is complete');
  });

  it('an entry exactly at midnight does not complete its own date; one before midnight does', async () => {
    srv = await pageServer({
      user: [
        [raw('2026-11-21T05:00:00Z'), raw('2026-11-21T00:00:00Z')],
        [raw('2026-11-21T00:00:00Z', 'User', 'Add'), raw('2026-11-20T23:59:59Z')],
        [raw('2026-11-19T01:00:00Z')],
      ],
    });
    const log = userLog(srv);
    await log.loadNextPage();
    assert.equal(log.isDateComplete('2026-11-21'), false, 'the next page may hold more of the 21st at 00:00:00');
    await log.completeDate('2026-11-21');
    assert.equal(log.pages, 2, 'the second page held the 20th, which completes the 21st');
    assert.equal(log.entries('2026-11-21').length, 3);
    assert.equal(log.done, false);
  });

  it('a failure is kept until the next load; a cancelled load keeps none', async () => {
    srv = await pageServer({ user: [[raw('2026-11-21T05:00:00Z')], [raw('2026-11-20T05:00:00Z')]] }, { delayMs: 200 });
    const log = userLog(srv);
    const ac = new AbortController();
    const p = log.loadNextPage(ac.signal);
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(p, (e: Error & { kind?: string }) => e.kind === 'cancelled');
    assert.equal(log.error, undefined, 'cancelling is not a failure to show');
    await srv.close();
    await assert.rejects(log.loadNextPage(), (e: Error & { kind?: string }) => e.kind === 'network');
    assert.equal(log.feed.error?.kind, 'network');
    log.error = undefined;
    assert.equal(log.error, undefined);
  });

  it('collectDate loads until the date is complete and reports its progress', async () => {
    srv = await pageServer({
      user: [
        [raw('2026-11-21T05:00:00Z'), raw('2026-11-21T04:00:00Z')],
        [raw('2026-11-21T03:00:00Z'), raw('2026-11-21T02:00:00Z')],
        [raw('2026-11-20T05:00:00Z')],
        [raw('2026-11-19T05:00:00Z')],
      ],
    });
    const log = userLog(srv);
    await log.loadNextPage();
    const seen: ExportProgress[] = [];
    const got = await collectDate(log, '2026-11-21', { onProgress: (p) => seen.push(p) });
    assert.deepEqual(times(got), [
      '2026-11-21T05:00:00Z',
      '2026-11-21T04:00:00Z',
      '2026-11-21T03:00:00Z',
      '2026-11-21T02:00:00Z',
    ]);
    assert.deepEqual(seen, [
      { entries: 4, pages: 2, refusedBefore: undefined },
      { entries: 4, pages: 3, refusedBefore: undefined },
    ]);
    assert.equal(srv.hits.length, 3, 'stopped at the first page older than the date');
  });

  it('collectCategory and collectOthers report progress per page, ending at the totals', async () => {
    srv = await pageServer({
      user: [[raw('2026-11-21T05:00:00Z')], [raw('2026-11-20T05:00:00Z'), raw('2026-11-19T05:00:00Z')]],
      all: [
        [raw('2026-11-21T05:00:00Z', 'User'), raw('2026-11-21T04:00:00Z', 'User Group')],
        [raw('2026-11-20T05:00:00Z', 'Channels'), raw('2026-11-20T04:00:00Z', 'Account')],
        [raw('2026-11-19T05:00:00Z', 'Channels')],
      ],
    });
    const s = srv;
    const log = userLog(s);
    const seen: ExportProgress[] = [];
    const got = await collectCategory(log, { onProgress: (p) => seen.push({ ...p }) });
    assert.equal(got.length, 3);
    assert.deepEqual(seen, [
      { entries: 0, pages: 0, refusedBefore: undefined },
      { entries: 1, pages: 1, refusedBefore: undefined },
      { entries: 3, pages: 2, refusedBefore: undefined },
    ]);

    const session = new LogSession(
      { ...NOV, categories: [...CATEGORIES] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(s.client) },
    );
    const others = session.others;
    assert.ok(others);
    assert.equal(others.started, false);
    const progress: ExportProgress[] = [];
    const kept = await collectOthers(others, { onProgress: (p) => progress.push({ ...p }) });
    assert.equal(others.started, true);
    assert.deepEqual(times(kept), ['2026-11-21T04:00:00Z', '2026-11-20T05:00:00Z', '2026-11-19T05:00:00Z']);
    assert.deepEqual(
      progress.map((p) => [p.entries, p.pages]),
      [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
      ],
    );
    assert.deepEqual(
      others.categories().map((c) => c.label),
      ['Channels', 'User Group'],
      'sorted by label, not by arrival (User Group came first)',
    );
  });

  it('collectQuery reuses fully loaded categories, fetches the rest once, and counts progress from the reused', async () => {
    srv = await pageServer({
      user: [[raw('2026-11-21T05:00:00Z'), raw('2026-11-20T05:00:00Z')]],
      account: [[raw('2026-11-22T05:00:00Z', 'Account')], [raw('2026-11-19T05:00:00Z', 'Account')]],
      role: [[raw('2026-11-18T05:00:00Z', 'Role')]],
    });
    const s = srv;
    const session = new LogSession(
      { ...NOV, categories: ['user', 'account', 'role'] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(s.client) },
    );
    await session.logs.get('user')?.loadAll();
    await session.logs.get('account')?.loadNextPage(); // started, not done: fetched again in full
    const before = s.hits.length;
    const seen: ExportProgress[] = [];
    const got = await collectQuery(session, s.client, { onProgress: (p) => seen.push({ ...p }) });
    assert.deepEqual(times(got), [
      '2026-11-22T05:00:00Z',
      '2026-11-21T05:00:00Z',
      '2026-11-20T05:00:00Z',
      '2026-11-19T05:00:00Z',
      '2026-11-18T05:00:00Z',
    ]);
    assert.deepEqual(
      s.hits
        .slice(before)
        .map((h) => h.category)
        .sort(),
      ['account', 'account', 'role'],
      'user reused; account and role fetched',
    );
    assert.deepEqual(seen[0], { entries: 2, pages: 0, refusedBefore: undefined }, 'starts at the reused entries');
    assert.equal(seen[seen.length - 1].entries, 5);
  });

  it('collectQuery and the session report the latest day Zoom answered for when it refused older days', async () => {
    const q = { from: '2026-09-15', to: '2026-11-30' };
    srv = await pageServer(
      {
        user: [[raw('2026-11-21T05:00:00Z'), raw('2026-10-20T05:00:00Z')]],
        role: [[raw('2026-11-18T05:00:00Z', 'Role')]],
      },
      { refuseBefore: { user: '2026-10-01', role: '2026-10-15' } },
    );
    const s = srv;
    const session = new LogSession(
      { ...q, categories: ['user', 'role'] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(s.client) },
    );
    assert.equal(session.refusedBefore(), undefined, 'nothing loaded, nothing refused');
    await session.logs.get('user')?.loadAll();
    assert.equal(session.refusedBefore(), '2026-10-01');
    assert.deepEqual(
      session.logs.get('user')?.feed.refused.map((w) => `${w.from}..${w.to}`),
      ['2026-09-15..2026-09-30'],
    );
    const seen: ExportProgress[] = [];
    const got = await collectQuery(session, s.client, { onProgress: (p) => seen.push({ ...p }) });
    assert.equal(got.length, 3);
    assert.equal(seen[0].refusedBefore, '2026-10-01', 'known from the loaded category before any request');
    assert.equal(
      seen[seen.length - 1].refusedBefore,
      '2026-11-01',
      'role was refused up to October: the later day wins',
    );
    assert.equal(session.logs.get('role')?.started, false, 'the export fetched role itself');
  });
});

describe('Model units', () => {
  it('presets are UTC days ending today, clamped to the six-month horizon', () => {
    const now = Date.UTC(2026, 10, 26, 23, 30); // Thursday 2026-11-26
    const r = (p: Parameters<typeof presetRange>[0], at = now): string => {
      const { from, to } = presetRange(p, at);
      return `${from}..${to}`;
    };
    assert.equal(r('today'), '2026-11-26..2026-11-26');
    assert.equal(r('yesterday'), '2026-11-25..2026-11-25');
    assert.equal(r('last7Days'), '2026-11-20..2026-11-26');
    assert.equal(r('last30Days'), '2026-10-28..2026-11-26');
    assert.equal(r('thisMonth'), '2026-11-01..2026-11-26');
    assert.equal(r('lastMonth'), '2026-10-01..2026-10-31');
    assert.equal(r('last3Months'), '2026-08-26..2026-11-26');
    assert.equal(r('last6Months'), '2026-05-26..2026-11-26');
    assert.equal(r('lastMonth', Date.UTC(2026, 2, 31)), '2026-02-01..2026-02-28');
    // Month ends: the horizon of 31 August is 28 February, of 31 May is 28 February too.
    assert.equal(r('lastMonth', Date.UTC(2026, 7, 31)), '2026-07-01..2026-07-31');
    assert.equal(r('last3Months', Date.UTC(2026, 4, 31)), '2026-02-28..2026-05-31');
    assert.deepEqual(
      rangePresets().map((p) => `${p.id}=${p.label}`),
      [
        'today=Today',
        'yesterday=Yesterday',
        'last7Days=Last 7 days',
        'last30Days=Last 30 days',
        'thisMonth=This month',
        'lastMonth=Last month',
        'last3Months=Last 3 months',
        'last6Months=Last 6 months',
      ],
    );
    for (const p of rangePresets()) assert.equal(isRangePreset(p.id), true, p.id);
    for (const v of ['Today', 'last7days', '', undefined, 7, 'toString']) {
      assert.equal(isRangePreset(v), false, String(v));
    }
    assert.equal(describeRange({ from: '2026-11-20', to: '2026-11-26' }), '2026-11-20 – 2026-11-26');
    assert.equal(describeRange({ from: '2026-11-20', to: '2026-11-20' }), '2026-11-20');
  });

  it('describeCategories, session ids, the initial filter and renewed sessions', () => {
    assert.equal(describeCategories([...CATEGORIES]), 'all categories');
    assert.equal(describeCategories(['user', 'user_settings', 'zoom_rooms']), 'User, User Settings, Zoom Rooms');
    assert.equal(describeCategories([]), '');
    const client = (): Promise<never> => Promise.reject(new Error('no requests here'));
    const s = new LogSession(
      { from: '2026-11-01', to: '2026-11-02', categories: ['user'] },
      { pageSize: 50, timeZone: 'UTC', client },
    );
    assert.match(s.id, /^q[1-9]\d*$/);
    assert.equal(s.filter, '');
    const e = {
      time: 't',
      timeMs: 0,
      operator: 'x',
      categoryType: 'User',
      category: 'user',
      action: 'a',
      operationDetail: '',
    };
    assert.deepEqual(s.visible([e]), [e]);
    const r = s.renewed({ timeZone: 'local' });
    assert.notEqual(r.id, s.id);
    assert.equal(r.keyer.zone, 'local');
    assert.equal(r.options.pageSize, 50, 'other options carried over');
    assert.equal(s.renewed().keyer.zone, 'UTC');
  });

  it('formatEntries picks JSON or CSV; parseCsv reads rows without a final line end and bare CR or LF', () => {
    const e: OperationLogEntry = {
      time: '2026-11-20T10:00:00Z',
      timeMs: Date.UTC(2026, 10, 20, 10),
      operator: 'a@b.c',
      categoryType: 'User',
      category: 'user',
      action: 'Add',
      operationDetail: '=1',
    };
    assert.deepEqual(JSON.parse(formatEntries([e], 'json', { formulaGuard: true })), [
      { time: e.time, operator: 'a@b.c', category_type: 'User', action: 'Add', operation_detail: '=1' },
    ]);
    assert.equal(formatEntries([e], 'csv', { formulaGuard: true }), toCsv([e], { formulaGuard: true }));
    assert.match(formatEntries([e], 'csv', { formulaGuard: true }), /,'=1\r\n$/);
    assert.deepEqual(parseCsv('a,b'), [['a', 'b']]);
    assert.deepEqual(parseCsv('a'), [['a']], 'one cell, no line end');
    assert.deepEqual(parseCsv('a,'), [['a', '']]);
    assert.deepEqual(parseCsv('a\r\n'), [['a']]);
    assert.deepEqual(parseCsv(''), []);
    assert.deepEqual(parseCsv('a\rb,c\nd\r\n'), [['a\rb', 'c\nd']]);
  });

  it('the Other categories tooltip says what expanding it costs', () => {
    assert.match(otherCategoriesCost(), /not one of the eleven/);
    assert.match(otherCategoriesCost(), /as many requests as exporting all categories\.$/);
  });
});

describe('DateKeyer edges', () => {
  function withTz<T>(tz: string, fn: () => T): T {
    const old = process.env.TZ;
    process.env.TZ = tz;
    try {
      return fn();
    } finally {
      if (old === undefined) delete process.env.TZ;
      else process.env.TZ = old;
    }
  }

  it('the UTC setting ignores the process zone', () => {
    withTz('America/New_York', () => {
      const k = new DateKeyer('UTC');
      assert.equal(k.offsetMinutes(Date.UTC(2026, 10, 26, 3)), 0);
      assert.equal(k.dateKey(Date.UTC(2026, 10, 26, 3)), '2026-11-26');
      assert.equal(k.startOfDate('2026-11-26'), Date.UTC(2026, 10, 26));
      assert.equal(k.time(Date.UTC(2026, 10, 26, 3, 4, 5)), '03:04:05');
    });
  });

  it('Pacific/Auckland (UTC+13/+12): start of the day DST ends, and dates east of UTC', () => {
    withTz('Pacific/Auckland', () => {
      const k = new DateKeyer('local');
      // 2026-04-05 03:00 NZDT clocks go back to 02:00 NZST; that day began at 00:00 NZDT (+13).
      assert.equal(k.startOfDate('2026-04-05'), Date.UTC(2026, 3, 4, 11));
      assert.equal(k.startOfDate('2026-04-06'), Date.UTC(2026, 3, 5, 12));
      // 2026-09-27 02:00 NZST clocks go forward; that day began at 00:00 NZST (+12).
      assert.equal(k.startOfDate('2026-09-27'), Date.UTC(2026, 8, 26, 12));
      assert.equal(k.dateKey(Date.UTC(2026, 3, 4, 11)), '2026-04-05');
      assert.equal(k.dateKey(Date.UTC(2026, 3, 4, 10, 59, 59)), '2026-04-04');
      assert.equal(k.time(Date.UTC(2026, 10, 26, 14, 3, 27)), '03:03:27');
    });
  });

  it('labels every weekday, unknown dates and times that did not parse', () => {
    const days = ['2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'];
    assert.deepEqual(
      days.map((d) => DateKeyer.label(d)),
      days.map((d, i) => `${d} ${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][i]}`),
    );
    assert.equal(DateKeyer.label('unknown'), 'Unknown date');
    assert.equal(DateKeyer.label('not a date'), 'not a date');
    const k = new DateKeyer('UTC');
    assert.equal(k.time(NaN), '--:--:--');
    assert.ok(Number.isNaN(k.startOfDate('garbage')));
  });
});
