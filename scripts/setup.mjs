#!/usr/bin/env node
// First-run set-up shared by `npm test`, `npm run demo` and `npm run bench`, so a fresh clone
// needs no other command. Imports only Node built-ins: it runs before node_modules exists.
// In order:
//   1. Debian packages the VS Code stages need, when missing (dpkg-query): apt-get as root,
//      `sudo -n apt-get` when sudo needs no password, otherwise stop and print the exact command.
//   2. `npm ci` when node_modules is missing or differs from package-lock.json.
//   3. code-server 4.100.3 into .vscode-test/ when missing (scripts/install-code-server.mjs).
// `--unit` (what `node scripts/test.mjs --unit` needs) does step 2 only.
//
//   node scripts/setup.mjs            everything (npm run bench starts with this)
//   node scripts/setup.mjs --unit     npm ci only, if needed
// Import: const { ensureSetup } = await import('./setup.mjs')  (scripts/test.mjs, scripts/demo.mjs)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './install-code-server.mjs';

/** Debian packages, each with the reason the project needs it (README "Quick start" says the same). */
export const DEBIAN_PACKAGES = [
  ['chromium', 'the headless browser that shows VS Code (code-server) to the integration and e2e tests and the bench'],
  ['fonts-dejavu-core', 'a font, so that Chromium and the screenshots show text'],
  ['ripgrep', "the rg binary code-server's install would otherwise download from GitHub"],
  ['libkrb5-dev', "headers for the native modules code-server's install builds"],
  ['pkg-config', "used by the native module builds of code-server's install"],
  ['g++', "compiler for code-server's native modules (node-gyp)"],
  ['make', 'runs the node-gyp builds'],
  ['python3', 'runs node-gyp'],
];

const APT_INSTALL = ['install', '-y', '-q', '--no-install-recommends'];

/** Thrown when set-up cannot go on; the message says what to do. `command` is the exact line to run, if any. */
export class SetupError extends Error {
  constructor(message, command) {
    super(message);
    this.name = 'SetupError';
    this.command = command;
  }
}

// ---------------------------------------------------------------- npm ci

/**
 * Why `npm ci` must run in `root`, or undefined when node_modules matches package-lock.json.
 *
 * The check compares package-lock.json with node_modules/.package-lock.json, the "hidden lockfile"
 * npm itself writes whenever it changes node_modules (npm ci, install, update, uninstall), listing
 * what is really installed. A marker of our own (say a hash of package-lock.json written after our
 * `npm ci`) would not know about trees installed by a plain `npm ci` or `npm install`: every
 * existing checkout would pay a needless full reinstall, and a tree someone updated by hand would
 * look stale. The hidden lockfile knows both. Every package the lock file lists must be installed
 * at the same version (and integrity, when both say) except optional ones, which npm skips on other
 * platforms or when their build fails; anything installed that the lock file does not list
 * (a dependency since removed) counts too.
 * @param {string} root
 * @returns {string | undefined}
 */
