// insights.overviewMs: the activity overview for 200,000 entries as the extension opens it: the findings of the
// built-in rules looked up (the extension checks and parses each page as it arrives, while the next ones load:
// ensureWholeRange's onEntries; timed apart as checkOnArrivalMs), buildOverviewModel, and the real page script
// (media/overview.js) drawing it in the Chromium the tests and code-server use, from the model posted as a message.
// For bench/run.ts to wire in:
//   node out/bench/overview.js [entries=200000] [runs=3]
// Needs `node esbuild.js` first (media/overview.js).
import fs from 'node:fs';
import path from 'node:path';
import { builtInFindings } from '../src/services/findingsSource';
import { parsedOf } from '../src/insights';
import { DateKeyer } from '../src/model/timeZones';
import { buildOverviewModel } from '../src/webview/overviewModel';
import type { OverviewModel } from '../src/webview/overviewProtocol';
import { addDays } from '../src/zoom/dates';
import type { OperationLogEntry } from '../src/zoom/types';
import { openPage } from '../test/host/browser';
import { repoRoot } from '../test/host/codeServer';
import { emit, median, pageTexts, parseBody } from './common';
import { generateEntries } from '../test/simulator/data';

export interface OverviewFigures {
  entries: number;
  days: number;
  runs: number;
  /**
   * The rules' check and the parse of every entry as its page arrives (300 at a time, as ensureWholeRange's
   * onEntries does it while the next pages are on their way), median ms: spent during the load, not at the opening.
   */
  checkOnArrivalMs: number;
  /** The overview's findings: every entry's findings looked up (checked on arrival), median ms. */
  findingsMs: number;
  /** buildOverviewModel (insights' overview(): per day and category, top operators/actions/targets), median ms. */
  aggregateMs: number;
  /** From posting the model to the page's `rendered` message, median ms (Chromium). */
  renderMs: number;
  /** What the page itself measured: building the DOM and the first layout, median ms. */
  pageRenderMs: number;
  /** findings + aggregate + render (medians; new entry objects each run, checked and parsed on arrival): the insights.overviewMs figure. */
  overviewMs: number;
  /** checkOnArrival + overviewMs: opening the overview if nothing had been checked before it opened. */
  overviewCheckingAtOpenMs: number;
  /** aggregate + render only (medians): the overview's own work when the findings service already has the findings. */
  overviewWithoutFindingsMs: number;
  /** The first run (a fresh process: no code optimised yet, no detail parsed before), arrival included. */
  coldOverviewMs: number;
  goalMs: number;
  /** media/overview.js as built, KB (loaded only when the overview opens). */
  pageScriptKB: number;
}

/** The page with a stand-in for acquireVsCodeApi that records the page's messages. */
function pageHtml(script: string, css: string): string {
  const vars = [
    '--vscode-foreground:#333',
    '--vscode-descriptionForeground:#666',
    '--vscode-font-family:sans-serif',
    '--vscode-font-size:13px',
    '--vscode-charts-blue:#1a85ff',
    '--vscode-charts-green:#388a34',
    '--vscode-charts-orange:#d18616',
    '--vscode-charts-purple:#652d90',
    '--vscode-charts-yellow:#bf8803',
    '--vscode-charts-red:#e51400',
    '--vscode-charts-foreground:#333',
    '--vscode-charts-lines:#999',
  ].join(';');
  return `<!DOCTYPE html><html><head><style>:root{${vars}}${css}</style></head><body>
<main id="root"></main><p id="status"></p>
<script>window.__msgs=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__msgs.push(m)});</script>
<script>${script}</script></body></html>`;
}

