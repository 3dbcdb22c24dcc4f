// scripts/setup.mjs: what a fresh clone's `npm test` / `npm run demo` / `npm run bench` installs.
// The decision logic runs in-process with injected commands; the command-line script runs in a
// child process against a temporary project whose PATH holds fake dpkg-query, apt-get, sudo and
// npm that only write down their arguments, so no test ever calls the real apt-get or npm.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../host/codeServer';

type Cmd = [string, string[]];
interface RunSyncResult {
  status: number | null;
  stdout: string;
  error?: Error;
}
interface SetupResult {
  apt: string[];
  npmCi: string | undefined;
  codeServer: unknown;
}
interface SetupOptions {
  root?: string;
  debian?: boolean;
  npm?: boolean;
  codeServer?: boolean;
  log?: (line: string) => void;
  isRoot?: boolean;
  sudoWorks?: () => boolean;
  runSync?: (cmd: string, args: string[]) => RunSyncResult;
  run?: (cmd: string, args: string[], opts?: { cwd?: string }) => Promise<number>;
  ensureCodeServer?: (opts: { root: string }) => Promise<unknown>;
}
interface SetupModule {
  DEBIAN_PACKAGES: [string, string][];
  SetupError: new (message: string, command?: string) => Error & { command?: string };
  npmCiReason(root: string): string | undefined;
  missingDebianPackages(names: string[], runSync?: SetupOptions['runSync']): string[] | undefined;
  manualAptCommand(missing: string[]): string;
  aptPlan(
    missing: string[],
    who: { isRoot: boolean; sudoWorks: () => boolean },
  ): { commands?: Cmd[]; via?: string; manual?: string };
  ensureSetup(opts?: SetupOptions): Promise<SetupResult>;
}

const ROOT = repoRoot();
const SCRIPTS = path.join(ROOT, 'scripts');
const EVERY_PACKAGE = [
  'chromium',
  'fonts-dejavu-core',
  'ripgrep',
  'libkrb5-dev',
  'pkg-config',
  'g++',
  'make',
  'python3',
];

/** Loaded at run time (not bundled by esbuild): the .mjs finds its own folder through import.meta.url. */
async function loadSetup(): Promise<SetupModule> {
  const url = pathToFileURL(path.join(SCRIPTS, 'setup.mjs')).href;
  return (await import(url)) as SetupModule;
}

function tempDir(t: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-oplogs-setup-test-'));
  t.push(dir);
  return dir;
}

type LockPackages = Record<string, Record<string, unknown>>;

