// The simulator behaves like today's Zoom: real entry shapes, bare 429s, OAuth {reason, error} bodies,
// scope/permission tokens, horizon styles, rate-limit headers and several accounts. Every case is a plain
// HTTP request to the running simulator on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DISABLED_CLIENT_ID,
  NO_PERMISSION_CLIENT_ID,
  NO_PERMISSION_TOKEN,
  NO_SCOPE_CLIENT_ID,
  NO_SCOPE_TOKEN,
  startSimulator,
} from '../simulator/index';
import type { SimAccount, Simulator, SimulatorOptions } from '../simulator/index';
import {
  CATEGORY_DISPLAY,
  EXTRA_DISPLAY_CATEGORIES,
  EXTRA_EXAMPLES,
  NON_EMAIL_OPERATORS,
  NOTES_EXAMPLES,
  generateEntries,
} from '../simulator/data';
import type { SimEntry } from '../simulator/data';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0); // 2026-11-26T12:00:00Z
/**
 * The example lines of /work/shared/notes/zoom-operation-logs-api.md, "What real entries look like", copied
 * unchanged (the notes live outside the repository, so the test carries its own copy).
 */
const NOTES_LINES = [
  '- `Update` | `Account` | `Security  - Sign in with Two-Factor Authentication: from On to Off`',
  '- `Update` | `Account` | `Security  - Require that all meetings are secured with one security option: from On to Off`',
  '- `Update` | `Account` | `Security  - Require a passcode when scheduling new meetings: from On to Off`',
  '- `Update` | `Account` | `Security  - Automatically sign users out after a specified time: from On to Off`',
  '- `Update` | `Account` | `Sign-in Methods  - Allow users to sign in with Google: from Off to On`',
  '- `Update` | `Account` | `Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off`',
  '- `Batch Update` | `User` | `Change Role  - jane@example.com: from User to Co-Owner`',
  '- `SCIM API - Update` | `User` | `Edit User jane@example.com  - Change Type: from Basic to Licensed`',
  '- `Update` | `User` | `Update User jane@example.com  - Job Title: set to Contractor`',
  '- `Add` | `User` | `Add User jane@example.com  - User Type: Basic - Department: Sales`',
  '- `Update` | `User` | `Activate User jane@example.com ` (trailing space; also `Deactivate User ...`)',
  '- `Update` | `User Group` | `Edit Group Sales  - Personal Meeting ID (PMI) Passcode: from On to Off`',
  '- `Add` | `User Group` | `Add Group Engineers`; `Update` | `User Group` | `Edit Group Recruiting ` (nothing after the name)',
  '- `Update` | `Channels` | `Assign admin for channel Ops  - jane@example.com`',
  '- `Update` | `Channels` | `Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New`',
];

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, body };
}

