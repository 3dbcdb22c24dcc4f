// Grouping cost, run as a child of bench/run.ts with TZ set:
//   TZ=America/New_York node out/bench/grouping.js local 200000
//   TZ=UTC              node out/bench/grouping.js UTC   200000
// Times, median of several runs on the same payload:
//  - parse:  JSON.parse of every page body (the payload as it arrives);
//  - group:  per entry what CategoryLog.add does (DateKeyer.dateKey, category key,
//            push into a Map of arrays, order and min-time bookkeeping), on entries
//            already parsed into OperationLogEntry by parsePage (src/zoom/client.ts);
//  - categoryLog: the real CategoryLog.loadAll over a stub client returning the same
//            pages already parsed (adds QueryCursor and promise overhead per page).
import { CategoryLog } from '../src/model/categoryLog';
import { DateKeyer, type TimeZoneSetting } from '../src/model/timeZones';
import { categoryKey, type OperationLogEntry, type Page, type ZoomClient } from '../src/zoom';
import { generateEntries } from '../test/simulator/data';
import { emit, median, pageTexts, parseBody } from './common';

interface Group {
  entries: OperationLogEntry[];
  sorted: boolean;
}

/** The body of CategoryLog.add for every entry, plus the category key (the tree's first level). */
function group(entries: readonly OperationLogEntry[], keyer: DateKeyer): number {
  const byCategory = new Map<string, Map<string, Group>>();
  let minTimeMs = Infinity;
  for (const e of entries) {
    const cat = categoryKey(e.categoryType);
    let groups = byCategory.get(cat);
    if (!groups) byCategory.set(cat, (groups = new Map()));
    const key = keyer.dateKey(e.timeMs);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { entries: [], sorted: true }));
    const last = g.entries[g.entries.length - 1];
    if (last && last.timeMs < e.timeMs) g.sorted = false;
    g.entries.push(e);
    if (e.timeMs < minTimeMs) minTimeMs = e.timeMs;
  }
  let n = 0;
  for (const m of byCategory.values()) n += m.size;
  return n;
}

async function viaCategoryLog(pages: Page[], zone: TimeZoneSetting): Promise<number> {
  let i = 0;
  const client = {
    fetchPage: (): Promise<Page> => Promise.resolve(pages[i++] ?? { entries: [], nextPageToken: '' }),
  } as unknown as ZoomClient;
  const log = new CategoryLog(
    'all',
    { from: '2026-01-01', to: '2026-01-01', categoryType: 'all', pageSize: 300 },
    new DateKeyer(zone),
    () => Promise.resolve(client),
  );
  await log.loadAll();
  return log.dateKeys().length;
}

async function main(): Promise<void> {
  const zone = (process.argv[2] ?? 'local') as TimeZoneSetting;
  const count = Number(process.argv[3] ?? 200_000);
  const runs = Number(process.argv[4] ?? 7);
  const data = generateEntries({ seed: 11, count, now: Date.now() });
  const texts = pageTexts(data);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

  const pages = texts.map(parseBody);
  const entries = pages.flatMap((p) => p.entries);
  if (entries.length !== count) throw new Error(`parsed ${entries.length} of ${count}`);
  // Pages with unique tokens and one final empty token, for the real CategoryLog.
  const chained: Page[] = pages.map((p, k) => ({
    entries: p.entries,
    nextPageToken: k === pages.length - 1 ? '' : `t${k}`,
  }));

  const parseMs: number[] = [];
  const groupMs: number[] = [];
  const logMs: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs + 1; r++) {
    let t = performance.now();
    for (const text of texts) sink += (JSON.parse(text) as { operation_logs: unknown[] }).operation_logs.length;
    const p = performance.now() - t;
    t = performance.now();
    sink += group(entries, new DateKeyer(zone));
    const g = performance.now() - t;
    t = performance.now();
    sink += await viaCategoryLog(chained, zone);
    const l = performance.now() - t;
    if (r === 0) continue; // warm-up
    parseMs.push(p);
    groupMs.push(g);
    logMs.push(l);
  }
  const parse = median(parseMs);
  const grp = median(groupMs);
  const viaLog = median(logMs);
  emit({
    zone,
    tz: process.env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    entries: count,
    payloadBytes: bytes,
    runs,
    parseMs: parse,
    groupMs: grp,
    ratio: grp / parse,
    categoryLogMs: viaLog,
    categoryLogRatio: viaLog / parse,
    parseRunsMs: parseMs.map((x) => +x.toFixed(1)),
    groupRunsMs: groupMs.map((x) => +x.toFixed(1)),
    sink: sink > 0 ? 1 : 0,
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