function lockJson(packages: LockPackages): string {
  return `${JSON.stringify({ name: 'p', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

/** Lock file as npm writes it: the project "" plus its packages. */
const LOCK: LockPackages = {
  '': { name: 'p', version: '1.0.0', devDependencies: { esbuild: '^0.28.2', mocha: '^12.0.0' } },
  'node_modules/esbuild': { version: '0.28.2', integrity: 'sha512-esb', dev: true },
  'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', integrity: 'sha512-darwin', dev: true, optional: true },
  'node_modules/mocha': { version: '12.0.3', integrity: 'sha512-mocha', dev: true },
  'node_modules/mocha/node_modules/ms': { version: '2.1.3', integrity: 'sha512-ms', dev: true },
};

/** The hidden lockfile npm writes after installing LOCK on Linux (no darwin package, no "" entry). */
function installedFrom(lock: LockPackages): LockPackages {
  const out: LockPackages = {};
  for (const [k, v] of Object.entries(lock)) if (k && !k.includes('darwin')) out[k] = v;
  return out;
}

function writeProject(dir: string, lock: LockPackages, installed?: LockPackages): void {
  fs.writeFileSync(path.join(dir, 'package-lock.json'), lockJson(lock));
  if (installed) {
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), lockJson(installed));
  }
}

/** dpkg-query stand-in: reports `installed` as installed, the rest as unknown (stderr only). */
function dpkg(installed: string[], calls?: Cmd[]): (cmd: string, args: string[]) => RunSyncResult {
  return (cmd, args) => {
    calls?.push([cmd, args]);
    const names = args.filter((a) => !a.startsWith('-'));
    return {
      status: names.every((n) => installed.includes(n)) ? 0 : 1,
      stdout: names
        .filter((n) => installed.includes(n))
        .map((n) => `${n} install ok installed\n`)
        .join(''),
    };
  };
}

describe('set-up (scripts/setup.mjs)', () => {
  const temps: string[] = [];
  let setup: SetupModule;
  before(async () => {
    setup = await loadSetup();
  });
  after(() => {
    for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('npm ci decision', () => {
    it('runs npm ci when node_modules is missing', () => {
      const dir = tempDir(temps);
      writeProject(dir, LOCK);
      assert.equal(setup.npmCiReason(dir), 'node_modules is missing');
    });

    it('does nothing when node_modules matches the lock file (optional packages of other platforms absent)', () => {
      const dir = tempDir(temps);
      writeProject(dir, LOCK, installedFrom(LOCK));
      assert.equal(setup.npmCiReason(dir), undefined);
    });

    it('runs npm ci when the lock file asks for another version', () => {
      const dir = tempDir(temps);
      writeProject(
        dir,
        { ...LOCK, 'node_modules/mocha': { version: '12.1.0', integrity: 'sha512-mocha2', dev: true } },
        installedFrom(LOCK),
      );
      assert.equal(setup.npmCiReason(dir), 'mocha is 12.0.3 in node_modules, 12.1.0 in package-lock.json');
    });

    it('runs npm ci when the same version has another integrity', () => {
      const dir = tempDir(temps);
      writeProject(
        dir,
        { ...LOCK, 'node_modules/mocha/node_modules/ms': { version: '2.1.3', integrity: 'sha512-other' } },
        installedFrom(LOCK),
      );
      assert.match(setup.npmCiReason(dir) ?? '', /^mocha\/node_modules\/ms 2\.1\.3 differs/);
    });

    it('runs npm ci when a new dependency is not installed, or a removed one still is', () => {
      const added = tempDir(temps);
      writeProject(added, { ...LOCK, 'node_modules/prettier': { version: '3.10.1', dev: true } }, installedFrom(LOCK));
      assert.equal(setup.npmCiReason(added), 'prettier 3.10.1 is in package-lock.json but not installed');

      const removed = tempDir(temps);
      const { 'node_modules/mocha/node_modules/ms': _ms, ...withoutMs } = LOCK;
      writeProject(removed, withoutMs, installedFrom(LOCK));
      assert.equal(setup.npmCiReason(removed), 'mocha/node_modules/ms is installed but no longer in package-lock.json');
    });

    it('runs npm ci when node_modules has no hidden lockfile', () => {
      const dir = tempDir(temps);
      writeProject(dir, LOCK);
      fs.mkdirSync(path.join(dir, 'node_modules'));
      assert.match(setup.npmCiReason(dir) ?? '', /no \.package-lock\.json/);
    });
  });

  describe('Debian packages', () => {
    it('asks dpkg-query once and reports what is not "install ok installed"', () => {
      const calls: Cmd[] = [];
      const runSync = (cmd: string, args: string[]): RunSyncResult => {
        calls.push([cmd, args]);
        return {
          status: 1,
          stdout:
            'chromium install ok installed\nlibkrb5-dev install ok installed\nripgrep deinstall ok config-files\n',
        };
      };
      assert.deepEqual(setup.missingDebianPackages(['chromium', 'ripgrep', 'libkrb5-dev', 'pkg-config'], runSync), [
        'ripgrep',
        'pkg-config',
      ]);
      assert.deepEqual(calls, [
        ['dpkg-query', ['-W', '-f=${Package} ${Status}\\n', 'chromium', 'ripgrep', 'libkrb5-dev', 'pkg-config']],
      ]);
    });

    it('says "cannot tell" (undefined) without dpkg-query', () => {
      const enoent = (): RunSyncResult => ({
        status: null,
        stdout: '',
        error: new Error('spawnSync dpkg-query ENOENT'),
      });
      assert.equal(setup.missingDebianPackages(['chromium'], enoent), undefined);
    });

    it('lists every package the issue names, with a reason each', () => {
      assert.deepEqual(
        setup.DEBIAN_PACKAGES.map(([n]) => n),
        EVERY_PACKAGE,
      );
      for (const [n, why] of setup.DEBIAN_PACKAGES) assert.ok(why.length > 10, n);
    });

    it('as root: apt-get update, then apt-get install, without asking sudo', () => {
      let asked = 0;
      const plan = setup.aptPlan(['chromium', 'ripgrep'], { isRoot: true, sudoWorks: () => (asked++, true) });
      assert.deepEqual(plan.commands, [
        ['apt-get', ['update', '-q']],
        ['apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium', 'ripgrep']],
      ]);
      assert.equal(asked, 0);
    });

    it('not root, sudo without password: the same through sudo -n', () => {
      const plan = setup.aptPlan(['g++'], { isRoot: false, sudoWorks: () => true });
      assert.equal(plan.via, 'sudo');
      assert.deepEqual(plan.commands, [
        ['sudo', ['-n', 'apt-get', 'update', '-q']],
        ['sudo', ['-n', 'apt-get', 'install', '-y', '-q', '--no-install-recommends', 'g++']],
      ]);
    });

    it('neither: no command to run, the exact line for a person instead', () => {
      const plan = setup.aptPlan(['chromium', 'pkg-config'], { isRoot: false, sudoWorks: () => false });
      assert.equal(plan.commands, undefined);
      assert.equal(
        plan.manual,
        'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium pkg-config',
      );
    });

    it('nothing missing: nothing to run, sudo not asked', () => {
      const plan = setup.aptPlan([], {
        isRoot: false,
        sudoWorks: () => assert.fail('sudo must not be asked'),
      });
      assert.deepEqual(plan.commands, []);
    });
  });

  describe('ensureSetup', () => {
    /** Records every command; a fake `npm ci` writes the hidden lockfile as npm would. */
    function fakeRun(root: string, calls: Cmd[], codes: Record<string, number> = {}) {
      return (cmd: string, args: string[]): Promise<number> => {
        calls.push([cmd, args]);
        const code = codes[`${cmd} ${args[0]}`] ?? 0;
        if (code === 0 && cmd === 'npm' && args[0] === 'ci') {
          const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
            packages: LockPackages;
          };
          writeProject(root, lock.packages, installedFrom(lock.packages));
        }
        return Promise.resolve(code);
      };
    }

    it('fresh clone as root: packages, then npm ci, then code-server', async () => {
      const root = tempDir(temps);
      writeProject(root, LOCK);
      const calls: Cmd[] = [];
      const installed: string[] = ['make', 'python3'];
      const run = fakeRun(root, calls);
      const codeServer: string[] = [];
      const did = await setup.ensureSetup({
        root,
        log: () => undefined,
        isRoot: true,
        sudoWorks: () => assert.fail('root needs no sudo'),
        runSync: (cmd, args) => dpkg(installed)(cmd, args),
        run: async (cmd, args) => {
          const code = await run(cmd, args);
          if (cmd === 'apt-get' && args[0] === 'install') installed.push(...args.filter((a) => !a.startsWith('-')));
          return code;
        },
        ensureCodeServer: (o) => {
          codeServer.push(o.root);
          return Promise.resolve({ installedNow: true, version: '4.100.3' });
        },
      });
      const missing = EVERY_PACKAGE.filter((p) => p !== 'make' && p !== 'python3');
      assert.deepEqual(calls, [
        ['apt-get', ['update', '-q']],
        ['apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing]],
        ['npm', ['ci', '--no-audit', '--no-fund']],
      ]);
      assert.deepEqual(codeServer, [root]);
      assert.deepEqual(did.apt, missing);
      assert.equal(did.npmCi, 'node_modules is missing');
    });

    it('everything in place: runs nothing (code-server checks its own marker)', async () => {
      const root = tempDir(temps);
      writeProject(root, LOCK, installedFrom(LOCK));
      const calls: Cmd[] = [];
      let codeServer = 0;
      const did = await setup.ensureSetup({
        root,
        log: () => undefined,
        isRoot: false,
        sudoWorks: () => assert.fail('nothing to install, no sudo'),
        runSync: dpkg(EVERY_PACKAGE),
        run: fakeRun(root, calls),
        ensureCodeServer: () => (codeServer++, Promise.resolve({ installedNow: false })),
      });
      assert.deepEqual(calls, []);
      assert.equal(codeServer, 1);
      assert.deepEqual(did.apt, []);
      assert.equal(did.npmCi, undefined);
    });

    it('not root, sudo asks for a password: stops before any install with the exact command', async () => {
      const root = tempDir(temps);
      writeProject(root, LOCK);
      const calls: Cmd[] = [];
      let sudoAsked = 0;
      const err = await setup
        .ensureSetup({
          root,
          log: () => undefined,
          isRoot: false,
          sudoWorks: () => (sudoAsked++, false),
          runSync: dpkg(EVERY_PACKAGE.filter((p) => p !== 'chromium' && p !== 'ripgrep')),
          run: fakeRun(root, calls),
          ensureCodeServer: () => assert.fail('no code-server before the packages'),
        })
        .then(
          () => assert.fail('must stop'),
          (e: unknown) => e as Error & { command?: string },
        );
      assert.ok(err instanceof setup.SetupError);
      assert.equal(
        err.command,
        'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium ripgrep',
      );
      assert.ok(err.message.includes(`\n  ${err.command}`), err.message);
      assert.equal(sudoAsked, 1);
      assert.deepEqual(calls, [], 'neither apt-get nor npm ci ran');
    });

    it('not root, sudo -n works: installs through sudo', async () => {
      const root = tempDir(temps);
      writeProject(root, LOCK, installedFrom(LOCK));
      const calls: Cmd[] = [];
      const installed = EVERY_PACKAGE.filter((p) => p !== 'libkrb5-dev');
      const run = fakeRun(root, calls);
      await setup.ensureSetup({
        root,
        log: () => undefined,
        isRoot: false,
        sudoWorks: () => true,
        runSync: (cmd, args) => dpkg(installed)(cmd, args),
        run: async (cmd, args) => {
          if (args.includes('install')) installed.push('libkrb5-dev');
          return run(cmd, args);
        },
        codeServer: false,
      });
      assert.deepEqual(calls, [
        ['sudo', ['-n', 'apt-get', 'update', '-q']],
        ['sudo', ['-n', 'apt-get', 'install', '-y', '-q', '--no-install-recommends', 'libkrb5-dev']],
      ]);
    });

    it('apt-get failing stops with the command to run by hand', async () => {
      const root = tempDir(temps);
      writeProject(root, LOCK);
      const calls: Cmd[] = [];
      await assert.rejects(
        setup.ensureSetup({
          root,
          log: () => undefined,
          isRoot: true,
          runSync: dpkg([]),
          run: fakeRun(root, calls, { 'apt-get install': 100 }),
          codeServer: false,
        }),
        (e: Error & { command?: string }) =>
          /apt-get install .* failed \(exit 100\)/.test(e.message) &&
          e.command ===
            `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${EVERY_PACKAGE.join(' ')}`,
      );
      assert.equal(calls.length, 2, 'npm ci did not run after the failure');
    });

    it('--unit (no Debian packages, no code-server): only npm ci when the lock file changed', async () => {
      const root = tempDir(temps);
      writeProject(
        root,
        { ...LOCK, 'node_modules/esbuild': { version: '0.29.0', integrity: 'sha512-esb2', dev: true } },
        installedFrom(LOCK),
      );
      const calls: Cmd[] = [];
      const did = await setup.ensureSetup({
        root,
        log: () => undefined,
        debian: false,
        codeServer: false,
        runSync: () => assert.fail('dpkg-query must not run'),
        ensureCodeServer: () => assert.fail('code-server must not be installed'),
        run: fakeRun(root, calls),
      });
      assert.deepEqual(calls, [['npm', ['ci', '--no-audit', '--no-fund']]]);
      assert.equal(did.npmCi, 'esbuild is 0.28.2 in node_modules, 0.29.0 in package-lock.json');
    });

    it('npm ci failing stops with a message', async () => {
      const root = tempDir(temps);
      writeProject(root, LOCK);
      await assert.rejects(
        setup.ensureSetup({
          root,
          log: () => undefined,
          debian: false,
          codeServer: false,
          run: fakeRun(root, [], { 'npm ci': 1 }),
        }),
        /npm ci failed \(exit 1\)/,
      );
    });

    it('never runs npm ci through a linked (shared) node_modules', async () => {
      const shared = tempDir(temps);
      writeProject(shared, LOCK, installedFrom(LOCK));
      const root = tempDir(temps);
      writeProject(root, { ...LOCK, 'node_modules/prettier': { version: '3.10.1', dev: true } });
      fs.symlinkSync(path.join(shared, 'node_modules'), path.join(root, 'node_modules'), 'dir');
      const calls: Cmd[] = [];
      await assert.rejects(
        setup.ensureSetup({ root, log: () => undefined, debian: false, codeServer: false, run: fakeRun(root, calls) }),
        (e: Error) => e.message.includes(`run "npm ci" in ${fs.realpathSync(shared)}`),
      );
      assert.deepEqual(calls, []);
      assert.ok(fs.existsSync(path.join(shared, 'node_modules', '.package-lock.json')));
    });
  });

  describe('node scripts/setup.mjs (child process, fake system commands on PATH)', () => {
    /**
     * A project folder with the two set-up scripts, a lock file and no node_modules; code-server's
     * marker is in place so ensureCodeServer returns at once. bin/ holds the fakes: apt-get "installs"
     * by writing names to state/installed, which dpkg-query reads; npm ci writes the hidden lockfile;
     * sudo runs its command only when state/sudo-ok exists. Every call is appended to state/calls.
     */
    function fakeMachine(): { root: string; state: string; bin: string } {
      const root = tempDir(temps);
      fs.mkdirSync(path.join(root, 'scripts'));
      for (const f of ['setup.mjs', 'install-code-server.mjs', 'hostResult.mjs', 'test.mjs', 'demo.mjs']) {
        fs.copyFileSync(path.join(SCRIPTS, f), path.join(root, 'scripts', f));
      }
      writeProject(root, LOCK);
      const cs = path.join(root, '.vscode-test', 'code-server-4.100.3');
      fs.mkdirSync(path.join(cs, 'node_modules', 'code-server', 'out', 'node'), { recursive: true });
      fs.writeFileSync(path.join(cs, 'node_modules', 'code-server', 'out', 'node', 'entry.js'), '');
      fs.writeFileSync(path.join(cs, '.installed.json'), JSON.stringify({ version: '4.100.3 fake' }));
      const state = path.join(root, 'state');
      const bin = path.join(root, 'bin');
      fs.mkdirSync(state);
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(state, 'installed'), 'make\npython3\n');
      const scripts: Record<string, string> = {
        'dpkg-query': `printf "%s\\n" "dpkg-query $*" >> "$FAKE_STATE/calls"
for p in "$@"; do case "$p" in -*) ;; *) grep -qx -- "$p" "$FAKE_STATE/installed" && echo "$p install ok installed" ;; esac; done
exit 0`,
        'apt-get': `printf "%s\\n" "apt-get $*" >> "$FAKE_STATE/calls"