async function report(
  apiBaseUrl: string,
  params: Record<string, string | number>,
  token: string | undefined,
): Promise<Answer> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return answer(
    await fetch(`${apiBaseUrl}/report/operationlogs?${qs}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    }),
  );
}

async function allPages(sim: Simulator, q: Record<string, string>): Promise<SimEntry[]> {
  const out: SimEntry[] = [];
  let next = '';
  for (let i = 0; i < 100; i++) {
    const r = await report(
      sim.apiBaseUrl,
      { ...q, page_size: 300, ...(next ? { next_page_token: next } : {}) },
      sim.token,
    );
    assert.equal(r.status, 200, r.text);
    out.push(...(r.body.operation_logs as SimEntry[]));
    next = String(r.body.next_page_token ?? '');
    if (!next) return out;
  }
  assert.fail('more than 100 pages');
}

interface TokenReq {
  oauthBaseUrl?: string;
  id?: string;
  secret?: string;
  account?: string;
  grant?: string;
  /** Where grant_type and account_id go (default: both). */
  where?: 'query' | 'body' | 'both';
  noAuth?: boolean;
}

async function tokenRequest(sim: Simulator, o: TokenReq = {}): Promise<Answer> {
  const params = new URLSearchParams({
    grant_type: o.grant ?? 'account_credentials',
    account_id: o.account ?? sim.s2s.accountId,
  });
  const where = o.where ?? 'both';
  const basic = Buffer.from(`${o.id ?? sim.s2s.clientId}:${o.secret ?? sim.s2s.clientSecret}`).toString('base64');
  const headers: Record<string, string> = o.noAuth ? {} : { Authorization: `Basic ${basic}` };
  if (where !== 'query') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const url = `${o.oauthBaseUrl ?? sim.oauthBaseUrl}/oauth/token${where === 'body' ? '' : `?${params}`}`;
  return answer(await fetch(url, { method: 'POST', headers, body: where === 'query' ? undefined : params.toString() }));
}

describe('simulator realism: real entry shapes (6a)', function () {
  this.timeout(20_000);

  it('the notes list exactly the examples NOTES_EXAMPLES holds, verbatim', () => {
    // Every "`Action` | `Category` | `detail`" of the notes' lines, the ';'-joined ones split.
    const found: string[] = [];
    for (const m of NOTES_LINES.join('\n').matchAll(/`([^`]+)` \| `([^`]+)` \| `([^`]*)`/g)) {
      found.push(`${m[1]}|${m[2]}|${m[3]}`);
    }
    // `Update User jane@example.com ` has a `Deactivate User ...` twin mentioned in prose.
    const ours = NOTES_EXAMPLES.map((e) => `${e.action}|${e.category_type}|${e.operation_detail}`);
    assert.equal(found.length, 16, 'examples in the notes');
    for (const f of found) assert.ok(ours.includes(f), `missing example: ${f}`);
    assert.ok(ours.includes('Update|User|Deactivate User jane@example.com '));
  });

  it('is deterministic and holds every example verbatim, once, spread over the range', () => {
    const a = generateEntries({ seed: 1, count: 2000, now: NOW });
    assert.deepEqual(a, generateEntries({ seed: 1, count: 2000, now: NOW }), 'same seed, same data');
    assert.notDeepEqual(a, generateEntries({ seed: 2, count: 2000, now: NOW }));
    assert.equal(a.length, 2000, 'the examples replace entries, the count stays');
    const key = (e: { action: string; category_type: string; operation_detail: string }): string =>
      JSON.stringify([e.action, e.category_type, e.operation_detail]);
    const times: string[] = [];
    for (const ex of [...NOTES_EXAMPLES, ...EXTRA_EXAMPLES]) {
      const hits = a.filter(
        (e) => key(e) === key(ex) && (!('operator' in ex) || !ex.operator || e.operator === ex.operator),
      );
      assert.ok(hits.length >= 1, `example present: ${key(ex)}`);
      times.push(hits[0].time);
    }
    const months = new Set(times.map((t) => t.slice(0, 7)));
    assert.ok(months.size >= 6, `examples in ${months.size} months`);
    // Fewer than EXAMPLES_MIN_COUNT entries: no examples, the old small data sets stay small and random.
    const small = generateEntries({ seed: 1, count: 50, now: NOW });
    assert.ok(!small.some((e) => e.operation_detail === NOTES_EXAMPLES[0].operation_detail));
  });

  it('generated entries have the real quirks', () => {
    const e = generateEntries({ seed: 5, count: 3000, now: NOW });
    const details = e.map((x) => x.operation_detail);
    assert.ok(details.filter((d) => d.includes('  - ')).length > 1000, 'two spaces before " - "');
    assert.ok(
      details.some((d) => / - [^:]+: from [^-]+ to .+ - [^:]+: (from|set to)/.test(d)),
      'chained changes',
    );
    assert.ok(
      details.some((d) => /: set to $/.test(d) || /: set to {2}- /.test(d)),
      'empty set to',
    );
    assert.ok(
      details.some((d) => /^(Activate|Deactivate) User \S+ $/.test(d)),
      'trailing space',
    );
    for (const field of ['userId', 'assistant', 'options']) {
      const m = details.map((x) => new RegExp(`${field}: (\\[[^\\]]*\\])`).exec(x)).find((x) => x);
      assert.ok(m, `a JSON array for ${field}`);
      const arr = JSON.parse(m[1]) as unknown;
      assert.ok(Array.isArray(arr) && arr.length >= 1 && arr.every((x) => typeof x === 'string'));
    }
    const actions = new Set(e.map((x) => x.action));
    for (const a of ['Add', 'Update', 'Delete', 'Batch Update', 'SCIM API - Update']) assert.ok(actions.has(a), a);
    const displays = new Set(e.map((x) => x.category_type));
    for (const d of EXTRA_DISPLAY_CATEGORIES) assert.ok(displays.has(d), d);
    const ops = new Set(e.map((x) => x.operator));
    for (const o of NON_EMAIL_OPERATORS) assert.ok(ops.has(o), o);
    const nonEmail = e.filter((x) => !x.operator.includes('@')).length;
    assert.ok(nonEmail > 30 && nonEmail < 300, `non-e-mail operators ${nonEmail}`);
  });

  it('serves the examples over HTTP; User Group and Channels only with category_type=all', async () => {
    const sim = await startSimulator({ now: NOW, rps: 0 });
    try {
      const month = { from: '2026-10-26', to: '2026-11-26' };
      const all = await allPages(sim, month);
      assert.deepEqual(all, sim.expected(month));
      const wanted = [...NOTES_EXAMPLES, ...EXTRA_EXAMPLES].map((x) => x.operation_detail);
      const servedInMonth = all.filter((x) => wanted.includes(x.operation_detail));
      assert.ok(servedInMonth.length >= 4, `${servedInMonth.length} examples in the last month`);
      for (const ex of sim.data.filter((x) => wanted.includes(x.operation_detail)).slice(0, 40)) {
        const day = ex.time.slice(0, 10);
        const got = await allPages(sim, { from: day, to: day });
        assert.ok(
          got.some((x) => JSON.stringify(x) === JSON.stringify(ex)),
          `served verbatim: ${ex.operation_detail}`,
        );
      }
      const groups = all.filter((x) => EXTRA_DISPLAY_CATEGORIES.includes(x.category_type));
      assert.ok(groups.length > 0);
      for (const c of Object.keys(CATEGORY_DISPLAY)) {
        const r = await allPages(sim, { ...month, category_type: c });
        assert.ok(!r.some((x) => EXTRA_DISPLAY_CATEGORIES.includes(x.category_type)), c);
      }
      const bad = await report(sim.apiBaseUrl, { ...month, category_type: 'user_group' }, sim.token);
      assert.equal(bad.status, 400, 'user_group is not a query value');
    } finally {
      await sim.close();
    }
  });
});

