// Cost of the audit insights (src/insights) against the cost of JSON.parse of the same entries.
//   node out/bench/insights.js [entries=1000000] [groupEntries=200000] [runs=3]
// Figures (median of `runs` after one warm-up):
//  - parseRulesOverParse: parseDetail + engine.check (all built-in rules) over every entry, divided by
//    JSON.parse of the same entries as Zoom page bodies (300 per page). Goal <= 1.0.
//  - groupOperatorOverParse: groupBy(entries, 'operator') over groupEntries / JSON.parse of them. Goal <= 0.3.
// Entries are built first (untimed): half the simulator's shapes, half the real shapes of the notes
// (Panther/Sumo/Sentinel test strings) with random e-mails, groups and values.
import { BUILT_IN_RULES, compileRules, groupBy, parseDetail } from '../src/insights';
import { generateEntries, mulberry32, type SimEntry } from '../test/simulator/data';
import { emit, median, pageTexts, parseBody } from './common';

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const NAMES = ['jane', 'john', 'mary-ann', 'wei', 'aisha', 'o.brien', 'raj', 'li'];
const DOMAINS = ['example.com', 'corp-example.org', 'it.example.net'];
const email = (r: Rng): string => `${pick(r, NAMES)}${Math.floor(r() * 100)}@${pick(r, DOMAINS)}`;
const onOff = (r: Rng): string => (r() < 0.5 ? 'from On to Off' : 'from Off to On');

/** The shapes of "What real entries look like" (notes), with random values: [action, category, detail]. */
const REAL_SHAPES: ((r: Rng) => [string, string, string])[] = [
  (r) => ['Update', 'Account', `Security  - Sign in with Two-Factor Authentication: ${onOff(r)}`],
  (r) => [
    'Update',
    'Account',
    `Security  - Require that all meetings are secured with one security option: ${onOff(r)}`,
  ],
  (r) => ['Update', 'Account', `Security  - Require a passcode when scheduling new meetings: ${onOff(r)}`],
  (r) => ['Update', 'Account', `Security  - Automatically sign users out after a specified time: ${onOff(r)}`],
  (r) => [
    'Update',
    'Account',
    `Sign-in Methods  - Allow users to sign in with ${pick(r, ['Google', 'Apple', 'Facebook', 'SSO'])}: ${onOff(r)}`,
  ],
  (r) => [
    'Update',
    'Account',
    `Sign-In Password Requirement  - Have at least specified length of characters: from ${8 + Math.floor(r() * 6)} to ${8 + Math.floor(r() * 6)} - Include at least 1 letter: ${onOff(r)}`,
  ],
  (r) => [
    'Batch Update',
    'User',
    `Change Role  - ${email(r)}: from ${pick(r, ['User', 'Admin'])} to ${pick(r, ['Co-Owner', 'Admin', 'User'])}`,
  ],
  (r) => ['SCIM API - Update', 'User', `Edit User ${email(r)}  - Change Type: from Basic to Licensed`],
  (r) => ['Update', 'User', `Update User ${email(r)}  - Job Title: set to ${pick(r, ['Contractor', 'Engineer', ''])}`],
  (r) => [
    'Add',
    'User',
    `Add User ${email(r)}  - User Type: Basic - Department: ${pick(r, ['Sales', 'R-and-D', 'HR'])}`,
  ],
  (r) => ['Update', 'User', `${pick(r, ['Activate', 'Deactivate'])} User ${email(r)} `],
  (r) => [
    'Update',
    'User Group',
    `Edit Group ${pick(r, ['Sales', 'Engineers', 'Co-Op'])}  - Personal Meeting ID (PMI) Passcode: ${onOff(r)}`,
  ],
  (r) => ['Add', 'User Group', `Add Group ${pick(r, ['Engineers', 'Recruiting'])}`],
  (r) => ['Update', 'User Group', `Edit Group ${pick(r, ['Recruiting', 'Sales'])} `],
  (r) => ['Update', 'Channels', `Assign admin for channel ${pick(r, ['Ops', 'Dev-Ops'])}  - ${email(r)}`],
  () => ['Update', 'Channels', `Update a Channel Ops  - Cloud Storage Retention: set to  - Name: from Old to New`],
  (r) => [
    'Update',
    'User',
    `Update User ${email(r)}  - assistant: [{"id":"u1","email":"${email(r)}"}] - userId: ["a","b"]`,
  ],
];

/** `count` realistic entries (untimed set-up), as Zoom sends them. */
export function realisticRawEntries(count: number, seed = 7): SimEntry[] {
  const r = mulberry32(seed);
  const sim = generateEntries({ seed, count: Math.ceil(count / 2), now: Date.UTC(2026, 10, 26) });
  const out: SimEntry[] = [];
  let s = 0;
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0 && s < sim.length) out.push(sim[s++]);
    else {
      const [action, category, detail] = pick(r, REAL_SHAPES)(r);
      out.push({
        time: sim[i % sim.length]?.time ?? '2026-11-20T10:00:00Z',
        operator: email(r),
        category_type: category,
        action,
        operation_detail: detail,
      });
    }
  }
  return out;
}

