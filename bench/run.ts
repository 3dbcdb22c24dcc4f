// `npm run bench`: every benchmark against the simulator on loopback, contenders side
// by side in one run. Prints a markdown table (figure | value | goal | met?) and writes
// the figures to bench/results.json (git-ignored) so runs can be compared.
// Benchmarks report numbers and ratios; they never fail on a time.
//
//   node scripts/setup.mjs && node esbuild.js --tests && node esbuild.js --production && node out/bench/run.js
// (set-up: Debian packages, npm ci and code-server when missing, as for npm test)
//
// Sections (see each helper): 1 export throughput at each Zoom plan (ours, @zoom/rivet, the rate-limit
// bound), 2 requests per tree action, 3 grouping cost (child processes with TZ set),
// 4 retained memory (child with --expose-gc), 5 activation (bundle size, and the first
// activate() inside VS Code 1.100.3 = code-server, child process), 6 insights (parse and rules,
// regrouping, and the activity overview drawn in Chromium: bench/overview.ts), 7 archive.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MeetingsS2SAuthClient } from '@zoom/rivet/meetings';
import { collectQuery } from '../src/export/collect';
import { LogSession } from '../src/model/session';
import { DateKeyer } from '../src/model/timeZones';
import {
  CATEGORIES,
  RateLimiter,
  StaticTokenSource,
  ZoomClient,
  horizonStart,
  monthWindows,
  socketStats,
  toRawEntry,
  todayUtc,
} from '../src/zoom';
import { REPORT_PATH, TOKEN_PATH, startSimulator, type SimEntry, type Simulator } from '../test/simulator';
import { generateEntries, mulberry32 } from '../test/simulator/data';
import { chromiumPath } from '../test/host/browser';
import { codeServerEntry, repoRoot } from '../test/host/codeServer';
import { median, runChild } from './common';
import { bytesPerEntry, firstSyncOverBound, incrementalRequests, open1M, readRange1M } from './archive';
import { benchInsights } from './insights';
import type { OverviewFigures } from './overview';

const ENTRIES = 30_000;
const LATENCY_MS = 300;
const RPS = 10;
const PAGE_SIZE = 300;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

interface Contender {
  minSpanMs: number;
  seconds: number;
  requests: number;
  status429: number;
  entries: number;
  /** Our limiter's window at the end (it widens after a per-second 429). */
  limiterWindowMs?: number;
  /** Report requests for less than a whole month window (split sub-ranges). */
  splitRequests?: number;
  /** Requests that waited for a free socket in the HTTP agent (http.ts), and new connections opened. */
  socketQueued?: number;
  socketConnections?: number;
}

function reportRequests(sim: Simulator, rps: number): { requests: number; status429: number; minSpanMs: number } {
  // Shortest time between a report request's arrival and the rps-th after it: under 1000 ms
  // means rps + 1 requests reached the server within one second (the limiter spaces them its window,
  // 1000 ms plus its margin, apart when they leave; the difference is client and loopback jitter).
  const at = sim.requests.filter((r) => r.path === REPORT_PATH).map((r) => r.realAt);
  let minSpanMs = Infinity;
  for (let i = 0; i + rps < at.length; i++) minSpanMs = Math.min(minSpanMs, at[i + rps] - at[i]);
  return { requests: at.length, status429: sim.count({ path: REPORT_PATH, status: 429 }), minSpanMs };
}

/** BENCH_TRACE=1: report requests arriving per 250 ms after the start (where the limiter sat idle). */
function traceArrivals(sim: Simulator, startedPerf: number): void {
  const t0 = performance.timeOrigin + startedPerf;
  const buckets: number[] = [];
  for (const r of sim.requests) {
    if (r.path !== REPORT_PATH) continue;
    const b = Math.floor((r.realAt - t0) / 250);
    buckets[b] = (buckets[b] ?? 0) + 1;
  }
  console.log(`  arrivals per 250 ms: ${Array.from(buckets, (n) => n ?? 0).join(' ')}`);
}

/** Waits until the simulator's one-second QPS window is empty, so contenders do not share it. */
async function quiet(sim: Simulator): Promise<void> {
  await sleep(1200);
  sim.resetLog();
}

// ---------------------------------------------------------------- 1. export throughput