describe('simulator realism: server behaviour', function () {
  this.timeout(10_000);
  let sim: Simulator;
  const start = async (o: SimulatorOptions = {}): Promise<Simulator> =>
    (sim = await startSimulator({ now: NOW, rps: 0, entries: 300, ...o }));
  afterEach(async () => {
    await sim?.close();
  });
  const q = { from: '2026-11-01', to: '2026-11-10' };

  it('6b: 429-bare has no Retry-After and no X-RateLimit header, scripted or in the fault mix', async () => {
    await start();
    sim.script({ kind: '429-bare' });
    const r = await report(sim.apiBaseUrl, q, sim.token);
    assert.equal(r.status, 429);
    assert.equal(r.body.code, 429);
    const names: string[] = [];
    r.headers.forEach((_v, k) => names.push(k));
    assert.ok(!names.some((h) => h === 'retry-after' || h.startsWith('x-ratelimit')), names.join(','));
    sim.setFaultRate(1, ['429-bare']);
    for (let i = 0; i < 3; i++) {
      const m = await report(sim.apiBaseUrl, q, sim.token);
      assert.equal(m.status, 429);
      assert.equal(m.headers.get('retry-after'), null);
      assert.equal(m.headers.get('x-ratelimit-type'), null);
    }
    sim.setFaultRate(0, []);
    assert.equal((await report(sim.apiBaseUrl, q, sim.token)).status, 200);
  });

  it('6c: OAuth errors are {reason, error} without a numeric code by default', async () => {
    await start();
    const cases: [TokenReq, number, Record<string, unknown>][] = [
      [{ id: 'NoSuchClient' }, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' }],
      [{ secret: 'wrong' }, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' }],
      [{ noAuth: true }, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' }],
      [{ account: 'other' }, 400, { reason: 'Invalid account_id', error: 'invalid_request' }],
      [{ account: '' }, 400, { reason: 'Invalid account_id', error: 'invalid_request' }],
      [{ grant: 'client_credentials' }, 400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' }],
      [{ id: DISABLED_CLIENT_ID }, 401, { code: 4717, reason: 'The app has been disabled', error: 'invalid_client' }],
    ];
    for (const [o, status, body] of cases) {
      const r = await tokenRequest(sim, o);
      assert.equal(r.status, status, JSON.stringify(o));
      assert.deepEqual(r.body, body, JSON.stringify(o));
      assert.ok(!r.text.includes(sim.s2s.clientSecret));
    }
    assert.equal(sim.issuedTokens(), 0);
  });

  it('6c: the numeric style keeps the old {code, message, reason, error} bodies', async () => {
    await start({ oauthErrorStyle: 'numeric' });
    const r = await tokenRequest(sim, { id: DISABLED_CLIENT_ID });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, {
      code: 4717,
      message: 'The app has been disabled',
      reason: 'The app has been disabled',
      error: 'invalid_client',
    });
    assert.equal((await tokenRequest(sim, { secret: 'x' })).body.code, 4704);
  });

  it('6c: grant_type/account_id are read from the body and the query; oauthRequireBody refuses query-only', async () => {
    await start();
    for (const where of ['query', 'body', 'both'] as const) {
      const r = await tokenRequest(sim, { where });
      assert.equal(r.status, 200, where);
      assert.equal((await report(sim.apiBaseUrl, q, String(r.body.access_token))).status, 200);
    }
    await sim.close();
    await start({ oauthRequireBody: true });
    const queryOnly = await tokenRequest(sim, { where: 'query' });
    assert.equal(queryOnly.status, 400);
    assert.deepEqual(queryOnly.body, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
    assert.equal((await tokenRequest(sim, { where: 'body' })).status, 200);
    assert.equal((await tokenRequest(sim, { where: 'both' })).status, 200);
  });

  it('6c: api_url is the own origin by default and the apiUrl option when given', async () => {
    await start();
    const a = await tokenRequest(sim);
    assert.equal(a.body.api_url, sim.oauthBaseUrl);
    assert.equal(`${String(a.body.api_url)}/v2`, sim.apiBaseUrl);
    await sim.close();
    await start({ apiUrl: 'https://eu01api.zoom.us' });
    const b = await tokenRequest(sim);
    assert.equal(b.body.api_url, 'https://eu01api.zoom.us');
    assert.equal(b.body.scope, 'report:read:admin');
  });

  it('1: tokens without the scope get 4711, without the permission code 200; scope field says which', async () => {
    await start();
    const noScope = await report(sim.apiBaseUrl, q, NO_SCOPE_TOKEN);
    assert.equal(noScope.status, 400);
    assert.deepEqual(noScope.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[report:read:admin]',
    });
    const noPerm = await report(sim.apiBaseUrl, q, NO_PERMISSION_TOKEN);
    assert.equal(noPerm.status, 400);
    assert.deepEqual(noPerm.body, { code: 200, message: 'No permission.' });

    const s = await tokenRequest(sim, { id: NO_SCOPE_CLIENT_ID });
    assert.equal(s.status, 200);
    assert.ok(!String(s.body.scope).split(' ').includes('report:read:admin'), String(s.body.scope));
    assert.equal((await report(sim.apiBaseUrl, q, String(s.body.access_token))).body.code, 4711);
    const p = await tokenRequest(sim, { id: NO_PERMISSION_CLIENT_ID });
    assert.equal(p.status, 200);
    assert.equal(p.body.scope, 'report:read:admin');
    const pr = await report(sim.apiBaseUrl, q, String(p.body.access_token));
    assert.equal(pr.status, 400);
    assert.deepEqual(pr.body, { code: 200, message: 'No permission.' });
    assert.equal(sim.issuedTokens(), 2);
    // Neither kind of refusal uses up the daily cap.
    await sim.close();
    await start({ dailyLimit: 1 });
    await report(sim.apiBaseUrl, q, NO_SCOPE_TOKEN);
    await report(sim.apiBaseUrl, q, NO_PERMISSION_TOKEN);
    assert.equal((await report(sim.apiBaseUrl, q, sim.token)).status, 200);
  });

  it('3: horizonStyle code300 answers 400 code 300 with a message; none never refuses', async () => {
    await start({ horizonStyle: 'code300' });
    const old = { from: '2026-05-25', to: '2026-06-10' };
    const r = await report(sim.apiBaseUrl, old, sim.token);
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { code: 300, message: 'Only provide report in recent 6 months' });
    assert.equal((await report(sim.apiBaseUrl, { ...old, from: '2026-05-26' }, sim.token)).status, 200);
    await sim.close();
    await start({ horizonStyle: 'none' });
    const none = await report(sim.apiBaseUrl, { from: '2025-01-01', to: '2025-01-31' }, sim.token);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.operation_logs, []);
  });

  it("3: horizonDays / horizonMonths refuse a window the client's six-month estimate allows", async () => {
    // Six calendar months back from 2026-11-26 is 2026-05-26; 180 days back is 2026-05-30.
    await start({ horizonDays: 180 });
    const edge = { from: '2026-05-26', to: '2026-06-10' };
    assert.equal((await report(sim.apiBaseUrl, edge, sim.token)).status, 300);
    assert.equal((await report(sim.apiBaseUrl, { ...edge, from: '2026-05-29' }, sim.token)).status, 300);
    assert.equal((await report(sim.apiBaseUrl, { ...edge, from: '2026-05-30' }, sim.token)).status, 200);
    await sim.close();
    await start({ horizonMonths: 5, horizonStyle: 'code300' });
    assert.equal((await report(sim.apiBaseUrl, { from: '2026-06-25', to: '2026-07-01' }, sim.token)).body.code, 300);
    assert.equal((await report(sim.apiBaseUrl, { from: '2026-06-26', to: '2026-07-01' }, sim.token)).status, 200);
  });

  it('rate-limit headers on successful reports only when asked', async () => {
    await start({ dailyLimit: 5 });
    const plain = await report(sim.apiBaseUrl, q, sim.token);
    assert.equal(plain.headers.get('x-ratelimit-limit'), null);
    await sim.close();
    await start({ dailyLimit: 5, rateLimitHeaders: true });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await report(sim.apiBaseUrl, q, sim.token);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-ratelimit-category'), 'Heavy');
      assert.equal(r.headers.get('x-ratelimit-limit'), '5');
      remaining.push(r.headers.get('x-ratelimit-remaining'));
    }
    assert.deepEqual(remaining, ['4', '3', '2']);
  });
});

