import assert from 'node:assert/strict';
import { startSimulator } from '../simulator/index';
import type { Simulator, SimulatorOptions } from '../simulator/index';
import {
  CATEGORY_DISPLAY,
  HOSTILE_STRINGS,
  HUGE_STRING,
  NON_EMAIL_OPERATORS,
  generateEntries,
} from '../simulator/data';
import type { SimEntry } from '../simulator/data';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0); // 2026-11-26T12:00:00Z
const MIN = 60_000;

interface Body {
  code?: number;
  message?: string;
  errors?: { field: string; message: string }[];
  page_size?: number;
  next_page_token?: string;
  operation_logs?: SimEntry[];
  from?: string;
  to?: string;
}

async function get(
  sim: Simulator,
  params: Record<string, string | number>,
  token: string = sim.token,
): Promise<{ status: number; headers: Headers; text: string; body: Body }> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${sim.apiBaseUrl}/report/operationlogs?${qs}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, body };
}

async function tokenRequest(
  sim: Simulator,
  o: { id?: string; secret?: string; account?: string; grant?: string; noAuth?: boolean } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const qs = new URLSearchParams({
    grant_type: o.grant ?? 'account_credentials',
    account_id: o.account ?? sim.s2s.accountId,
  });
  const basic = Buffer.from(`${o.id ?? sim.s2s.clientId}:${o.secret ?? sim.s2s.clientSecret}`).toString('base64');
  const res = await fetch(`${sim.oauthBaseUrl}/oauth/token?${qs}`, {
    method: 'POST',
    headers: o.noAuth ? {} : { Authorization: `Basic ${basic}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function pageAll(
  sim: Simulator,
  q: Record<string, string | number>,
): Promise<{ entries: SimEntry[]; pages: number }> {
  const entries: SimEntry[] = [];
  let token = '';
  let pages = 0;
  do {
    const r = await get(sim, token ? { ...q, next_page_token: token } : q);
    assert.equal(r.status, 200, r.text);
    entries.push(...(r.body.operation_logs ?? []));
    token = r.body.next_page_token ?? '';
    pages++;
  } while (token);
  return { entries, pages };
}

describe('simulator: data generator', () => {
  it('is deterministic and newest first', () => {
    const a = generateEntries({ seed: 7, count: 500, now: NOW });
    const b = generateEntries({ seed: 7, count: 500, now: NOW });
    const c = generateEntries({ seed: 8, count: 500, now: NOW });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1].time >= a[i].time);
  });

  it('produces realistic entries inside the six-month window', () => {
    const e = generateEntries({ seed: 1, count: 3000, now: NOW });
    const displays = new Set(e.map((x) => x.category_type));
    for (const d of Object.values(CATEGORY_DISPLAY)) assert.ok(displays.has(d), d);
    const unknown = e.filter((x) => !Object.values(CATEGORY_DISPLAY).includes(x.category_type)).length;
    // ~1% unknown display categories plus ~5% `User Group` / `Channels`
    assert.ok(unknown >= 30 && unknown < 300, `unknown ${unknown}`);
    for (const x of e) {
      assert.match(x.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(x.time >= '2026-05-27T00:00:00Z' && Date.parse(x.time) <= NOW, x.time);
      if (!NON_EMAIL_OPERATORS.includes(x.operator)) assert.match(x.operator, /^[^@\s]+@[a-z.]+$/);
    }
    const ops = new Set(e.map((x) => x.operator).filter((o) => o.includes('@')));
    assert.ok(ops.size >= 25 && ops.size <= 30);
    assert.ok(new Set(e.map((x) => x.action)).has('Batch Update'));
    assert.ok(
      e.some((x, i) => i > 0 && e[i - 1].time === x.time),
      'some entries share a second',
    );
  });

  it('mixes hostile strings into ~5% of entries, the huge one once', () => {
    const e = generateEntries({ seed: 3, count: 2000, now: NOW, hostile: true });
    const set = new Set(HOSTILE_STRINGS);
    const hostile = e.filter(
      (x) =>
        set.has(x.operator) ||
        set.has(x.category_type) ||
        set.has(x.action) ||
        HOSTILE_STRINGS.some((h) => h.trim().length > 3 && x.operation_detail.includes(h)),
    );
    assert.ok(hostile.length > 40 && hostile.length < 200, `hostile ${hostile.length}`);
    assert.equal(e.filter((x) => x.operation_detail === HUGE_STRING).length, 1);
    assert.ok(HUGE_STRING.length > 1_000_000);
    assert.ok(HOSTILE_STRINGS.includes('<script>alert(1)</script>'));
  });
});

describe('simulator: report endpoint', function () {
  this.timeout(10_000);
  let sim: Simulator;
  const start = async (o: SimulatorOptions = {}): Promise<Simulator> =>
    (sim = await startSimulator({ now: NOW, rps: 0, entries: 3000, ...o }));
  afterEach(async () => {
    await sim?.close();
  });

  it('uses page size 30 by default and clamps to 300', async () => {
    await start();
    const q = { from: '2026-10-27', to: '2026-11-26' };
    const r = await get(sim, q);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.body.page_size, 30);
    assert.equal(r.body.operation_logs?.length, 30);
    assert.equal(r.body.from, q.from);
    assert.match(r.body.next_page_token ?? '', /^[A-Za-z0-9]{32}$/);
    assert.deepEqual(r.body.operation_logs, sim.expected(q).slice(0, 30));
    const big = await get(sim, { ...q, page_size: 1000 });
    assert.equal(big.body.page_size, 300);
    assert.equal(big.body.operation_logs?.length, 300);
  });

  it('token paging covers expected() exactly, per category', async () => {
    await start();
    const q = { from: '2026-10-27', to: '2026-11-26' };
    const all = sim.expected(q);
    assert.ok(all.length > 300);
    const got = await pageAll(sim, { ...q, page_size: 300 });
    assert.deepEqual(got.entries, all);
    assert.equal(got.pages, Math.ceil(all.length / 300));
    const users = await pageAll(sim, { ...q, category_type: 'user_settings', page_size: 50 });
    assert.deepEqual(users.entries, sim.expected({ ...q, category: 'user_settings' }));
    assert.ok(users.entries.every((e) => e.category_type === 'User Settings'));
    // unknown display categories only with `all`
    const known = new Set(Object.values(CATEGORY_DISPLAY));
    const sum = Object.keys(CATEGORY_DISPLAY).reduce((s, c) => s + sim.expected({ ...q, category: c }).length, 0);
    assert.equal(sum, all.filter((e) => known.has(e.category_type)).length);
  });

  it('dates are inclusive UTC days; last page has an empty token', async () => {
    const data: SimEntry[] = [
      {
        time: '2026-11-10T00:00:00Z',
        operator: 'a@x.com',
        category_type: 'User',
        action: 'Add',
        operation_detail: 'first second',
      },
      {
        time: '2026-11-09T23:59:59Z',
        operator: 'a@x.com',
        category_type: 'User',
        action: 'Add',
        operation_detail: 'before',
      },
      {
        time: '2026-11-12T23:59:59Z',
        operator: 'a@x.com',
        category_type: 'Zoom Rooms',
        action: 'Add',
        operation_detail: 'last second',
      },
      {
        time: '2026-11-13T00:00:00Z',
        operator: 'a@x.com',
        category_type: 'User',
        action: 'Add',
        operation_detail: 'after',
      },
    ];
    await start({ data });
    assert.equal(sim.data[0].operation_detail, 'after'); // sorted newest first
    const r = await get(sim, { from: '2026-11-10', to: '2026-11-12' });
    assert.deepEqual(
      r.body.operation_logs?.map((e) => e.operation_detail),
      ['last second', 'first second'],
    );
    assert.equal(r.body.next_page_token, '');
    const rooms = await get(sim, { from: '2026-11-10', to: '2026-11-12', category_type: 'zoom_rooms' });
    assert.deepEqual(
      rooms.body.operation_logs?.map((e) => e.operation_detail),
      ['last second'],
    );
  });

  it('page tokens expire after 15 minutes and may be reused before', async () => {
    await start();
    const q = { from: '2026-11-01', to: '2026-11-26' };
    const first = await get(sim, q);
    const tok = first.body.next_page_token ?? '';
    sim.clock.advance(14 * MIN);
    const a = await get(sim, { ...q, next_page_token: tok });
    const b = await get(sim, { ...q, next_page_token: tok });
    assert.equal(a.status, 200);
    assert.deepEqual(a.body.operation_logs, b.body.operation_logs);
    assert.deepEqual(a.body.operation_logs, sim.expected(q).slice(30, 60));
    sim.clock.advance(1 * MIN);
    const c = await get(sim, { ...q, next_page_token: tok });
    assert.equal(c.status, 400);
    assert.deepEqual(c.body, { code: 300, message: 'The next page token is invalid or expired.' });
    // the token issued 1 minute ago is still fine
    assert.equal((await get(sim, { ...q, next_page_token: b.body.next_page_token ?? '' })).status, 200);
    assert.equal((await get(sim, { ...q, next_page_token: 'bogus' })).status, 400);
  });

  it('page tokens are bound to the query', async () => {
    await start();
    const q = { from: '2026-11-01', to: '2026-11-26', page_size: 50 };
    const tok = (await get(sim, q)).body.next_page_token ?? '';
    for (const other of [
      { ...q, to: '2026-11-25' },
      { ...q, from: '2026-11-02' },
      { ...q, category_type: 'user' },
      { ...q, page_size: 51 },
    ]) {
      const r = await get(sim, { ...other, next_page_token: tok });
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 300);
    }
    assert.equal((await get(sim, { ...q, category_type: 'all', next_page_token: tok })).status, 200);
  });

  it('answers HTTP 300 with an empty text/plain body beyond six months', async () => {
    await start();
    const r = await get(sim, { from: '2026-05-25', to: '2026-06-10' });
    assert.equal(r.status, 300);
    assert.equal(r.text, '');
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal((await get(sim, { from: '2026-05-26', to: '2026-06-10' })).status, 200);
    sim.clock.advance(24 * 60 * MIN); // tomorrow: the horizon moves
    assert.equal((await get(sim, { from: '2026-05-26', to: '2026-06-10' })).status, 300);
  });

  it('validates parameters with code 300', async () => {
    await start();
    const bad: Record<string, string | number>[] = [
      { to: '2026-11-10' },
      { from: '2026-11-01' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026/11/01', to: '2026-11-10' },
      { from: '2026-11-01', to: '2026-11-10', category_type: 'meeting' },
      { from: '2026-11-01', to: '2026-11-10', page_size: 0 },
      { from: '2026-11-01', to: '2026-11-10', page_size: 'ten' },
    ];
    for (const q of bad) {
      const r = await get(sim, q);
      assert.equal(r.status, 400, JSON.stringify(q));
      assert.equal(r.body.code, 300);
      assert.equal(r.body.errors?.length, 1);
    }
    const inverted = await get(sim, { from: '2026-11-10', to: '2026-11-01' });
    assert.equal(inverted.status, 400);
    assert.equal(inverted.body.code, 300);
    assert.equal((await get(sim, { from: '2026-10-01', to: '2026-11-01' })).status, 200);
    assert.equal((await get(sim, { from: '2026-10-01', to: '2026-11-02' })).status, 400);
  });

  it('rejects bad tokens with 401 code 124 and scope-less tokens with 4711', async () => {
    await start();
    const q = { from: '2026-11-01', to: '2026-11-10' };
    for (const t of ['', 'nope']) {
      const r = await get(sim, q, t);
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { code: 124, message: 'Invalid access token.' });
    }
    const ns = await get(sim, q, 'no-scope-token');
    assert.equal(ns.status, 400);
    assert.deepEqual(ns.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[report:read:admin]',
    });
    sim.revokeToken(sim.token);
    assert.equal((await get(sim, q)).status, 401);
  });

  it('rate limits per second with Heavy/QPS headers', async () => {
    await start({ rps: 3 });
    const q = { from: '2026-11-01', to: '2026-11-10' };
    const rs = await Promise.all(Array.from({ length: 6 }, () => get(sim, q)));
    const limited = rs.filter((r) => r.status === 429);
    assert.equal(limited.length, 3);
    const h = limited[0].headers;
    assert.equal(h.get('x-ratelimit-category'), 'Heavy');
    assert.equal(h.get('x-ratelimit-type'), 'QPS');
    assert.equal(h.get('x-ratelimit-limit'), '3');
    assert.equal(h.get('x-ratelimit-remaining'), '0');
    assert.equal(h.get('retry-after'), '1');
    assert.deepEqual(limited[0].body, {
      code: 429,
      message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
    });
    assert.equal(sim.count({ status: 429 }), 3);
    await new Promise((r) => setTimeout(r, 1050));
    assert.equal((await get(sim, q)).status, 200);
    sim.setRps(0);
    const again = await Promise.all(Array.from({ length: 6 }, () => get(sim, q)));
    assert.ok(again.every((r) => r.status === 200));
  });

  it('enforces the daily limit until the next UTC midnight', async () => {
    await start({ dailyLimit: 2 });
    const q = { from: '2026-11-01', to: '2026-11-10' };
    assert.equal((await get(sim, q)).status, 200);
    assert.equal((await get(sim, q)).status, 200);
    const r = await get(sim, q);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('x-ratelimit-type'), 'Daily-limit');
    assert.equal(r.headers.get('retry-after'), 'Fri, 27 Nov 2026 00:00:00 GMT');
    assert.match(r.body.message ?? '', /maximum daily rate limit/);
    sim.clock.advance(12 * 60 * MIN);
    assert.equal((await get(sim, q)).status, 200);
  });

  it('issues OAuth tokens and reports OAuth errors (numeric style)', async () => {
    await start({ tokenTtlSeconds: 60, oauthErrorStyle: 'numeric' });
    const ok = await tokenRequest(sim);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.token_type, 'bearer');
    assert.equal(ok.body.expires_in, 60);
    assert.equal(ok.body.scope, 'report:read:admin');
    assert.equal(ok.body.api_url, sim.oauthBaseUrl);
    assert.equal(sim.issuedTokens(), 1);
    const access = String(ok.body.access_token);
    const q = { from: '2026-11-01', to: '2026-11-10' };
    assert.equal((await get(sim, q, access)).status, 200);
    sim.clock.advance(60_000);
    const exp = await get(sim, q, access);
    assert.equal(exp.status, 401);
    assert.deepEqual(exp.body, { code: 124, message: 'Access token is expired.' });

    const t2 = String((await tokenRequest(sim)).body.access_token);
    assert.equal((await get(sim, q, t2)).status, 200);
    sim.expireAccessTokens();
    assert.equal((await get(sim, q, t2)).body.message, 'Access token is expired.');
    assert.equal((await get(sim, q)).status, 200, 'demo token unaffected');

    const cases: [Parameters<typeof tokenRequest>[1], number, number][] = [
      [{ secret: 'wrong' }, 401, 4704],
      [{ id: 'wrong' }, 401, 4702],
      [{ grant: 'client_credentials' }, 400, 4705],
      [{ noAuth: true }, 400, 4706],
      [{ account: 'other' }, 400, 4711],
    ];
    for (const [o, status, code] of cases) {
      const r = await tokenRequest(sim, o);
      assert.equal(r.status, status, JSON.stringify(o));
      assert.equal(r.body.code, code);
      assert.equal(typeof r.body.reason, 'string');
      assert.equal(typeof r.body.error, 'string');
    }
    assert.equal(sim.issuedTokens(), 2);
    assert.equal(sim.count({ path: '/oauth/token', method: 'POST' }), 7);
    assert.equal(sim.count({ path: '/oauth/token', status: 200 }), 2);
    assert.equal(sim.requests.find((r) => r.path === '/oauth/token')?.auth, 'basic');
  });

  it('applies scripted faults in order', async () => {
    await start();
    const q = { from: '2026-11-01', to: '2026-11-26' };
    sim.script(
      { kind: '500' },
      { kind: '502' },
      { kind: '503' },
      { kind: 'html' },
      { kind: '429' },
      { kind: '429', retryAfter: '7' },
    );
    const s500 = await get(sim, q);
    assert.equal(s500.status, 500);
    assert.equal(typeof s500.body.code, 'number');
    assert.equal((await get(sim, q)).status, 502);
    const s503 = await get(sim, q);
    assert.equal(s503.status, 503);
    assert.match(s503.headers.get('content-type') ?? '', /text\/html/);
    const html = await get(sim, q);
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(html.text, /<html>/);
    const f429 = await get(sim, q);
    assert.equal(f429.status, 429);
    assert.equal(f429.headers.get('retry-after'), null);
    assert.equal(f429.headers.get('x-ratelimit-type'), 'QPS');
    assert.equal((await get(sim, q)).headers.get('retry-after'), '7');

    sim.script({ kind: 'reset' });
    await assert.rejects(get(sim, q));
    sim.script({ kind: 'truncated' });
    const tr = await get(sim, q);
    assert.equal(tr.status, 200);
    assert.throws(() => JSON.parse(tr.text));
    assert.ok(tr.text.startsWith('{"from"'));
    sim.script({ kind: 'garbage', body: '{"operation_logs": "nope"' });
    const g = await get(sim, q);
    assert.equal(g.status, 200);
    assert.equal(g.text, '{"operation_logs": "nope"');
    sim.script({ kind: 'latency', latencyMs: 150 });
    const t0 = Date.now();
    const slow = await get(sim, q);
    assert.ok(Date.now() - t0 >= 140);
    assert.equal(slow.status, 200);

    const first = await get(sim, q);
    const tok = first.body.next_page_token ?? '';
    sim.script({ kind: 'repeat-token' });
    const rep = await get(sim, { ...q, next_page_token: tok });
    assert.equal(rep.status, 200);
    assert.equal(rep.body.next_page_token, tok);
    assert.deepEqual(rep.body.operation_logs, sim.expected(q).slice(30, 60));
    assert.equal((await get(sim, q)).status, 200, 'script exhausted');
    assert.equal(sim.count({ status: 0 }), 1, 'reset logged with status 0');
  });

  it('fails requests at the configured fault rate', async () => {
    await start();
    const q = { from: '2026-11-01', to: '2026-11-10' };
    sim.setFaultRate(0.5, ['500', '503']);
    const rs = [];
    for (let i = 0; i < 40; i++) rs.push((await get(sim, q)).status);
    const failed = rs.filter((s) => s !== 200).length;
    assert.ok(failed > 8 && failed < 32, `failed ${failed}`);
    assert.ok(rs.every((s) => s === 200 || s === 500 || s === 503));
    sim.setFaultRate(0, []);
    assert.equal((await get(sim, q)).status, 200);
  });

  it('keeps a request log', async () => {
    await start();
    const q = { from: '2026-11-01', to: '2026-11-10' };
    await get(sim, q);
    await get(sim, { ...q, category_type: 'user' });
    await get(sim, q, 'bad');
    const nf = await fetch(`${sim.apiBaseUrl}/users`);
    assert.equal(nf.status, 404);
    assert.equal(((await nf.json()) as Body).code, 404);
    const path = '/v2/report/operationlogs';
    assert.equal(sim.count(), 4);
    assert.equal(sim.count({ path }), 3);
    assert.equal(sim.count({ path, status: 200 }), 2);
    assert.equal(sim.count({ query: { category_type: 'user' } }), 1);
    assert.equal(sim.count({ status: 401 }), 1);
    const rec = sim.requests[0];
    assert.equal(rec.method, 'GET');
    assert.equal(rec.auth, 'bearer');
    assert.deepEqual(rec.query, q);
    assert.ok(Math.abs(rec.at - NOW) < 5000);
    assert.equal(sim.requests[3].auth, 'none');
    sim.resetLog();
    assert.equal(sim.count(), 0);
    assert.equal(sim.requests.length, 0);
  });

  it('jittered order keeps each page set but may swap neighbours', async () => {
    await start({ order: 'jittered' });
    const q = { from: '2026-10-27', to: '2026-11-26', page_size: 300 };
    const got = await pageAll(sim, q);
    const exp = sim.expected(q);
    assert.equal(got.entries.length, exp.length);
    assert.notDeepEqual(got.entries, exp);
    const key = (e: SimEntry): string => JSON.stringify(e);
    for (let i = 0; i < exp.length; i += 300) {
      assert.deepEqual(
        got.entries
          .slice(i, i + 300)
          .map(key)
          .sort(),
        exp
          .slice(i, i + 300)
          .map(key)
          .sort(),
      );
    }
  });

  it('serves a hostile data set including the 1 MB string', async () => {
    await start({ hostile: true, entries: 500 });
    const huge = sim.data.find((e) => e.operation_detail === HUGE_STRING);
    assert.ok(huge);
    const day = huge.time.slice(0, 10);
    const got = await pageAll(sim, { from: day, to: day, page_size: 300 });
    assert.ok(got.entries.some((e) => e.operation_detail === HUGE_STRING));
  });
});