async function exportOurs(sim: Simulator, from: string, to: string, rps: number): Promise<Contender> {
  const limiter = MARGIN_MS === undefined ? new RateLimiter(rps) : new RateLimiter(rps, undefined, MARGIN_MS);
  const client = new ZoomClient({ apiBaseUrl: sim.apiBaseUrl, tokens: new StaticTokenSource(sim.token), limiter });
  const session = new LogSession(
    { from, to, categories: [...CATEGORIES] },
    { pageSize: PAGE_SIZE, timeZone: 'local', client: () => Promise.resolve(client) },
  );
  const sockets = { ...socketStats };
  const t = performance.now();
  const entries = await collectQuery(session, client);
  const seconds = (performance.now() - t) / 1000;
  if (process.env.BENCH_TRACE) traceArrivals(sim, t);
  const months = new Set(monthWindows(from, to).map((w) => `${w.from}|${w.to}`));
  const splitRequests = sim.requests.filter(
    (r) => r.path === REPORT_PATH && !months.has(`${r.query.from}|${r.query.to}`),
  ).length;
  return {
    seconds,
    entries: entries.length,
    limiterWindowMs: limiter.windowMs,
    splitRequests,
    socketQueued: socketStats.queued - sockets.queued,
    socketConnections: socketStats.connections - sockets.connections,
    ...reportRequests(sim, rps),
  };
}

/**
 * Zoom's official Node SDK as its users would page the report: MeetingsS2SAuthClient,
 * endpoints.reports.getOperationLogsReport, each month window one after the other,
 * page after page. Rivet's OAuth URL is a constant (https://zoom.us), so the S2S token
 * is fetched from the simulator's /oauth/token and handed to rivet through its public
 * TokenStore option (rivet then never calls OAuth itself). The API base URL is rivet's
 * `baseUrl` option, which the client passes on to its endpoints (WebEndpointOptions.baseUrl);
 * it is not in the client's option type, hence the cast. Rivet has no rate limiter and
 * no retry: a 429 throws ApiResponseError, which a user would have to catch; we count it
 * and retry after one second so the run completes.
 */