export function npmCiReason(root) {
  const nm = path.join(root, 'node_modules');
  if (!fs.existsSync(nm)) return 'node_modules is missing';
  const hiddenFile = path.join(nm, '.package-lock.json');
  if (!fs.existsSync(hiddenFile)) return 'node_modules has no .package-lock.json (not installed by npm 7 or later)';
  let lock;
  let hidden;
  try {
    lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  } catch (e) {
    throw new SetupError(`package-lock.json cannot be read (${e instanceof Error ? e.message : e}).`);
  }
  try {
    hidden = JSON.parse(fs.readFileSync(hiddenFile, 'utf8'));
  } catch {
    return 'node_modules/.package-lock.json cannot be read';
  }
  const want = lock.packages ?? {};
  const have = hidden.packages ?? {};
  for (const [key, w] of Object.entries(want)) {
    if (!key.startsWith('node_modules/')) continue; // "" is the project itself
    const h = have[key];
    if (!h) {
      if (w.optional) continue;
      return `${key.slice('node_modules/'.length)} ${w.version ?? ''} is in package-lock.json but not installed`.trim();
    }
    if (w.link || h.link) {
      if (w.resolved !== h.resolved)
        return `${key.slice('node_modules/'.length)} links elsewhere than package-lock.json says`;
      continue;
    }
    if (w.version !== h.version) {
      return `${key.slice('node_modules/'.length)} is ${h.version} in node_modules, ${w.version} in package-lock.json`;
    }
    if (w.integrity && h.integrity && w.integrity !== h.integrity) {
      return `${key.slice('node_modules/'.length)} ${w.version} differs from the one in package-lock.json`;
    }
  }
  for (const key of Object.keys(have)) {
    if (key.startsWith('node_modules/') && !want[key]) {
      return `${key.slice('node_modules/'.length)} is installed but no longer in package-lock.json`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- Debian packages

/**
 * Names among `names` that dpkg does not report as "install ok installed"; undefined when there is
 * no dpkg-query (not Debian: the caller warns and goes on).
 * @param {string[]} names
 * @param {(cmd: string, args: string[]) => { status: number | null, stdout: string, error?: Error }} [runSync]
 */
export function missingDebianPackages(names, runSync = defaultRunSync) {
  // One call for all: prints a line per installed or known package; unknown ones only on stderr.
  const r = runSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...names]);
  if (r.error) return undefined;
  const installed = new Set();
  for (const line of r.stdout.split('\n')) {
    const [pkg, ...status] = line.trim().split(/\s+/);
    if (pkg && status.join(' ') === 'install ok installed') installed.add(pkg.split(':')[0]);
  }
  return names.filter((n) => !installed.has(n));
}

/** The exact lines a person runs when set-up cannot install `missing` itself. */
export function manualAptCommand(missing) {
  return `sudo apt-get update && sudo apt-get ${APT_INSTALL.filter((a) => a !== '-q').join(' ')} ${missing.join(' ')}`;
}

/**
 * How to install `missing`: { commands: [cmd, args][] } to run, or { manual } when neither root
 * nor password-less sudo is available.
 * @param {string[]} missing
 * @param {{ isRoot: boolean, sudoWorks: () => boolean }} who
 */
export function aptPlan(missing, who) {
  if (missing.length === 0) return { commands: [] };
  const apt = [
    ['apt-get', ['update', '-q']],
    ['apt-get', [...APT_INSTALL, ...missing]],
  ];
  if (who.isRoot) return { commands: apt, via: 'root' };
  // sudo resets the environment, so DEBIAN_FRONTEND may not reach apt-get; stdin is /dev/null and
  // none of these packages asks a debconf question, so apt-get cannot wait for an answer anyway.
  if (who.sudoWorks()) return { commands: apt.map(([c, a]) => ['sudo', ['-n', c, ...a]]), via: 'sudo' };
  return { manual: manualAptCommand(missing) };
}

// ---------------------------------------------------------------- running

function defaultRunSync(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', error: r.error };
}

/** Runs a command with inherited output and stdin ignored; resolves with its exit code. */
function defaultRun(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', ...opts.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (e) => {
      console.error(`[setup] ${cmd}: ${e.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(signal ? 128 : (code ?? 1)));
  });
}

function defaultSudoWorks() {
  const r = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 });
  return !r.error && r.status === 0;
}

const isRootNow = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Installs what is missing for `purpose`, in order: Debian packages, npm ci, code-server.
 * Returns what it did ({ apt: string[], npmCi: string | undefined, codeServer }); throws SetupError
 * with the command to run when it cannot go on.
 * @param {{ root?: string, debian?: boolean, npm?: boolean, codeServer?: boolean,
 *           log?: (line: string) => void, isRoot?: boolean, sudoWorks?: () => boolean,
 *           runSync?: typeof defaultRunSync, run?: typeof defaultRun,
 *           ensureCodeServer?: typeof ensureCodeServer }} [opts]
 */
export async function ensureSetup(opts = {}) {
  const root = opts.root ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const log = opts.log ?? ((line) => console.log(`[setup] ${line}`));
  const run = opts.run ?? defaultRun;
  const done = { apt: [], npmCi: undefined, codeServer: undefined };

  if (opts.debian !== false) {
    const names = DEBIAN_PACKAGES.map(([n]) => n);
    const missing = missingDebianPackages(names, opts.runSync ?? defaultRunSync);
    if (missing === undefined) {
      log(`no dpkg-query (not Debian?): make sure these are installed: ${names.join(' ')}`);
    } else if (missing.length) {
      const plan = aptPlan(missing, {
        isRoot: opts.isRoot ?? isRootNow(),
        sudoWorks: opts.sudoWorks ?? defaultSudoWorks,
      });
      if (plan.manual) {
        throw new SetupError(
          `These Debian packages are missing: ${missing.join(', ')}. Installing them needs root, and sudo asks for a password. Run this, then start again:\n  ${plan.manual}`,
          plan.manual,
        );
      }
      log(`installing Debian packages ${missing.join(' ')} (${plan.via === 'sudo' ? 'sudo -n ' : ''}apt-get) ...`);
      for (const [cmd, args] of plan.commands) {
        const code = await run(cmd, args, { cwd: root });
        if (code !== 0) {
          const manual = manualAptCommand(missing);
          throw new SetupError(
            `${cmd} ${args.join(' ')} failed (exit ${code}). Fix what it printed above, or run this, then start again:\n  ${manual}`,
            manual,
          );
        }
      }
      const still = missingDebianPackages(names, opts.runSync ?? defaultRunSync) ?? [];
      if (still.length) throw new SetupError(`apt-get ran but these are still not installed: ${still.join(', ')}.`);
      done.apt = missing;
    }
  }

  if (opts.npm !== false) {
    const reason = npmCiReason(root);
    if (reason) {
      const nm = path.join(root, 'node_modules');
      // A linked node_modules (e.g. a git worktree sharing the main checkout's) belongs to another
      // checkout: `npm ci` here would delete and rewrite that one under everyone using it.
      if (fs.lstatSync(nm, { throwIfNoEntry: false })?.isSymbolicLink()) {
        const target = fs.realpathSync(nm);
        throw new SetupError(
          `node_modules is a link to ${target} and out of date (${reason}). It is shared, so it is not reinstalled from here: run "npm ci" in ${path.dirname(target)}, or remove the link to get a private node_modules.`,
        );
      }
      log(`npm ci (${reason}) ...`);
      const t0 = Date.now();
      const code = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
      if (code !== 0) {
        throw new SetupError(`npm ci failed (exit ${code}); see its output above, fix the cause and start again.`);
      }
      const after = npmCiReason(root);
      if (after) throw new SetupError(`npm ci finished but node_modules still differs: ${after}.`);
      log(`npm ci done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      done.npmCi = reason;
    }
  }

  if (opts.codeServer !== false) {
    const ensure = opts.ensureCodeServer ?? ensureCodeServer;
    done.codeServer = await ensure({ root, log: (line) => log(`code-server: ${line}`) });
  }
  return done;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const unit = process.argv.includes('--unit');
  const t0 = Date.now();
  ensureSetup({ debian: !unit, codeServer: !unit })
    .then((r) => {
      const did = [
        r.apt.length ? `Debian packages ${r.apt.join(' ')}` : '',
        r.npmCi ? 'npm ci' : '',
        r.codeServer?.installedNow ? `code-server ${r.codeServer.version}` : '',
      ].filter(Boolean);
      const s = ((Date.now() - t0) / 1000).toFixed(1);
      console.log(`[setup] ${did.length ? `installed ${did.join(', ')}` : 'everything already installed'} (${s} s)`);
    })
    .catch((e) => {
      console.error(`[setup] ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    });
}
