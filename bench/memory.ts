// Retained heap of loaded entries, run as a child of bench/run.ts:
//   node --expose-gc out/bench/memory.js 100000
// The page bodies are kept as Buffers (outside the V8 heap, so not in heapUsed);
// each page is turned into text only while it is parsed, as a response body would be.
// Entries go through parsePage (src/zoom/client.ts) into real CategoryLog objects,
// one per category as LogSession makes them, driven by loadAll over a stub client.
// Retained = heapUsed after gc with the entries loaded - heapUsed after gc before.
import { CategoryLog } from '../src/model/categoryLog';
import { DateKeyer } from '../src/model/timeZones';
import { categoryKey } from '../src/zoom';
import type { SimEntry } from '../test/simulator/data';
import { generateEntries } from '../test/simulator/data';
import { emit, pageTexts, stubClient } from './common';

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) g();
}

function heap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  // Page bodies per category, as the tree requests them (category_type=<category>).
  let bodies: Map<string, Buffer[]> | undefined = (() => {
    const data = generateEntries({ seed: 13, count, now: Date.now() });
    const byCat = new Map<string, SimEntry[]>();
    for (const e of data) {
      const k = categoryKey(e.category_type);
      let list = byCat.get(k);
      if (!list) byCat.set(k, (list = []));
      list.push(e);
    }
    return new Map([...byCat].map(([k, list]) => [k, pageTexts(list).map((t) => Buffer.from(t, 'utf8'))]));
  })();
  const jsonBytes = [...bodies.values()].flat().reduce((n, b) => n + b.length, 0);
  const keyer = new DateKeyer('local');

  const before = heap();
  const logs: CategoryLog[] = [];
  for (const [cat, list] of bodies) {
    let i = 0;
    const client = stubClient(() => (i < list.length ? list[i++].toString('utf8') : undefined));
    const log = new CategoryLog(
      cat,
      { from: '2026-01-01', to: '2026-01-01', categoryType: 'all', pageSize: 300 },
      keyer,
      () => Promise.resolve(client),
    );
    await log.loadAll();
    logs.push(log);
  }
  const loaded = logs.reduce((n, l) => n + l.total, 0);
  const after = heap();
  // Sanity: the figure must not include the Buffers (they are external memory).
  bodies = undefined;
  const afterDrop = heap();
  const retained = after - before;
  // What the entries hold: string characters of each field, to tell structure from text.
  let chars = 0;
  for (const l of logs) {
    for (const e of l.allEntries()) {
      chars +=
        e.time.length +
        e.operator.length +
        e.categoryType.length +
        e.category.length +
        e.action.length +
        e.operationDetail.length;
    }
  }
  emit({
    entries: loaded,
    jsonBytes,
    heapBeforeBytes: before,
    heapAfterBytes: after,
    heapAfterDroppingBodiesBytes: afterDrop,
    retainedBytes: retained,
    bytesPerEntry: retained / loaded,
    jsonBytesPerEntry: jsonBytes / loaded,
    fieldCharsPerEntry: chars / loaded,
    ratio: retained / jsonBytes,
    keepAlive: logs.length,
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