describe('simulator realism: several accounts (stretch)', function () {
  this.timeout(10_000);
  let sim: Simulator;
  afterEach(async () => {
    await sim?.close();
  });
  const q = { from: '2026-10-27', to: '2026-11-26' };

  async function s2sToken(acct: SimAccount, over: { id?: string; secret?: string } = {}): Promise<Answer> {
    const basic = Buffer.from(`${over.id ?? acct.s2s.clientId}:${over.secret ?? acct.s2s.clientSecret}`).toString(
      'base64',
    );
    return answer(
      await fetch(`${acct.oauthBaseUrl}/oauth/token`, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'account_credentials', account_id: acct.s2s.accountId }).toString(),
      }),
    );
  }

  it('default: one account, also reachable under /acc/<id>', async () => {
    sim = await startSimulator({ now: NOW, rps: 0, entries: 300 });
    assert.equal(sim.accounts.length, 1);
    assert.equal(sim.accounts[0].id, sim.s2s.accountId);
    const viaPrefix = await report(`${sim.oauthBaseUrl}/acc/${sim.s2s.accountId}/v2`, q, sim.token);
    assert.equal(viaPrefix.status, 200);
    assert.equal((await report(`${sim.oauthBaseUrl}/acc/nobody/v2`, q, sim.token)).status, 404);
    assert.deepEqual(sim.crossAccountAttempts(), []);
  });

  it('each account has its own data, tokens and credentials; another account gets 401 and is recorded', async () => {
    sim = await startSimulator({
      now: NOW,
      rps: 0,
      accounts: [
        { id: 'acctA', seed: 1, entries: 400 },
        { id: 'acctB', seed: 2, entries: 300 },
      ],
    });
    const [a, b] = sim.accounts;
    assert.equal(sim.data, a.data);
    assert.notDeepEqual(a.data, b.data);
    assert.equal(b.data.length, 300);
    assert.notEqual(a.token, b.token);
    assert.notEqual(a.s2s.clientId, b.s2s.clientId);
    assert.equal(b.apiBaseUrl, `${sim.oauthBaseUrl}/acc/acctB/v2`);

    // Own token, own data (demo token and S2S token).
    const ra = await report(a.apiBaseUrl, { ...q, page_size: 300 }, a.token);
    assert.deepEqual(ra.body.operation_logs, a.expected(q).slice(0, 300));
    const tb = await s2sToken(b);
    assert.equal(tb.status, 200);
    assert.equal(tb.body.api_url, `${sim.oauthBaseUrl}/acc/acctB`);
    const rb = await report(b.apiBaseUrl, { ...q, page_size: 300 }, String(tb.body.access_token));
    assert.deepEqual(rb.body.operation_logs, b.expected(q).slice(0, 300));
    assert.notDeepEqual(ra.body.operation_logs, rb.body.operation_logs);

    // A's token at B, B's token at the root (= A), B's client at A's token endpoint.
    const cross1 = await report(b.apiBaseUrl, q, a.token);
    assert.equal(cross1.status, 401);
    assert.deepEqual(cross1.body, { code: 124, message: 'Invalid access token.' });
    assert.equal((await report(sim.apiBaseUrl, q, String(tb.body.access_token))).status, 401);
    const cross3 = await s2sToken(a, { id: b.s2s.clientId, secret: b.s2s.clientSecret });
    assert.equal(cross3.status, 401);
    assert.equal(cross3.body.error, 'invalid_client');
    // An expired token of B is still B's: at A it is recorded, at B it is expired.
    sim.expireAccessTokens();
    assert.equal((await report(a.apiBaseUrl, q, String(tb.body.access_token))).status, 401);
    const expired = await report(b.apiBaseUrl, q, String(tb.body.access_token));
    assert.deepEqual(expired.body, { code: 124, message: 'Access token is expired.' });
    sim.resetLog();
    const attempts = sim.crossAccountAttempts();
    assert.deepEqual(
      attempts.map((x) => [x.method, x.path, x.addressed, x.owner]),
      [
        ['GET', '/acc/acctB/v2/report/operationlogs', 'acctB', 'acctA'],
        ['GET', '/v2/report/operationlogs', 'acctA', 'acctB'],
        ['POST', '/oauth/token', 'acctA', 'acctB'],
        ['GET', '/v2/report/operationlogs', 'acctA', 'acctB'],
      ],
      'recorded, and kept after resetLog()',
    );
    // Page tokens belong to their account too.
    const first = await report(b.apiBaseUrl, { ...q, page_size: 50 }, b.token);
    const pageTok = String(first.body.next_page_token);
    assert.equal((await report(a.apiBaseUrl, { ...q, page_size: 50, next_page_token: pageTok }, a.token)).status, 400);
    assert.equal((await report(b.apiBaseUrl, { ...q, page_size: 50, next_page_token: pageTok }, b.token)).status, 200);
  });

  it('rate limits are per account', async () => {
    sim = await startSimulator({
      now: NOW,
      rps: 0,
      dailyLimit: 1,
      accounts: [
        { id: 'one', entries: 20 },
        { id: 'two', entries: 20 },
      ],
    });
    const [one, two] = sim.accounts;
    assert.equal((await report(one.apiBaseUrl, q, one.token)).status, 200);
    assert.equal((await report(one.apiBaseUrl, q, one.token)).status, 429);
    assert.equal((await report(two.apiBaseUrl, q, two.token)).status, 200);
  });
});

describe('simulator realism: CLI', function () {
  this.timeout(15_000);
  const cli = path.join(__dirname, '..', 'simulator', 'cli.js');

  it('--help documents every new option and the special credentials', () => {
    assert.ok(fs.existsSync(cli), 'built by node esbuild.js --tests');
    const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 0);
    for (const s of [
      '--oauth-error-style',
      '--oauth-require-body',
      '--api-url',
      '--horizon-style',
      '--horizon-days',
      '--horizon-months',
      '--rate-limit-headers',
      '--account',
      '429-bare',
      NO_SCOPE_TOKEN,
      NO_PERMISSION_TOKEN,
      NO_SCOPE_CLIENT_ID,
      NO_PERMISSION_CLIENT_ID,
      DISABLED_CLIENT_ID,
      '4711',
      '4717',
    ]) {
      assert.ok(r.stdout.includes(s), s);
    }
  });
});