async function exportRivet(
  sim: Simulator,
  from: string,
  to: string,
  rps: number,
): Promise<Contender & { tokenRequests: number }> {
  const basic = Buffer.from(`${sim.s2s.clientId}:${sim.s2s.clientSecret}`).toString('base64');
  const tokenRes = await fetch(
    `${sim.oauthBaseUrl}${TOKEN_PATH}?grant_type=account_credentials&account_id=${encodeURIComponent(sim.s2s.accountId)}`,
    {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}` },
    },
  );
  const raw = (await tokenRes.json()) as { access_token: string; expires_in: number; scope: string };
  const token = {
    accessToken: raw.access_token,
    expirationTimeIso: new Date(Date.now() + raw.expires_in * 1000).toISOString(),
    scopes: raw.scope.split(' '),
  };
  const options = {
    clientId: sim.s2s.clientId,
    clientSecret: sim.s2s.clientSecret,
    accountId: sim.s2s.accountId,
    disableReceiver: true as const,
    tokenStore: { getLatestToken: () => token, storeToken: () => undefined },
    baseUrl: sim.apiBaseUrl,
  };
  const rivet = new MeetingsS2SAuthClient(options as ConstructorParameters<typeof MeetingsS2SAuthClient>[0]);

  let entries = 0;
  const t = performance.now();
  for (const w of monthWindows(from, to)) {
    let next: string | undefined;
    // A 429 retries the same page (a `continue` inside do/while would test `next` and could end the window).
    for (let retries = 0; retries < 1000;) {
      let res;
      try {
        res = await rivet.endpoints.reports.getOperationLogsReport({
          query: {
            from: w.from,
            to: w.to,
            page_size: PAGE_SIZE,
            category_type: 'all',
            ...(next ? { next_page_token: next } : {}),
          },
        });
      } catch (e) {
        if (/\[429/.test(String(e))) {
          retries++;
          await sleep(1000);
          continue;
        }
        throw e;
      }
      entries += res.data?.operation_logs?.length ?? 0;
      next = res.data?.next_page_token || undefined;
      if (!next) break;
    }
  }
  const seconds = (performance.now() - t) / 1000;
  return { seconds, entries, tokenRequests: sim.count({ path: TOKEN_PATH }), ...reportRequests(sim, rps) };
}

/**
 * One Zoom plan: `entries` over six months at the plan's Heavy rate, 300 ms per request. `skewed` puts 90% of the
 * entries into one week (a fortnight inside an older month window, so the window's first page shows the sparse rest).
 */
interface PlanCase {
  name: string;
  label: string;
  rps: number;
  entries: number;
  skewed?: boolean;
}

const PLANS: PlanCase[] = [
  { name: 'free', label: 'Free', rps: 1, entries: 6_000 },
  { name: 'pro', label: 'Pro', rps: 10, entries: 60_000 },
  { name: 'business', label: 'Business', rps: 40, entries: 60_000 },
  { name: 'sparse', label: 'sparse (Pro)', rps: 10, entries: 500 },
  { name: 'skewed', label: 'skewed (Business)', rps: 40, entries: 60_000, skewed: true },
];

const DAY_MS = 86_400_000;

/**
 * For quick runs while tuning: `BENCH_PLANS=business,skewed` runs only those plans, `BENCH_RIVET=0` leaves rivet
 * out (its figures are then NaN). Results of such a run are partial: do not keep them in bench/results.json.
 */
const ONLY_PLANS = process.env.BENCH_PLANS?.split(',').map((s) => s.trim());
const RIVET = process.env.BENCH_RIVET !== '0';
const MARGIN_MS = process.env.BENCH_MARGIN_MS ? Number(process.env.BENCH_MARGIN_MS) : undefined;

/** 90% of the generated entries moved to random seconds of one week (days 70-76 before today, UTC). */
function skewedData(seed: number, count: number, now: number): SimEntry[] {
  const data = generateEntries({ seed, count, now });
  const rng = mulberry32(seed ^ 0x5ce3ed);
  const weekStart = Math.floor(now / DAY_MS) * DAY_MS - 76 * DAY_MS;
  return data.map((e, i) =>
    i % 10 === 0
      ? e
      : { ...e, time: new Date(weekStart + Math.floor(rng() * 7 * 86_400) * 1000).toISOString().replace('.000Z', 'Z') },
  );
}

async function benchPlan(p: PlanCase): Promise<Record<string, unknown>> {
  const now = Date.now();
  const sim = await startSimulator({
    seed: 42,
    now,
    latencyMs: LATENCY_MS,
    rps: p.rps,
    dailyLimit: 0,
    ...(p.skewed ? { data: skewedData(42, p.entries, now) } : { entries: p.entries }),
  });
  try {
    const today = todayUtc(sim.clock.now());
    const from = horizonStart(today);
    const windows = monthWindows(from, today);
    const expected = sim.expected({ from, to: today }).length;
    // Requests the query needs unsplit at page size 300: every window's pages, an empty window one.
    const needed = windows.reduce((n, w) => n + Math.max(1, Math.ceil(sim.expected(w).length / PAGE_SIZE)), 0);
    const boundSeconds = needed / p.rps;
    // Whole days are the finest split: the busiest day's chain of pages, one round trip each, is a floor too.
    const perDay = new Map<string, number>();
    for (const e of sim.expected({ from, to: today })) {
      const day = e.time.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const busiestDayPages = Math.max(0, ...[...perDay.values()].map((n) => Math.ceil(n / PAGE_SIZE)));
    console.log(
      `${p.label}: ${expected} entries ${from}..${today}, ${p.rps} requests/s, ${windows.length} month windows, ${needed} requests unsplit, bound ${boundSeconds} s; busiest day ${busiestDayPages} pages`,
    );

    await quiet(sim);
    const ours = await exportOurs(sim, from, today, p.rps);
    console.log(
      `  ours:  ${ours.seconds.toFixed(2)} s, ${ours.requests} requests (${ours.splitRequests} on split day ranges), ${ours.status429} x 429, ${ours.entries} entries; ${p.rps + 1} requests arrived within ${ours.minSpanMs} ms at the closest; ${ours.socketQueued} waited for a socket (${ours.socketConnections} connections)`,
    );
    await quiet(sim);
    const rivet = RIVET
      ? await exportRivet(sim, from, today, p.rps)
      : { ...ours, seconds: NaN, requests: NaN, status429: NaN, entries: expected, tokenRequests: NaN };
    console.log(
      `  rivet: ${rivet.seconds.toFixed(2)} s, ${rivet.requests} requests, ${rivet.status429} x 429, ${rivet.entries} entries`,
    );
    if (ours.entries !== expected || rivet.entries !== expected) {
      console.log(`  WARNING: expected ${expected} entries from each contender`);
    }
    return {
      plan: p.label,
      entries: expected,
      rateLimit: p.rps,
      windows: windows.length,
      boundRequests: needed,
      boundSeconds,
      busiestDayPages,
      busiestDayFloorSeconds: round((busiestDayPages * LATENCY_MS) / 1000),
      oursSeconds: round(ours.seconds),
      requests: ours.requests,
      oursSplitRequests: ours.splitRequests,
      ours429: ours.status429,
      oursLimiterWindowMs: ours.limiterWindowMs,
      oursMinSpanMs: Number.isFinite(ours.minSpanMs) ? ours.minSpanMs : null,
      oursEntries: ours.entries,
      oursSocketQueued: ours.socketQueued,
      oursSocketConnections: ours.socketConnections,
      rivetSeconds: round(rivet.seconds),
      rivetRequests: rivet.requests,
      rivet429: rivet.status429,
      rivetEntries: rivet.entries,
      rivetTokenRequests: rivet.tokenRequests,
      oursOverBound: round(ours.seconds / boundSeconds),
      oursOverRivet: round(ours.seconds / rivet.seconds),
      requestsOverUnsplit: ours.requests - needed,
    };
  } finally {
    await sim.close();
  }
}

async function benchExport(): Promise<Record<string, unknown>> {
  const plans: Record<string, Record<string, unknown>> = {};
  for (const p of PLANS) if (!ONLY_PLANS || ONLY_PLANS.includes(p.name)) plans[p.name] = await benchPlan(p);
  return { latencyMs: LATENCY_MS, pageSize: PAGE_SIZE, months: 6, plans };
}

// ---------------------------------------------------------------- 2. requests per tree action

/**
 * Drives LogSession / CategoryLog exactly as the tree does, for every category of a
 * six-month query, and counts report requests per action from the simulator's log.
 * The figure per action is the largest count over the categories.
 */
async function benchRequests(): Promise<Record<string, unknown>> {
  const sim = await startSimulator({ seed: 42, entries: ENTRIES, latencyMs: 0, rps: RPS });
  try {
    const today = todayUtc(sim.clock.now());
    const client = new ZoomClient({
      apiBaseUrl: sim.apiBaseUrl,
      tokens: new StaticTokenSource(sim.token),
      limiter: new RateLimiter(RPS),
    });
    const n = (): number => sim.count({ path: REPORT_PATH });
    const perCategory: Record<string, Record<string, number | string | boolean>> = {};

    let before = n();
    const session = new LogSession(
      { from: horizonStart(today), to: today, categories: [...CATEGORIES] },
      { pageSize: PAGE_SIZE, timeZone: 'local', client: () => Promise.resolve(client) },
    );
    const showCategories = n() - before;

    for (const [cat, log] of session.logs) {
      const row: Record<string, number | string | boolean> = {};
      before = n();
      await log.loadNextPage();
      row.expandCategory = n() - before;
      const newest = log.dateKeys()[0];
      row.newestDate = newest ?? '';
      row.newestCompleteAfterFirstPage = newest ? log.isDateComplete(newest) : true;
      before = n();
      if (newest) await log.completeDate(newest);
      row.expandNewestDate = n() - before;
      before = n();
      const first = newest ? log.entries(newest)[0] : undefined;
      if (first) {
        JSON.stringify(toRawEntry(first));
        session.keyer.time(first.timeMs);
        DateKeyer.label(newest);
      }
      row.openEntry = n() - before;
      before = n();
      if (!log.done) await log.loadNextPage();
      row.loadMore = n() - before;
      row.entriesLoaded = log.total;
      perCategory[cat] = row;
      await sleep(150); // stay clear of the simulator's QPS window between categories
    }
    const max = (k: string): number => Math.max(...Object.values(perCategory).map((r) => r[k] as number));
    return {
      showCategories,
      expandCategory: max('expandCategory'),
      expandNewestDate: max('expandNewestDate'),
      openEntry: max('openEntry'),
      loadMore: max('loadMore'),
      status429: sim.count({ path: REPORT_PATH, status: 429 }),
      perCategory,
    };
  } finally {
    await sim.close();
  }
}

// ---------------------------------------------------------------- 3-5 in child processes

interface GroupingResult {
  tz: string;
  parseMs: number;
  groupMs: number;
  ratio: number;
  categoryLogMs: number;
  categoryLogRatio: number;
  payloadBytes: number;
}

async function benchGrouping(): Promise<Record<string, unknown>> {
  const local = await runChild<GroupingResult>('grouping.js', {
    env: { TZ: 'America/New_York' },
    args: ['local', '200000', '7'],
  });
  const utc = await runChild<GroupingResult>('grouping.js', { env: { TZ: 'UTC' }, args: ['UTC', '200000', '7'] });
  return {
    entries: 200_000,
    payloadBytes: local.payloadBytes,
    localTz: local.tz,
    parseMsLocal: round(local.parseMs, 1),
    groupMsLocal: round(local.groupMs, 1),
    ratioLocal: round(local.ratio),
    categoryLogMsLocal: round(local.categoryLogMs, 1),
    categoryLogRatioLocal: round(local.categoryLogRatio),
    parseMsUtc: round(utc.parseMs, 1),
    groupMsUtc: round(utc.groupMs, 1),
    ratioUtc: round(utc.ratio),
    categoryLogMsUtc: round(utc.categoryLogMs, 1),
    categoryLogRatioUtc: round(utc.categoryLogRatio),
  };
}

async function benchMemory(): Promise<Record<string, unknown>> {
  const r = await runChild<Record<string, number>>('memory.js', { flags: ['--expose-gc'], args: ['100000'] });
  return {
    entries: r.entries,
    jsonBytes: r.jsonBytes,
    retainedBytes: r.retainedBytes,
    bytesPerEntry: round(r.bytesPerEntry, 1),
    jsonBytesPerEntry: round(r.jsonBytesPerEntry, 1),
    ratio: round(r.ratio),
  };
}

interface ActivationResult {
  ms?: number;
  bodyMs?: number;
  bundles?: string[];
  wasActive?: boolean;
  requestsDuringActivation?: number;
  requestsWithin1sAfter?: number;
  vscode?: string;
  error?: string;
}

/**
 * A private copy of the extension built by the project's own `node esbuild.js --production`
 * in a temp folder (src, scripts and node_modules linked, package.json and media copied):
 * dist/ in the work tree is shared and may be rebuilt as a dev bundle at any moment.
 */
function productionCopy(): string {
  const root = repoRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-oplogs-bench-ext-'));
  for (const d of ['src', 'scripts', 'node_modules']) fs.symlinkSync(path.join(root, d), path.join(dir, d), 'dir');
  for (const f of ['esbuild.js', 'package.json', 'package.nls.json']) {
    fs.copyFileSync(path.join(root, f), path.join(dir, f));
  }
  // media/ with its folders (the walkthrough's pages), less the page scripts the build writes.
  fs.cpSync(path.join(root, 'media'), path.join(dir, 'media'), {
    recursive: true,
    filter: (src) => !/(entryView|overview)\.js$/.test(src),
  });
  if (fs.existsSync(path.join(root, 'l10n'))) {
    fs.cpSync(path.join(root, 'l10n'), path.join(dir, 'l10n'), { recursive: true });
  }
  execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
  return dir;
}

/**
 * What the activation host lacks (code-server, Chromium), or undefined. `npm run bench` installs both
 * first (scripts/setup.mjs); without them every run would fail after its own timeout.
 */
function activationHostMissing(): string | undefined {
  const missing: string[] = [];
  if (!fs.existsSync(codeServerEntry())) missing.push('code-server');
  try {
    chromiumPath();
  } catch {
    missing.push('Chromium');
  }
  if (!missing.length) return undefined;
  return `${missing.join(' and ')} not installed; \`npm run bench\` installs them (node scripts/setup.mjs), or run that first`;
}

async function benchActivation(): Promise<Record<string, unknown>> {
  const dir = productionCopy();
  try {
    const bundle = path.join(dir, 'dist', 'extension.js');
    const bytes = fs.statSync(bundle).size;
    const missing = activationHostMissing();
    if (missing) {
      console.log(`  bundle ${(bytes / 1024).toFixed(1)} KB; first activate() not measured: ${missing}`);
      return { bundleBytes: bytes, bundleKB: round(bytes / 1024, 1), ms: null, requests: null, error: missing };
    }
    const runs: ActivationResult[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        runs.push(
          await runChild<ActivationResult>('activationHost.js', {
            timeoutMs: 240_000,
            env: { BENCH_EXTENSION_PATH: dir },
          }),
        );
      } catch (e) {
        console.log(`  activation run ${i + 1} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    }
    const ok = runs.filter((r) => typeof r.ms === 'number' && r.wasActive === false);
    const msList = ok.map((r) => r.ms as number).sort((a, b) => a - b);
    const bodyList = ok.flatMap((r) => (typeof r.bodyMs === 'number' ? [r.bodyMs] : []));
    console.log(
      `  bundle ${(bytes / 1024).toFixed(1)} KB; first activate(): ${msList.map((x) => x.toFixed(1)).join(', ')} ms (inside our activate(): ${bodyList.map((x) => x.toFixed(1)).join(', ')} ms); loaded then: ${[...new Set(ok.flatMap((r) => r.bundles ?? []))].join(', ') || '?'}`,
    );
    return {
      bundleBytes: bytes,
      bundleKB: round(bytes / 1024, 1),
      ms: msList.length ? round(msList[msList.length >> 1], 1) : null,
      minMs: msList.length ? round(msList[0], 1) : null,
      // The time inside the extension's own activate(); the rest of `ms` is VS Code loading the bundle and making
      // the extension's context (its storage), which runs in parallel with the load.
      bodyMs: bodyList.length ? round(median(bodyList), 1) : null,
      runsMs: msList.map((x) => round(x, 1)),
      requests: ok.length ? Math.max(...ok.map((r) => r.requestsDuringActivation ?? 0)) : null,
      requestsWithin1sAfter: ok.length ? Math.max(...ok.map((r) => r.requestsWithin1sAfter ?? 0)) : null,
      // Every bundle any run had loaded when activate() returned (goal: dist/extension.js alone).
      bundlesAtActivation: [...new Set(ok.flatMap((r) => r.bundles ?? []))].sort(),
      host: `VS Code ${ok[0]?.vscode ?? '?'} (code-server, headless Chromium)`,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- table and results

type Row = [figure: string, value: string, goal: string, met: string];

async function benchInsightsSection(): Promise<Record<string, unknown>> {
  const r = await benchInsights();
  console.log(
    `  parse + rules / JSON.parse, ${r.entries} entries: ${r.parseRulesOverParse}; group by operator / JSON.parse: ${r.groupOperatorOverParse}`,
  );
  // insights.overviewMs: findings looked up + aggregation + drawing in Chromium (needs media/overview.js: node esbuild.js),
  // in a child process: a fresh heap, not the one the million entries above left behind.
  let overview: Record<string, unknown>;
  try {
    const o = await runChild<OverviewFigures>('overview.js', { timeoutMs: 240_000 });
    console.log(
      `  activity overview, ${o.entries} entries: ${o.overviewMs} ms (findings ${o.findingsMs} + aggregate ${o.aggregateMs} + render ${o.renderMs}; checked on arrival ${o.checkOnArrivalMs}, all at open ${o.overviewCheckingAtOpenMs})`,
    );
    overview = { ...o };
  } catch (e) {
    const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
    console.log(`  activity overview not measured: ${error}`);
    overview = { error };
  }
  return { ...r, overviewMs: overview.overviewMs ?? null, overview };
}

async function benchArchive(): Promise<Record<string, unknown>> {
  const size = await bytesPerEntry();
  console.log(`  bytes per entry on disk: ${size.bytesPerEntry}`);
  const incremental = await incrementalRequests();
  console.log(`  incremental sync requests: ${incremental.requests}`);
  const first = await firstSyncOverBound();
  console.log(`  first sync / bound: ${first.ratio}`);
  const read = await readRange1M();
  console.log(`  readRange 1M: ${read.readMs} ms, ${read.retainedHeapMB} MB`);
  const opened = await open1M();
  console.log(
    `  open a 1M-entry archived range (tree first level): ${opened.open1MMs} ms, heap / JSON ${opened.heapOverJson}`,
  );
  return {
    open1MMs: opened.open1MMs,
    heapOverJson: opened.heapOverJson,
    open1M: opened,
    bytesPerEntry: size.bytesPerEntry,
    incrementalRequests: incremental.requests,
    firstSyncOverBound: first.ratio,
    size,
    incremental,
    first,
    readRange1M: read,
  };
}

function check(v: unknown, ok: (x: number) => boolean): string {
  return typeof v === 'number' ? (ok(v) ? 'yes' : 'NO') : 'n/a';
}

function table(r: Record<string, Record<string, unknown>>): string {
  const e = r.export;
  const q = r.requests;
  const g = r.grouping;
  const m = r.memory;
  const a = r.activation;
  const i = r.insights ?? {};
  const ov = (i.overview ?? {}) as Record<string, unknown>;
  const ar = r.archive ?? {};
  const s = (x: unknown, unit = ''): string => (x === null || x === undefined ? 'n/a' : `${x}${unit}`);
  const plans = (e.plans ?? {}) as Record<string, Record<string, unknown>>;
  const goal = (name: string): number => (name === 'skewed' ? 1.2 : 1.1);
  const exportRows: Row[] = Object.entries(plans).flatMap(([name, p]): Row[] => [
    [
      `export ${p.plan}: ${s(p.entries)} entries, ${s(p.rateLimit)} req/s: ours / bound / rivet`,
      `${s(p.oursSeconds, ' s')} (${s(p.requests)} req, ${s(p.ours429)} x 429) / ${s(p.boundSeconds, ' s')} (${s(p.boundRequests)} req) / ${s(p.rivetSeconds, ' s')}`,
      '',
      '',
    ],
    name === 'sparse'
      ? [
          `export ${p.plan}: requests over unsplit`,
          s(p.requestsOverUnsplit),
          '≤ 2',
          check(p.requestsOverUnsplit, (x) => x <= 2),
        ]
      : [
          `export ${p.plan}: ours / bound`,
          s(p.oursOverBound),
          `≤ ${goal(name)}`,
          check(p.oursOverBound, (x) => x <= goal(name)),
        ],
    [`export ${p.plan}: ours / rivet`, s(p.oursOverRivet), '', ''],
    [`export ${p.plan}: ours 429s`, s(p.ours429), '0', check(p.ours429, (x) => x === 0)],
  ]);
  const rows: Row[] = [
    ...exportRows,
    ['requests: show the categories', s(q.showCategories), '0', check(q.showCategories, (x) => x === 0)],
    ['requests: expand a category', s(q.expandCategory), '1', check(q.expandCategory, (x) => x === 1)],
    ['requests: expand its newest date', s(q.expandNewestDate), '0', check(q.expandNewestDate, (x) => x === 0)],
    ['requests: open an entry', s(q.openEntry), '0', check(q.openEntry, (x) => x === 0)],
    ['requests: load more', s(q.loadMore), '1', check(q.loadMore, (x) => x === 1)],
    [
      `grouping 200k: group / JSON.parse, ${g.localTz}`,
      `${s(g.ratioLocal)} (${s(g.groupMsLocal)} / ${s(g.parseMsLocal)} ms)`,
      '≤ 0.5',
      check(g.ratioLocal, (x) => x <= 0.5),
    ],
    [
      'grouping 200k: group / JSON.parse, UTC',
      `${s(g.ratioUtc)} (${s(g.groupMsUtc)} / ${s(g.parseMsUtc)} ms)`,
      '≤ 0.5',
      check(g.ratioUtc, (x) => x <= 0.5),
    ],
    [
      'memory: retained heap / JSON size, 100k entries',
      `${s(m.ratio)} (${s(m.bytesPerEntry)} / ${s(m.jsonBytesPerEntry)} B per entry)`,
      '≤ 2',
      check(m.ratio, (x) => x <= 2),
    ],
    ['activation: production bundle', s(a.bundleKB, ' KB'), '≤ 150 KB', check(a.bundleKB, (x) => x <= 150)],
    ['activation: first activate() in VS Code', s(a.ms, ' ms'), '≤ 30 ms', check(a.ms, (x) => x <= 30)],
    ['activation: of which inside our activate()', s(a.bodyMs, ' ms'), '', ''],
    ['activation: requests during activation', s(a.requests), '0', check(a.requests, (x) => x === 0)],
    [
      'insights: parse + every rule, 1M entries / JSON.parse',
      `${s(i.parseRulesOverParse)} (${s(i.parseRulesMs)} / ${s(i.jsonParseMs)} ms)`,
      '≤ 1.0',
      check(i.parseRulesOverParse, (x) => x <= 1),
    ],
    [
      'insights: activity overview of 200k entries (findings looked up + aggregate + render in Chromium; the check on arrival apart)',
      `${s(i.overviewMs, ' ms')} (${s(ov.findingsMs)} + ${s(ov.aggregateMs)} + ${s(ov.renderMs)} ms; check on arrival ${s(ov.checkOnArrivalMs, ' ms')})`,
      '≤ 300 ms',
      check(i.overviewMs, (x) => x <= 300),
    ],
    [
      'insights: regroup 200k by operator / JSON.parse',
      `${s(i.groupOperatorOverParse)} (${s(i.groupOperatorMs)} / ${s(i.groupJsonParseMs)} ms)`,
      '≤ 0.3',
      check(i.groupOperatorOverParse, (x) => x <= 0.3),
    ],
    ['archive: bytes per entry on disk (60k)', s(ar.bytesPerEntry), '≤ 40', check(ar.bytesPerEntry, (x) => x <= 40)],
    [
      'archive: requests, sync one day later (500 new)',
      s(ar.incrementalRequests),
      '≤ 3',
      check(ar.incrementalRequests, (x) => x <= 3),
    ],
    [
      'archive: first sync (60k, 10/s, 300 ms) / bound',
      s(ar.firstSyncOverBound),
      '≤ 1.1',
      check(ar.firstSyncOverBound, (x) => x <= 1.1),
    ],
    [
      'archive: open a 1M-entry archived range, tree first level (ms, 0 requests)',
      s(ar.open1MMs),
      '≤ 1500',
      check(ar.open1MMs, (x) => x <= 1500),
    ],
    [
      'archive: heap of that open range / its JSON size',
      s(ar.heapOverJson),
      '≤ 2',
      check(ar.heapOverJson, (x) => x <= 2),
    ],
  ];
  return ['| figure | value | goal | met? |', '|---|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join(
    '\n',
  );
}

async function section(name: string, fn: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const t = Date.now();
  console.log(`\n## ${name}`);
  try {
    const r = await fn();
    console.log(`  (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return r;
  } catch (e) {
    console.log(`  ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return { error: String(e) };
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: Record<string, Record<string, unknown>> = {
    machine: {
      date: new Date().toISOString(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cpus: os.cpus().length,
      memoryGB: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      loadAverageStart: os.loadavg().map((x) => round(x, 2)),
    },
  };
  // `node out/bench/run.js memory grouping` runs only those sections and replaces only them in results.json.
  const only = process.argv.slice(2);
  const want = (name: string): boolean => only.length === 0 || only.includes(name);
  const skipped = (): Promise<Record<string, unknown>> => Promise.resolve({});
  results.export = await section('1. export throughput', want('export') ? benchExport : skipped);
  results.requests = await section('2. requests per tree action', want('requests') ? benchRequests : skipped);
  results.grouping = await section('3. grouping cost', want('grouping') ? benchGrouping : skipped);
  results.memory = await section('4. memory', want('memory') ? benchMemory : skipped);
  results.activation = await section('5. activation', want('activation') ? benchActivation : skipped);
  results.insights = await section(
    '6. insights: parse and rules, regrouping',
    want('insights') ? benchInsightsSection : skipped,
  );
  results.archive = await section('7. archive: size, syncs, reading', want('archive') ? benchArchive : skipped);
  results.machine.totalSeconds = round((Date.now() - started) / 1000, 1);
  results.machine.loadAverageEnd = os.loadavg().map((x) => round(x, 2));

  console.log(`\n${table(results)}\n`);
  const file = path.join(repoRoot(), 'bench', 'results.json');
  let written: Record<string, Record<string, unknown>> = results;
  if (only.length) {
    // A partial run replaces only its sections in the last results, each stamped with the machine it ran on.
    let last: Record<string, Record<string, unknown>> = {};
    try {
      last = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof last;
    } catch {
      last = { machine: results.machine };
    }
    written = { ...last };
    for (const name of only) {
      if (results[name]) written[name] = { ...results[name], measuredOn: results.machine };
    }
  }
  const partial = ONLY_PLANS !== undefined || !RIVET;
  if (!partial) fs.writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`);
  const where = partial
    ? 'not written (BENCH_PLANS or BENCH_RIVET=0: a partial run)'
    : `in ${path.relative(process.cwd(), file)}${only.length ? ` (sections ${only.join(', ')} replaced)` : ''}`;
  console.log(
    `${results.machine.cpu}, ${results.machine.cpus} cores, node ${process.version}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; ${results.machine.totalSeconds} s; figures ${where}`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