export async function benchOverview(opts: { entries?: number; runs?: number } = {}): Promise<OverviewFigures> {
  const count = opts.entries ?? 200_000;
  const runs = opts.runs ?? 3;
  // The simulator's entries (realistic categories, operators and details), about six months of them.
  const raw = generateEntries({ seed: 7, count, now: Date.UTC(2026, 10, 26) });
  const times = raw.map((e) => e.time).sort();
  const from = times[0].slice(0, 10);
  const to = times[times.length - 1].slice(0, 10);
  // Zoom's pages of 300, as the client reads them (one body of 200,000 entries is no page Zoom sends).
  const bodies = pageTexts(raw);
  let entries: OperationLogEntry[] = [];
  const keyer = new DateKeyer('UTC');
  const script = fs.readFileSync(path.join(repoRoot(), 'media', 'overview.js'), 'utf8');
  const css = fs.readFileSync(path.join(repoRoot(), 'media', 'overview.css'), 'utf8');

  const arrivalMs: number[] = [];
  const findingsMs: number[] = [];
  const aggregateMs: number[] = [];
  const renderMs: number[] = [];
  const pageRenderMs: number[] = [];
  let model: OverviewModel | undefined;
  const browser = await openPage();
  try {
    for (let run = 0; run < runs; run++) {
      // A fresh source each run (findings are cached per entry object, as in the extension), fed page by page.
      // New entry objects each run, as a load makes them: nothing checked or parsed yet.
      entries = bodies.flatMap((b) => parseBody(b).entries);
      const source = builtInFindings();
      let t = performance.now();
      for (let i = 0; i < entries.length; i += 300) {
        for (const e of entries.slice(i, i + 300)) {
          source.of(e);
          parsedOf(e);
        }
      }
      arrivalMs.push(performance.now() - t);
      t = performance.now();
      const findings = source.ofAll(entries);
      findingsMs.push(performance.now() - t);
      t = performance.now();
      model = buildOverviewModel(entries, findings, {
        dateKey: (ms) => keyer.dateKey(ms),
        from,
        to,
        range: `${from} – ${to}`,
      });
      aggregateMs.push(performance.now() - t);

      await browser.page.setContent(pageHtml(script, css), { waitUntil: 'load' });
      const [wall, inPage] = await browser.page.evaluate(async (m) => {
        const w = window as unknown as { __msgs: { type: string; ms?: number }[] };
        const start = performance.now();
        window.postMessage({ type: 'show', model: m }, '*');
        for (let i = 0; i < 2000; i++) {
          const r = w.__msgs.find((x) => x.type === 'rendered');
          if (r) return [performance.now() - start, r.ms ?? NaN];
          await new Promise((res) => setTimeout(res, 1));
        }
        return [NaN, NaN];
      }, model);
      if (!Number.isFinite(wall)) throw new Error('the overview page did not render');
      renderMs.push(wall);
      pageRenderMs.push(inPage);
    }
  } finally {
    await browser.close();
  }
  const f = median(findingsMs);
  const a = median(aggregateMs);
  const r = median(renderMs);
  return {
    entries: entries.length,
    days: model?.days.length ?? 0,
    runs,
    checkOnArrivalMs: round(median(arrivalMs)),
    findingsMs: round(f),
    aggregateMs: round(a),
    renderMs: round(r),
    pageRenderMs: round(median(pageRenderMs)),
    overviewMs: round(f + a + r),
    overviewCheckingAtOpenMs: round(median(arrivalMs) + f + a + r),
    overviewWithoutFindingsMs: round(a + r),
    coldOverviewMs: round(arrivalMs[0] + findingsMs[0] + aggregateMs[0] + renderMs[0]),
    goalMs: 300,
    pageScriptKB: round(Buffer.byteLength(script) / 1024),
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;

// Keeps the day range honest in the report: the generator spreads entries over about six months.
export function rangeDays(from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to && n < 400; d = addDays(d, 1)) n++;
  return n;
}

// Bundled into run.js too, where `module` is run.js's: check the script name as well.
if (require.main === module && /overview\.js$/.test(process.argv[1] ?? '')) {
  const [entries, runs] = process.argv.slice(2).map(Number);
  benchOverview({ entries: entries || undefined, runs: runs || undefined })
    .then((r) => emit(r))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
