#!/usr/bin/env node
// `npm test`: every check the project has, in order, continuing after failures:
//   set-up (scripts/setup.mjs: Debian packages, npm ci and code-server when missing; stops the run if it fails)
//   → typecheck (1 test) → lint (1 test) → format (1 test) → build → unit (mocha, plain Node)
//   → integration (mocha inside VS Code 1.100.3 = code-server 4.100.3, headless Chromium)
//   → e2e (mocha files out/test/e2e/**/*.test.js driving code-server with Playwright)
// Ends with a summary per stage and, as the very last line, "N passed, N failed".
// Exit code is non-zero if any test failed or any stage crashed.
//
//   node scripts/test.mjs           everything
//   node scripts/test.mjs --unit    skip the VS Code stages (integration, e2e) and their set-up
//                                   (no Debian packages, no code-server); also `npm test --unit`
// Only Node built-ins are imported: this runs before node_modules exists.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResult } from './hostResult.mjs';
import { ensureCodeServer } from './install-code-server.mjs';
import { SetupError, ensureSetup } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// `npm test --unit` reaches the script as npm_config_unit=true, not as an argument.
const unitOnly = args.includes('--unit') || process.env.npm_config_unit === 'true';
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const MOCHA = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const REPORTER = path.join(root, 'out', 'test', 'host', 'mochaCountReporter.js');
const STAGE_TIMEOUT_MS = 15 * 60_000;

/** @type {{ name: string, status: 'ok'|'failed'|'crashed'|'skipped', passed: number, failed: number, ms: number, note?: string }[]} */
const results = [];

function banner(title) {
  console.log(`\n━━━━ ${title} ━━━━`);
}

/** Runs a command, streaming its output, and returns { code, lines }. */
function exec(cmd, cmdArgs, opts = {}) {
  return new Promise((resolve) => {
    const lines = [];
    let partial = '';
    const child = spawn(cmd, cmdArgs, {
      cwd: root,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (stream) => (buf) => {
      stream.write(buf);
      const text = partial + buf.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    const timer = setTimeout(() => {
      console.error(`[test] ${cmd} ${cmdArgs.join(' ')}: no end after ${STAGE_TIMEOUT_MS / 60000} min, killing it`);
      child.kill('SIGKILL');
    }, STAGE_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, lines: [...lines, String(e)] });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (partial) lines.push(partial);
      resolve({ code: signal ? 128 : (code ?? 1), lines });
    });
  });
}

