/**
 * Paging edges (public API of src/zoom/paging.ts) against a purpose-built loopback server that
 * serves numbered pages of one window: a restart after more than a thousand entries, the exact
 * words of each stop, refusals reported per window, and the order of the result.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StaticTokenSource } from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';
import type { DateWindow } from '../../src/zoom/dates';
import { ZoomError } from '../../src/zoom/errors';
import {
  collectAll,
  isHorizonRefusal,
  iterateEntries,
  QueryCursor,
  refusedBefore,
  sortNewestFirst,
  type CursorQuery,
} from '../../src/zoom/paging';
import type { OperationLogEntry, RawOperationLog } from '../../src/zoom/types';

type Reply = { status: number; body: unknown };
/** Decides the answer from the window asked for, the page token and the request number. */
type Script = (q: { from: string; to: string; token: string; n: number }) => Reply;

interface Srv {
  client: ZoomClient;
  requests: { from: string; token: string }[];
  close(): Promise<void>;
}

async function serve(script: Script): Promise<Srv> {
  const requests: { from: string; token: string }[] = [];
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const from = q.get('from') ?? '';
    const token = q.get('next_page_token') ?? '';
    requests.push({ from, token });
    const r = script({ from, to: q.get('to') ?? '', token, n: requests.length });
    res.writeHead(r.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(r.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client: new ZoomClient({
      apiBaseUrl: `${origin}/v2`,
      tokens: new StaticTokenSource('t'),
      requestsPerSecond: 1000,
      maxAttempts: 1,
    }),
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function raw(i: number, day = '2026-11-20'): RawOperationLog {
  const s = String(i % 60).padStart(2, '0');
  const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
  return {
    time: `${day}T10:${m}:${s}Z`,
    operator: 'a@b.c',
    category_type: 'User',
    action: 'Add',
    operation_detail: `#${i}`,
  };
}

const page = (logs: RawOperationLog[], next = ''): Reply => ({
  status: 200,
  body: { next_page_token: next, operation_logs: logs },
});
const NOV: CursorQuery = { from: '2026-11-01', to: '2026-11-30', categoryType: 'all', pageSize: 300 };

async function drain(c: QueryCursor): Promise<OperationLogEntry[]> {
  const all: OperationLogEntry[] = [];
  for (let i = 0; i < 100 && !c.done; i++) all.push(...(await c.nextPage()));
  return all;
}

describe('Paging edges (scripted window)', function () {
  this.timeout(10_000);
  let srv: Srv | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('a token expiring after 1,200 entries restarts the window and hands out the other 100 once', async () => {
    const data = Array.from({ length: 1300 }, (_, i) => raw(i));
    let expired = false;
    srv = await serve(({ token }) => {
      const p = token ? Number(token.slice(1).split('-')[0]) : 0;
      if (p === 4 && !expired) {
        expired = true;
        return { status: 400, body: { code: 300, message: 'The next page token is invalid or expired.' } };
      }
      const slice = data.slice(p * 300, p * 300 + 300);
      return page(slice, p < 4 ? `p${p + 1}-${expired ? 'b' : 'a'}` : '');
    });
    const c = new QueryCursor(srv.client, NOV);
    const got = await drain(c);
    assert.equal(got.length, 1300);
    assert.equal(new Set(got.map((e) => e.operationDetail)).size, 1300, 'each once');
    assert.equal(c.pages, 9, '4 pages, a rejected token, then 5 pages from the start');
    assert.deepEqual(
      srv.requests.map((r) => r.token),
      ['', 'p1-a', 'p2-a', 'p3-a', 'p4-a', '', 'p1-b', 'p2-b', 'p3-b', 'p4-b'],
    );
  });

  it('says why it stopped: a repeated token, empty pages, the page budget, rejected tokens', async () => {
    srv = await serve(({ token }) =>
      page([raw(Number(token.slice(1) || 0))], token === 'p2' ? 'p1' : `p${Number(token.slice(1) || 0) + 1}`),
    );
    const repeat = new QueryCursor(srv.client, NOV);
    await assert.rejects(
      drain(repeat),
      (e: Error & { kind?: string }) =>
        e.kind === 'badResponse' &&
        e.message ===
          'Zoom sent the same page token twice for 2026-11-01 to 2026-11-30; stopped so the download does not loop. Try again later.',
    );
    await srv.close();

    srv = await serve(({ token }) => page([], `e${Number(token.slice(1) || 0) + 1}`));
    await assert.rejects(
      drain(new QueryCursor(srv.client, { ...NOV, limits: { maxEmptyPages: 2 } })),
      (e: Error) =>
        e.message === 'Zoom kept sending empty pages for 2026-11-01 to 2026-11-30; stopped after 2. Try again later.',
    );
    assert.equal(srv.requests.length, 2);
    await srv.close();

    srv = await serve(({ token }) => page([raw(Number(token.slice(1) || 0))], `p${Number(token.slice(1) || 0) + 1}`));
    await assert.rejects(
      drain(new QueryCursor(srv.client, { ...NOV, limits: { maxPagesPerWindow: 3 } })),
      (e: Error) =>
        e.message ===
        'Zoom sent more than 3 pages for 2026-11-01 to 2026-11-30; stopped so the download ends. Try a shorter range or a larger page size ("zoomOperationLogs.pageSize").',
    );
    assert.equal(srv.requests.length, 4);
    await srv.close();

    srv = await serve(({ token }) =>
      token ? { status: 400, body: { code: 300, message: 'Invalid next page token.' } } : page([raw(1)], 'p1'),
    );
    await assert.rejects(
      drain(new QueryCursor(srv.client, NOV)),
      (e: Error & { kind?: string; status?: number }) =>
        e.kind === 'pageToken' &&
        e.status === 400 &&
        e.message === 'Zoom kept rejecting page tokens for 2026-11-01 to 2026-11-30 (3 fresh starts). Try again later.',
    );
    assert.equal(srv.requests.length, 8, 'the first try and 3 fresh starts, two requests each');
  });

  it('empty pages between full ones do not add up; an empty month costs one request', async () => {
    srv = await serve(({ token, from }) => {
      if (from < '2026-11-01') return page([]);
      const p = Number(token.slice(1) || 0);
      // entries, empty, empty, entries, empty, empty, entries (last)
      const logs = p % 3 === 0 ? [raw(p)] : [];
      return page(logs, p < 6 ? `p${p + 1}` : '');
    });
    const c = new QueryCursor(srv.client, { ...NOV, from: '2026-10-15', limits: { maxEmptyPages: 3 } });
    assert.deepEqual(c.currentWindow, { from: '2026-11-01', to: '2026-11-30' }, 'newest window first');
    const got = await drain(c);
    assert.deepEqual(
      got.map((e) => e.operationDetail),
      ['#0', '#3', '#6'],
    );
    assert.equal(srv.requests.length, 8, '7 pages of November, 1 of October');
    assert.equal(c.currentWindow, undefined);
  });

  it('collectAll reports refused windows with their query, progress per page, and sorts newest first', async () => {
    srv = await serve(({ from }) => {
      if (from < '2026-10-01') {
        return { status: 300, body: { code: 300, message: 'Only provide report in recent 6 months' } };
      }
      return page([raw(from === '2026-11-01' ? 1 : 2, from === '2026-11-01' ? '2026-11-03' : '2026-10-05')]);
    });
    const refused: [DateWindow, string][] = [];
    const progress: string[] = [];
    const q: CursorQuery = { ...NOV, from: '2026-09-10', categoryType: 'user' };
    const got = await collectAll(srv.client, [q], {
      concurrency: 1,
      onRefused: (w, query) => refused.push([w, query.categoryType]),
      onProgress: (p) => progress.push(`${p.entries}/${p.pages}/${p.refusedBefore ?? '-'}`),
    });
    assert.deepEqual(
      got.map((e) => e.time),
      ['2026-11-03T10:00:01Z', '2026-10-05T10:00:02Z'],
    );
    assert.deepEqual(refused, [[{ from: '2026-09-10', to: '2026-09-30' }, 'user']]);
    assert.deepEqual(progress, ['1/1/-', '2/2/-', '2/2/2026-10-01']);
    const iterated: string[] = [];
    for await (const e of iterateEntries(srv.client, { ...NOV, from: '2026-10-01' })) iterated.push(e.time);
    assert.deepEqual(iterated, ['2026-11-03T10:00:01Z', '2026-10-05T10:00:02Z']);
  });

  it('a restart skips each copy of an identical entry once, and keeps copies and entries logged since', async () => {
    // First pass: two identical entries X and one Y, then the token expires. By the fresh start, Zoom has logged
    // a third X (same second, same fields) and 20 other entries on top of the first page.
    const X = raw(7);
    const Y = raw(8);
    const news = Array.from({ length: 20 }, (_, i) => raw(100 + i));
    const Z = raw(9);
    let pass = 0;
    srv = await serve(({ token }) => {
      if (!token) {
        pass++;
        return pass === 1 ? page([X, X, Y], 'a1') : page([...news, X, X, X, Y], 'b1');
      }
      const expired = { status: 400, body: { code: 300, message: 'The next page token is invalid or expired.' } };
      return token === 'a1' ? expired : page([Z]);
    });
    const got = await drain(new QueryCursor(srv.client, NOV));
    const ids = got.map((e) => e.operationDetail);
    assert.deepEqual(ids, ['#7', '#7', '#8', ...news.map((e) => e.operation_detail), '#7', '#9']);
    assert.deepEqual(
      srv.requests.map((r) => r.token),
      ['', 'a1', '', 'b1'],
    );
  });

  it('isHorizonRefusal and refusedBefore: what counts as a six-month refusal, and the first day Zoom answered for', () => {
    const refusal = (status: number, zoomMessage?: string, kind: 'badRequest' | 'pageToken' = 'badRequest') =>
      new ZoomError(kind, 'x', { status, zoomMessage });
    assert.equal(isHorizonRefusal(new ZoomError('horizon', 'x')), true);
    assert.equal(isHorizonRefusal(refusal(400, 'Only provide report in recent 6 months')), true);
    assert.equal(isHorizonRefusal(refusal(400, 'Only within the last six months.')), true);
    assert.equal(isHorizonRefusal(refusal(400, 'older than 6months')), true, 'no space');
    assert.equal(isHorizonRefusal(refusal(400, 'Only for the past SIX MONTH')), true, 'singular, any case');
    assert.equal(isHorizonRefusal(refusal(400, 'Only in the last 16 months')), false, '16 is not 6');
    assert.equal(isHorizonRefusal(refusal(400, '6-monthly report')), false, 'not "6 months"');
    assert.equal(isHorizonRefusal(refusal(400)), false, 'no message');
    assert.equal(isHorizonRefusal(refusal(500, 'Only provide report in recent 6 months')), false, 'not a 400');
    assert.equal(isHorizonRefusal(refusal(400, 'token older than 6 months', 'pageToken')), false, 'a page token');
    assert.equal(isHorizonRefusal(new Error('Only provide report in recent 6 months')), false, 'not a ZoomError');

    assert.equal(refusedBefore([]), undefined);
    assert.equal(
      refusedBefore([
        { from: '2026-05-01', to: '2026-05-14' },
        { from: '2026-04-01', to: '2026-04-30' },
        { from: '2026-05-15', to: '2026-05-31' },
        { from: '2026-03-01', to: '2026-03-31' },
      ]),
      '2026-06-01',
      'the day after the newest refused day, in any order',
    );
  });

  it('sortNewestFirst: newest first, equal times keep their order, times that did not parse go last', () => {
    const e = (id: string, timeMs: number) => ({ id, timeMs });
    assert.deepEqual(
      sortNewestFirst([e('a', 1), e('nan1', NaN), e('b', 3), e('c', 1), e('nan2', NaN), e('d', 2)]).map((x) => x.id),
      ['b', 'd', 'a', 'c', 'nan1', 'nan2'],
    );
  });
});
