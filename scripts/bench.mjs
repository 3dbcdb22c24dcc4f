#!/usr/bin/env node
// `npm run bench` equivalent: builds the test/bench programs and the production bundle,
// then runs out/bench/run.js (extra arguments pick sections: export requests grouping
// memory activation; a partial run writes no bench/results.json).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const steps = [
  ['esbuild.js', '--tests'],
  ['esbuild.js', '--production'],
  ['out/bench/run.js', ...process.argv.slice(2)],
];
for (const args of steps) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
