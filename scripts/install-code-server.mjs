#!/usr/bin/env node
// Installs code-server (VS Code 1.100.3 served to a browser) into a cache folder
// outside the project's dependency tree: .vscode-test/code-server-<version>/.
// This is the offline, headless stand-in for the VS Code build that
// @vscode/test-electron would download. A marker file makes a second run instant.
//
// Needs (Debian): libkrb5-dev, pkg-config (native builds), ripgrep (offline rg).
// Usage: node scripts/install-code-server.mjs [--force]
// Import: const { ensureCodeServer } = await import('./install-code-server.mjs')
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep release code-server 4.100.3 depends on, and the rg build it fetches. */
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_BIN_VERSION = 'v13.0.0-10';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function codeServerDir(root = repoRoot) {
  return path.join(root, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin(root = repoRoot) {
  return path.join(codeServerDir(root), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

const MARKER = '.installed.json';

function ripgrepTarget() {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch] ?? process.arch;
  return `${arch}-unknown-linux-musl`;
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds
 * $TMPDIR/vscode-ripgrep-cache-<pkg>/ripgrep-<bin>-<target>.tar.gz with `rg` at the
 * archive root. Build that archive from the system's rg (Debian package `ripgrep`).
 */
function seedRipgrepCache(log) {
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_BIN_VERSION}-${ripgrepTarget()}.tar.gz`);
  if (fs.existsSync(archive)) return;
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
  if (!rg) {
    log('warning: no system ripgrep (apt-get install ripgrep); @vscode/ripgrep will try to download rg');
    return;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-seed-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
  fs.rmSync(staging, { recursive: true, force: true });
  log(`seeded ripgrep cache ${archive} from ${rg}`);
}

function npmMajor() {
  try {
    return Number(execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim().split('.')[0]);
  } catch {
    return 0;
  }
}

function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, opts);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(signal ? 128 : (code ?? 1)));
  });
}

/** Starts the installed code-server with --version and returns its first output line. */
export function codeServerVersion(root = repoRoot) {
  const out = execFileSync(process.execPath, [codeServerBin(root), '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    // Keep code-server from writing ~/.config/code-server/config.yaml.
    env: { ...process.env, CODE_SERVER_CONFIG: path.join(codeServerDir(root), 'config.yaml') },
  });
  // e.g. "4.100.3 409c64e0df4d53530e59c16acc2b5d5766f717b0 with Code 1.100.3"
  const line = out.split('\n').find((l) => /^\d+\.\d+\.\d+ /.test(l.trim()));
  return (line ?? out).trim();
}

/** Checks that the install scripts really ran (native modules built, rg present). */
function verifyInstall(dir) {
  const problems = [];
  const nm = path.join(dir, 'node_modules', 'code-server');
  const vs = path.join(nm, 'lib', 'vscode');
  if (!fs.existsSync(path.join(vs, 'node_modules'))) {
    problems.push('lib/vscode/node_modules is missing (code-server postinstall did not run)');
  }
  const ptyBuilt = ['build/Release/pty.node', 'prebuilds'].some((p) =>
    fs.existsSync(path.join(vs, 'node_modules', 'node-pty', p)),
  );
  if (!ptyBuilt) problems.push('node-pty native module was not built');
  const rg = path.join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!fs.existsSync(rg)) problems.push('@vscode/ripgrep bin/rg is missing');
  return problems;
}

/**
 * Ensures code-server is installed; returns { dir, bin, version, installedNow, seconds }.
 * @param {{ force?: boolean, log?: (line: string) => void, root?: string }} [opts]
 */
export async function ensureCodeServer(opts = {}) {
  const log = opts.log ?? ((line) => console.log(`[code-server] ${line}`));
  const root = opts.root ?? repoRoot;
  const dir = codeServerDir(root);
  const marker = path.join(dir, MARKER);
  const bin = codeServerBin(root);
  if (!opts.force && fs.existsSync(marker) && fs.existsSync(bin)) {
    const info = JSON.parse(fs.readFileSync(marker, 'utf8'));
    return { dir, bin, version: info.version, installedNow: false, seconds: 0 };
  }

  const started = Date.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A package.json of its own makes `dir` the npm project root, never the repo.
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true, description: 'test host cache' }, null, 2),
  );
  seedRipgrepCache(log);

  const env = {
    ...process.env,
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    // node-pty's install runs `npx node-gyp`, which otherwise waits for a "yes".
    npm_config_yes: 'true',
    npm_config_update_notifier: 'false',
    npm_config_progress: 'false',
  };
  // npm 11 reviews dependencies' install scripts (allowScripts). code-server is
  // useless without them (native modules, its own postinstall), so allow them all
  // for this private cache folder only.
  if (npmMajor() >= 11) env.npm_config_dangerously_allow_all_scripts = 'true';

  const logFile = path.join(dir, 'install.log');
  log(
    `installing code-server@${CODE_SERVER_VERSION} into ${path.relative(root, dir)} (log: ${path.relative(root, logFile)}) ...`,
  );
  const out = fs.openSync(logFile, 'w');
  const code = await run(
    'npm',
    ['install', '--prefix', dir, `code-server@${CODE_SERVER_VERSION}`, '--no-audit', '--no-fund', '--no-save'],
    { cwd: dir, env, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(
      `npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code}) after ${seconds.toFixed(0)} s:\n${tail}`,
    );
  }
  const problems = verifyInstall(dir);
  if (problems.length) {
    throw new Error(
      `code-server installed but incomplete (were install scripts blocked?): ${problems.join('; ')}. See ${logFile}`,
    );
  }
  const version = codeServerVersion(root);
  if (!version.startsWith(CODE_SERVER_VERSION)) {
    throw new Error(`code-server --version printed "${version}", expected ${CODE_SERVER_VERSION}`);
  }
  fs.writeFileSync(marker, JSON.stringify({ version, seconds, at: new Date().toISOString() }, null, 2));
  log(`installed code-server ${version} in ${seconds.toFixed(1)} s`);
  return { dir, bin, version, installedNow: true, seconds };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  ensureCodeServer({ force: process.argv.includes('--force') })
    .then((r) => {
      const s = ((Date.now() - t0) / 1000).toFixed(1);
      console.log(
        r.installedNow
          ? `[code-server] ready: ${r.version} (${s} s)`
          : `[code-server] already installed: ${r.version} (${s} s, marker ${path.relative(repoRoot, path.join(r.dir, MARKER))})`,
      );
    })
    .catch((e) => {
      console.error(`[code-server] ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    });
}
