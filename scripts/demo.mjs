#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3),
// talking to the Zoom API simulator, for a person with a browser. Offline.
//   1. set-up when missing (scripts/setup.mjs): Debian packages, npm ci, code-server into .vscode-test/
//   2. builds (node esbuild.js --tests: the extension, the simulator CLI, the test host)
//   3. starts the simulator: 20000 entries over six months, every category, seed 1
//      (port 8080 or DEMO_SIM_PORT; a free port if that one is busy)
//   4. starts code-server (127.0.0.1, port 8081 or DEMO_PORT; --auth none) on
//      .vscode-test/demo-workspace with user settings pointing the extension at the simulator,
//      the extension loaded as a development extension (payload in the printed URL)
//   5. prints the URL, the demo token and the S2S credentials; Ctrl-C stops everything.
// Import: const { startDemo } = await import('./demo.mjs')  (used by scripts/screenshots.mjs)
// Only Node built-ins are imported statically: this runs before node_modules exists.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SetupError, ensureSetup } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cache = path.join(root, '.vscode-test');

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal})`)),
    );
  });
}

/** `port` if nothing listens on 127.0.0.1:port, else a free port. */
function usablePort(port) {
  const tryListen = (p) =>
    new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(undefined));
      srv.listen(p, '127.0.0.1', () => {
        const got = srv.address().port;
        srv.close(() => resolve(got));
      });
    });
  return tryListen(port).then((p) => p ?? tryListen(0));
}

/** Starts the simulator CLI; resolves with its --json line and the child. */
function startSimulatorProcess(port, { entries, seed, log }) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'out', 'test', 'simulator', 'cli.js'),
        '--port',
        String(port),
        '--seed',
        String(seed),
        '--entries',
        String(entries),
        // A second Zoom account with other data, tokens and app, to show several accounts side by side.
        '--account',
        'SimAcct-7fQ2xK9LmN',
        '--account',
        `SimLabs-4hT8:${seed + 4}:${Math.max(100, Math.round(entries / 3))}`,
        '--json',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator did not start in 60 s:\n${out}${err}`));
    }, 60_000);
    child.stderr.on('data', (b) => {
      err += b;
      log?.(`[simulator] ${String(b).trimEnd()}`);
    });
    child.stdout.on('data', (b) => {
      out += b;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line || !out.endsWith('\n')) return;
      try {
        const info = JSON.parse(line);
        clearTimeout(timer);
        resolve({
          child,
          info,
          text: out
            .split('\n')
            .filter((l) => l && !l.startsWith('{'))
            .join('\n'),
        });
      } catch {
        /* wait for the rest */
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code ?? signal}) before starting:\n${out}${err}`));
    });
  });
}

/**
 * Builds, starts the simulator and code-server. Returns { url, baseUrl, sim, codeServer, close }.
 * @param {{ simPort?: number, port?: number, build?: boolean, entries?: number, seed?: number,
 *           workspace?: string, userDataDir?: string, extensionsDir?: string, settings?: Record<string, unknown>,
 *           log?: (s: string) => void }} [opts]
 */
export async function startDemo(opts = {}) {
  const log = opts.log ?? ((s) => console.log(s));
  const { codeServer: cs } = await ensureSetup({ root, log: (l) => log(`[setup] ${l}`) });
  if (cs?.installedNow) log(`[demo] installed code-server ${cs.version}`);
  if (opts.build !== false) {
    log('[demo] building (node esbuild.js --tests) ...');
    await run(process.execPath, ['esbuild.js', '--tests']);
  }

  const wantedSim = opts.simPort ?? Number(process.env.DEMO_SIM_PORT || 8080);
  const simPort = await usablePort(wantedSim);
  if (wantedSim !== 0 && simPort !== wantedSim) log(`[demo] port ${wantedSim} is busy; the simulator uses ${simPort}`);
  const sim = await startSimulatorProcess(simPort, { entries: opts.entries ?? 20000, seed: opts.seed ?? 1, log });

  let server;
  const close = async () => {
    await server?.close().catch(() => undefined);
    if (sim.child.exitCode === null && sim.child.signalCode === null) {
      const gone = new Promise((r) => sim.child.once('exit', r));
      sim.child.kill('SIGTERM');
      const t = setTimeout(() => sim.child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    }
  };

  try {
    const { startCodeServer } = require(path.join(root, 'out', 'test', 'host', 'codeServer.js'));
    const { remoteUri, workbenchUrl } = require(path.join(root, 'out', 'test', 'host', 'workbench.js'));
    const workspace = opts.workspace ?? path.join(cache, 'demo-workspace');
    const userDataDir = opts.userDataDir ?? path.join(cache, 'demo-user-data');
    const extensionsDir = opts.extensionsDir ?? path.join(cache, 'demo-extensions');
    fs.mkdirSync(workspace, { recursive: true });
    const readme = path.join(workspace, 'README.md');
    if (!fs.existsSync(readme)) {
      fs.writeFileSync(
        readme,
        '# Zoom Operation Logs demo\n\nOpen the Zoom icon in the activity bar, choose **Set Access Token** and paste the demo token printed by `npm run demo`.\n',
      );
    }
    const wantedPort = opts.port ?? Number(process.env.DEMO_PORT || 8081);
    const port = await usablePort(wantedPort);
    if (wantedPort !== 0 && port !== wantedPort) log(`[demo] port ${wantedPort} is busy; code-server uses ${port}`);
    server = await startCodeServer({
      workspace,
      port,
      userDataDir,
      extensionsDir,
      settings: {
        'zoomOperationLogs.apiBaseUrl': sim.info.apiBaseUrl,
        'zoomOperationLogs.oauthBaseUrl': sim.info.oauthBaseUrl,
        'zoomOperationLogs.timeZone': 'UTC',
        ...opts.settings,
      },
    });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.port, root)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = workbenchUrl(server, workspace, payload);
    return { url, baseUrl: server.url, sim: sim.info, simText: sim.text, codeServer: server, close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function main() {
  const demo = await startDemo();
  const s = demo.sim;
  const lines = [
    '',
    '━━━━ Zoom Operation Logs demo ━━━━',
    `Open in a browser (VS Code ${'1.100.3'} in code-server, with the extension loaded):`,
    '',
    `  ${demo.url}`,
    '',
    `Zoom API simulator: ${s.apiBaseUrl}  (${s.entries} entries, seed ${s.seed}, ${s.from} to ${s.to})`,
    '',
    'In the Zoom view (activity bar), sign in with either:',
    `  Set Access Token:        ${s.token}`,
    '  Sign In with Server-to-Server OAuth:',
    `    Account ID:            ${s.accountId}`,
    `    Client ID:             ${s.clientId}`,
    `    Client secret:         ${s.clientSecret}`,
    '',
    ...(s.accounts ?? [])
      .slice(1)
      .flatMap((a) => [
        `A second account (${a.id}, ${a.entries} entries): run Zoom: Add Zoom Account, choose "Other base URLs…":`,
        `    API base URL:          ${a.apiBaseUrl}`,
        `    OAuth base URL:        ${a.oauthBaseUrl}`,
        `  then "Server-to-Server OAuth app": account ID ${a.accountId}, client ID ${a.clientId},`,
        `  client secret ${a.clientSecret} (or the access token ${a.token}).`,
        '',
      ]),
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[demo] ${signal}: stopping code-server and the simulator ...`);
    demo.close().then(
      () => {
        console.log('[demo] stopped');
        process.exit(0);
      },
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`[${e instanceof SetupError ? 'setup' : 'demo'}] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