function parseAll(texts: string[]): number {
  let n = 0;
  for (const t of texts) n += (JSON.parse(t) as { operation_logs: unknown[] }).operation_logs.length;
  return n;
}

export interface InsightsFigures {
  entries: number;
  groupEntries: number;
  runs: number;
  findings: number;
  parseRulesMs: number;
  jsonParseMs: number;
  parseRulesOverParse: number;
  groupOperatorMs: number;
  groupJsonParseMs: number;
  groupOperatorOverParse: number;
}

export async function benchInsights(
  opts: { entries?: number; groupEntries?: number; runs?: number } = {},
): Promise<InsightsFigures> {
  const count = opts.entries ?? 1_000_000;
  const groupCount = opts.groupEntries ?? 200_000;
  const runs = opts.runs ?? 3;
  let raw = realisticRawEntries(count);
  let texts = pageTexts(raw);
  raw = [];
  const parseMs: number[] = [];
  const rulesMs: number[] = [];
  let findings = 0;
  for (let k = 0; k <= runs; k++) {
    // Each run: entries as the extension holds them (from Zoom's page bodies through the client's parsePage),
    // new objects and strings, and a new engine: nothing a run learnt (the engine remembers results per detail)
    // helps the next, as in the extension, which checks each entry once.
    let entries = texts.flatMap((t) => parseBody(t).entries);
    const { engine, problems } = compileRules(BUILT_IN_RULES, [], ['*@it.example.net']);
    if (problems.length) throw new Error(problems.join('\n'));
    let t = performance.now();
    const parsedCount = parseAll(texts);
    const p = performance.now() - t;
    if (parsedCount !== count) throw new Error(`parsed ${parsedCount} of ${count}`);
    t = performance.now();
    let f = 0;
    // parseDetail is called for the entries whose detail some rule may need (see prefilter.ts).
    for (const e of entries) f += engine.check(e, parseDetail).length;
    const w = performance.now() - t;
    entries = [];
    findings = f;
    if (k === 0) continue; // warm-up
    parseMs.push(p);
    rulesMs.push(w);
    await new Promise((res) => setImmediate(res));
  }
  texts = [];

  const gtexts = pageTexts(realisticRawEntries(groupCount, 11));
  const gentries = gtexts.flatMap((t) => parseBody(t).entries);
  const gParse: number[] = [];
  const gGroup: number[] = [];
  let sink = 0;
  for (let k = 0; k <= runs + 2; k++) {
    let t = performance.now();
    sink += parseAll(gtexts);
    const p = performance.now() - t;
    t = performance.now();
    sink += groupBy(gentries, 'operator').length;
    const g = performance.now() - t;
    if (k === 0) continue;
    gParse.push(p);
    gGroup.push(g);
  }
  if (!sink) throw new Error('nothing grouped');

  const parseRulesMs = median(rulesMs);
  const jsonParseMs = median(parseMs);
  const groupOperatorMs = median(gGroup);
  const groupJsonParseMs = median(gParse);
  return {
    entries: count,
    groupEntries: groupCount,
    runs,
    findings,
    parseRulesMs: +parseRulesMs.toFixed(1),
    jsonParseMs: +jsonParseMs.toFixed(1),
    parseRulesOverParse: +(parseRulesMs / jsonParseMs).toFixed(3),
    groupOperatorMs: +groupOperatorMs.toFixed(1),
    groupJsonParseMs: +groupJsonParseMs.toFixed(1),
    groupOperatorOverParse: +(groupOperatorMs / groupJsonParseMs).toFixed(3),
  };
}

// Bundled into run.js too, where `module` is run.js's: check the script name as well.
if (require.main === module && /insights\.js$/.test(process.argv[1] ?? '')) {
  const [entries, groupEntries, runs] = process.argv.slice(2).map(Number);
  benchInsights({ entries: entries || undefined, groupEntries: groupEntries || undefined, runs: runs || undefined })
    .then((r) => {
      console.log(
        `parse+rules / JSON.parse, ${r.entries} entries: ${r.parseRulesOverParse} (${r.parseRulesMs} / ${r.jsonParseMs} ms, ${r.findings} findings; goal <= 1.0)`,
      );
      console.log(
        `group by operator / JSON.parse, ${r.groupEntries} entries: ${r.groupOperatorOverParse} (${r.groupOperatorMs} / ${r.groupJsonParseMs} ms; goal <= 0.3)`,
      );
      emit(r);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
