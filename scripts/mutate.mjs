#!/usr/bin/env node
// `npm run mutate`: mutation testing of src/zoom, src/model and src/export with StrykerJS
// (stryker.config.json: the unit tests bundled by esbuild, run by mocha in Stryker's sandbox).
// Slow (tens of minutes), so it is not part of `npm test`. Arguments are passed to `stryker run`,
// e.g. `npm run mutate -- --mutate src/export/formats.ts` for one file (or `src/zoom/split.ts:134-327` for lines).
// The spec list in stryker.config.json runs fastest files first: a mutant stops at its first failing test, so
// exact unit tests near the top keep kills cheap. docs/mutation.md lists the survivors left on purpose.
//
// Prints the surviving and uncovered mutants (file:line:column, mutator, the exact span replaced -> its
// replacement), writes them to out/mutation/survivors.txt, and ends with one line:
//   mutation score: NN.N% (K killed of N)
// where K counts killed and timed-out mutants and N every mutant that ran or had no test
// (Stryker's own score: compile errors, runtime errors and ignored mutants are not counted).
// Exits non-zero when Stryker fails or the score is below the `thresholds.break` in the config.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STRYKER = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const config = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const reportFile = path.join(root, config.jsonReporter?.fileName ?? 'reports/mutation/mutation.json');
const survivorsFile = path.join(path.dirname(reportFile), 'survivors.txt');

const started = Date.now();
fs.rmSync(reportFile, { force: true });
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [STRYKER, 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('error', (e) => {
    console.error(`[mutate] could not start Stryker: ${e.message}`);
    resolve(1);
  });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

if (!fs.existsSync(reportFile)) {
  console.error(`[mutate] Stryker wrote no report (${path.relative(root, reportFile)}); see the output above.`);
  console.log('mutation score: n/a (0 killed of 0)');
  process.exit(code || 1);
}

const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
const counts = {};
const left = [];
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  const lines = source.split('\n');
  for (const m of mutants) {
    counts[m.status] = (counts[m.status] ?? 0) + 1;
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    const { line, column } = m.location.start;
    const end = m.location.end;
    const original = (lines[line - 1] ?? '').trim();
    // The exact span replaced: several mutants can share a line and column (`a || b` -> false, and `a` -> false), so
    // apply this span, not the line, when checking a survivor by hand.
    const span = (
      end.line === line
        ? (lines[line - 1] ?? '').slice(column - 1, end.column - 1)
        : `${(lines[line - 1] ?? '').slice(column - 1)} ...`
    ).replace(/\s+/g, ' ');
    const replacement = String(m.replacement ?? '').replace(/\s+/g, ' ');
    left.push({
      file,
      line,
      text: `${file}:${line}:${column} ${m.status} ${m.mutatorName}: ${span.slice(0, 80)} -> ${replacement.slice(0, 80)}\n    in: ${original.slice(0, 140)}`,
    });
  }
}
left.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
fs.writeFileSync(survivorsFile, left.map((l) => l.text).join('\n') + '\n');

const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
const score = valid ? (100 * detected) / valid : 0;
const perFile = {};
for (const l of left) perFile[l.file] = (perFile[l.file] ?? 0) + 1;

console.log(`\n[mutate] ${minutes} min; statuses: ${JSON.stringify(counts)}`);
console.log(`[mutate] ${left.length} survived or uncovered, listed in ${path.relative(root, survivorsFile)}:`);
for (const [file, n] of Object.entries(perFile)) console.log(`  ${String(n).padStart(4)}  ${file}`);
const breakAt = config.thresholds?.break;
const broke = typeof breakAt === 'number' && score < breakAt;
if (broke) console.log(`[mutate] below the break threshold of ${breakAt}%`);
console.log(`mutation score: ${score.toFixed(1)}% (${detected} killed of ${valid})`);
process.exit(code || (broke ? 1 : 0));
