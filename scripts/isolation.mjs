// Runs every integration test alone, each in a fresh VS Code (code-server), to find tests that only pass after
// the ones before them (a test that reads what another left behind fails when a grep runs it by itself).
//   npm run test:isolation                       every test (80 in 17 minutes, ~12 s each)
//   npm run test:isolation -- "Archive|Findings"  only those whose full title matches
// Prints one line per test and ends with `N passed, N failed`; exits 1 when any failed. Not part of `npm test`
// (it starts VS Code once per test); run it after changing what integration tests share.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResult } from './hostResult.mjs';
import { ensureCodeServer } from './install-code-server.mjs';
import { ensureSetup } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
const HOST = path.join('out', 'test', 'host', 'runIntegration.js');

/** Runs the integration host with `env`; its output lines and exit status. */
function host(env) {
  const r = spawnSync(process.execPath, ['--enable-source-maps', HOST], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return { status: r.status ?? 1, lines: `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n') };
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function main() {
  await ensureSetup();
  await ensureCodeServer();
  for (const args of [['esbuild.js'], ['esbuild.js', '--tests']]) {
    const b = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  }
  const listed = host({ INTEGRATION_LIST: '1' });
  const titles = listed.lines
    .filter((l) => l.includes('INTEGRATION-TEST '))
    .map((l) => JSON.parse(l.slice(l.indexOf('INTEGRATION-TEST ') + 'INTEGRATION-TEST '.length)))
    .filter((t) => !only || only.test(t));
  if (!titles.length) throw new Error('no integration test listed (did the host start? see its output above)');
  console.log(`[isolation] ${titles.length} tests, each alone in a fresh VS Code`);
  let passed = 0;
  const failed = [];
  for (const [i, title] of titles.entries()) {
    const t0 = Date.now();
    const r = host({ INTEGRATION_GREP: `^${escape(title)}$` });
    const result = parseResult(r.lines, 'INTEGRATION-HOST ');
    const ok = r.status === 0 && result?.passed === 1 && result.failed === 0;
    if (ok) passed++;
    else failed.push({ title, lines: r.lines.filter((l) => /✘|Error|expected:|actual:/.test(l)).slice(0, 8) });
    console.log(`[isolation] ${i + 1}/${titles.length} ${ok ? 'ok  ' : 'FAIL'} ${title} (${Date.now() - t0} ms)`);
  }
  for (const f of failed) console.log(`\nFAIL ${f.title}\n  ${f.lines.join('\n  ')}`);
  console.log(`\n${passed} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e) => {
  console.error(`[isolation] ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
});