[ "$1" = install ] || exit 0
for p in "$@"; do case "$p" in -*|install) ;; *) echo "$p" >> "$FAKE_STATE/installed" ;; esac; done`,
        sudo: `printf "%s\\n" "sudo $*" >> "$FAKE_STATE/calls"
[ "$1" = -n ] && shift
[ -f "$FAKE_STATE/sudo-ok" ] || exit 1
exec "$@"`,
        npm: `printf "%s\\n" "npm $*" >> "$FAKE_STATE/calls"
mkdir -p node_modules && cp package-lock.json node_modules/.package-lock.json`,
      };
      for (const [name, body] of Object.entries(scripts)) {
        fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      }
      return { root, state, bin };
    }

    /** Runs the copied script as user `uid` (process.getuid replaced before it loads); bounded to 20 s. */
    function runScript(
      m: { root: string; state: string; bin: string },
      uid: number,
      args: string[] = [],
      script = 'setup.mjs',
    ): Promise<{ code: number | null; out: string; err: string; calls: string[] }> {
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', `data:text/javascript,process.getuid=()=>${uid}`, path.join(m.root, 'scripts', script), ...args],
          {
            cwd: m.root,
            env: { ...process.env, PATH: `${m.bin}${path.delimiter}${process.env.PATH ?? ''}`, FAKE_STATE: m.state },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
        child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          const log = path.join(m.state, 'calls');
          const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
          resolve({ code, out, err, calls });
        });
      });
    }

    const missing = EVERY_PACKAGE.filter((p) => p !== 'make' && p !== 'python3');

    it('as root on a fresh machine: installs the packages, runs npm ci, exits 0; a second run installs nothing', async () => {
      const m = fakeMachine();
      const first = await runScript(m, 0);
      assert.equal(first.code, 0, first.err);
      assert.deepEqual(first.calls, [
        `dpkg-query -W -f=\${Package} \${Status}\\n ${EVERY_PACKAGE.join(' ')}`,
        'apt-get update -q',
        `apt-get install -y -q --no-install-recommends ${missing.join(' ')}`,
        `dpkg-query -W -f=\${Package} \${Status}\\n ${EVERY_PACKAGE.join(' ')}`,
        'npm ci --no-audit --no-fund',
      ]);
      assert.ok(first.out.includes(`[setup] installed Debian packages ${missing.join(' ')}, npm ci (`), first.out);

      fs.rmSync(path.join(m.state, 'calls'));
      const second = await runScript(m, 0);
      assert.equal(second.code, 0, second.err);
      assert.equal(second.calls.length, 1, second.calls.join('\n')); // dpkg-query only
      assert.match(second.out, /\[setup\] everything already installed/);
    });

    it('not root, sudo -n works: installs through sudo', async () => {
      const m = fakeMachine();
      fs.writeFileSync(path.join(m.state, 'sudo-ok'), '');
      const r = await runScript(m, 1000);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(
        r.calls.filter((c) => c.startsWith('sudo')),
        [
          'sudo -n true',
          'sudo -n apt-get update -q',
          `sudo -n apt-get install -y -q --no-install-recommends ${missing.join(' ')}`,
        ],
      );
    });

    it('not root, sudo wants a password: exit 1, the exact command on stderr, nothing installed', async () => {
      const m = fakeMachine();
      const r = await runScript(m, 1000);
      assert.equal(r.code, 1);
      assert.ok(
        r.err.includes(
          `\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n`,
        ),
        r.err,
      );
      assert.deepEqual(
        r.calls.filter((c) => !c.startsWith('dpkg-query')),
        ['sudo -n true'],
      );
      assert.ok(!fs.existsSync(path.join(m.root, 'node_modules')), 'npm ci did not run');
    });

    it('npm test (scripts/test.mjs) stops at the set-up stage with the command in its summary', async () => {
      const m = fakeMachine();
      const r = await runScript(m, 1000, [], 'test.mjs');
      assert.equal(r.code, 1);
      const lines = r.out.trim().split('\n');
      assert.equal(lines[lines.length - 1], '0 passed, 1 failed');
      const command = `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`;
      assert.ok(
        lines.some((l) => /^FAIL {2}setup /.test(l) && l.endsWith(`(run: ${command})`)),
        r.out,
      );
      assert.ok(!/typecheck/.test(r.out), 'no stage ran after the set-up');
      assert.ok(r.err.includes(`\n  ${command}\n`), r.err);
    });

    it('npm run demo (scripts/demo.mjs) stops before building, with the command', async () => {
      const m = fakeMachine();
      const r = await runScript(m, 1000, [], 'demo.mjs');
      assert.equal(r.code, 1);
      assert.match(r.err, /^\[setup\] These Debian packages are missing: /);
      assert.ok(r.err.includes(`sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`), r.err);
      assert.ok(!r.out.includes('building'), r.out);
    });

    it('--unit: no dpkg-query, no sudo, only npm ci', async () => {
      const m = fakeMachine();
      const r = await runScript(m, 1000, ['--unit']);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(r.calls, ['npm ci --no-audit --no-fund']);
    });
  });
});