async function stage(name, fn) {
  banner(name);
  const t0 = Date.now();
  let r;
  try {
    r = await fn();
  } catch (e) {
    console.error(`[test] stage ${name} crashed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    r = { status: 'crashed', passed: 0, failed: 1, note: 'crashed' };
  }
  const entry = { name, passed: 0, failed: 0, ...r, ms: Date.now() - t0 };
  results.push(entry);
  return entry;
}

/** A command that is one test: passes when it exits 0. */
function singleCheck(cmd, cmdArgs) {
  return async () => {
    const { code } = await exec(cmd, cmdArgs);
    return code === 0
      ? { status: 'ok', passed: 1, failed: 0 }
      : { status: 'failed', passed: 0, failed: 1, note: `exit ${code}` };
  };
}

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? listFiles(p, suffix) : p.endsWith(suffix) ? [p] : [];
  });
}

/** Runs mocha files with the counting reporter; a run that never reports counts as one failure. */
async function mochaStage(mochaArgs, files) {
  if (files.length === 0) return { status: 'skipped', passed: 0, failed: 0, note: 'no test files' };
  if (!fs.existsSync(REPORTER)) throw new Error(`${REPORTER} missing: did the build fail?`);
  const color = process.stdout.isTTY ? [] : ['--no-color'];
  const { code, lines } = await exec(process.execPath, [MOCHA, '--reporter', REPORTER, ...color, ...mochaArgs]);
  const r = parseResult(lines, 'MOCHA-RESULT ');
  if (!r) return { status: 'crashed', passed: 0, failed: 1, note: `mocha exit ${code}, no result line` };
  const failed = r.failed + (code !== 0 && r.failed === 0 ? 1 : 0);
  const note = [r.pending ? `${r.pending} pending` : '', code !== 0 && r.failed === 0 ? `mocha exit ${code}` : '']
    .filter(Boolean)
    .join(', ');
  return { status: failed ? 'failed' : 'ok', passed: r.passed, failed, ...(note ? { note } : {}) };
}

async function main() {
  const started = Date.now();
  console.log(`[test] ${unitOnly ? 'quick run (--unit): typecheck, lint, build, unit' : 'full run'} in ${root}`);

  // Nothing below works without node_modules, and the VS Code stages need the Debian packages
  // and code-server: a set-up that cannot finish stops the run with what to do.
  const setup = await stage('setup', async () => {
    let did;
    try {
      did = await ensureSetup({ root, debian: !unitOnly, codeServer: !unitOnly });
    } catch (e) {
      if (!(e instanceof SetupError)) throw e;
      console.error(`[setup] ${e.message}`);
      return { status: 'failed', passed: 0, failed: 1, note: e.command ? `run: ${e.command}` : 'see above' };
    }
    const note = [
      did.apt.length ? `apt-get install ${did.apt.join(' ')}` : '',
      did.npmCi ? `npm ci: ${did.npmCi}` : '',
      did.codeServer?.installedNow ? `installed code-server ${did.codeServer.version}` : '',
    ].filter(Boolean);
    return { status: 'ok', passed: 0, failed: 0, ...(note.length ? { note: note.join('; ') } : {}) };
  });
  if (setup.status !== 'ok') return summary(started);

  await stage('typecheck', singleCheck(bin('tsc'), ['--noEmit', '-p', '.']));

  const lintTargets = ['src', 'test', 'scripts', 'bench'].filter((d) => fs.existsSync(path.join(root, d)));
  await stage('lint', singleCheck(bin('eslint'), lintTargets));
  // One code format (Prettier, .prettierrc.json); `npm run format` fixes what this reports.
  await stage('format', singleCheck(bin('prettier'), ['--check', '--log-level', 'warn', '.']));

  const build = await stage('build', async () => {
    // Start from an empty out/ so tests whose sources were deleted do not run stale.
    fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
    const { code } = await exec(process.execPath, ['esbuild.js', '--tests']);
    return code === 0
      ? { status: 'ok', passed: 0, failed: 0 }
      : { status: 'crashed', passed: 0, failed: 1, note: `esbuild exit ${code}` };
  });
  const built = build.status === 'ok';
  const skip = (note) => async () => ({ status: 'skipped', passed: 0, failed: 0, note });

  await stage(
    'unit',
    built
      ? () => mochaStage([], listFiles(path.join(root, 'out', 'test', 'unit'), '.test.js')) // spec etc. from .mocharc.json
      : skip('build failed'),
  );

  if (unitOnly) {
    await stage('integration', skip('--unit'));
    await stage('e2e', skip('--unit'));
  } else {
    await stage(
      'integration',
      built
        ? async () => {
            const cs = await ensureCodeServer();
            if (!cs.installedNow)
              console.log(`[test] code-server ${cs.version} (cached in ${path.relative(root, cs.dir)})`);
            const { code, lines } = await exec(process.execPath, [
              '--enable-source-maps',
              'out/test/host/runIntegration.js',
            ]);
            const r = parseResult(lines, 'INTEGRATION-HOST ');
            if (!r) return { status: 'crashed', passed: 0, failed: 1, note: `host exit ${code}, no result` };
            const failed = r.failed + (code !== 0 && r.failed === 0 ? 1 : 0);
            return {
              status: failed ? 'failed' : 'ok',
              passed: r.passed,
              failed,
              note: `VS Code ${r.vscode ?? '?'} (code-server ${r.codeServer})${r.screenshot ? `, screenshot ${path.relative(root, r.screenshot)}` : ''}`,
            };
          }
        : skip('build failed'),
    );

    const e2eFiles = listFiles(path.join(root, 'out', 'test', 'e2e'), '.test.js');
    await stage(
      'e2e',
      built
        ? async () => {
            if (e2eFiles.length) await ensureCodeServer();
            return mochaStage(
              [
                '--no-config',
                '--ui',
                'bdd',
                '--timeout',
                '180000',
                '--node-option',
                'enable-source-maps',
                '--exit',
                ...e2eFiles,
              ],
              e2eFiles,
            );
          }
        : skip('build failed'),
    );
  }

  summary(started);
}

function summary(started) {
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  banner('summary');
  const w = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const counts = r.status === 'skipped' ? 'skipped' : `${r.passed} passed, ${r.failed} failed`;
    console.log(
      `${r.status === 'ok' ? 'ok  ' : r.status === 'skipped' ? 'skip' : 'FAIL'}  ${r.name.padEnd(w)}  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${counts}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const anyBad = failed > 0 || results.some((r) => r.status === 'crashed' || r.status === 'failed');
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = anyBad ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
