// Starts code-server (VS Code 1.100.3 served over HTTP) for tests: the offline,
// headless stand-in for the VS Code build @vscode/test-electron would download.
// Install it first with `node scripts/install-code-server.mjs` (npm test does).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Settings written to <userDataDir>/User/settings.json unless overridden. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
};

export interface CodeServerOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** Fixed port; default: a free one. */
  port?: number;
  /** Default: a new temp folder, removed on close. */
  userDataDir?: string;
  /** Default: a new temp folder, removed on close. */
  extensionsDir?: string;
  /** Merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Receives each line code-server prints (default: kept only for errors). */
  onLog?: (line: string) => void;
  /** How long to wait for the HTTP port (default 60 s). */
  startTimeoutMs?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** Lines code-server has printed so far. */
  logs: string[];
  close(): Promise<void>;
}

/** The repository root: the nearest folder above this file with a package.json. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json')) || dir.endsWith(`${path.sep}node_modules`)) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export function codeServerEntry(root = repoRoot()): string {
  return path.join(
    root,
    '.vscode-test',
    `code-server-${CODE_SERVER_VERSION}`,
    'node_modules',
    'code-server',
    'out',
    'node',
    'entry.js',
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function httpAnswers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) > 0);
    });
    req.setTimeout(2000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills the process group started with `detached: true` (code-server and its extension hosts). */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server is not installed (${entry}); run: node scripts/install-code-server.mjs`);
  }
  const port = opts.port ?? (await freePort());
  const ownUserData = !opts.userDataDir;
  const ownExtensions = !opts.extensionsDir;
  const userDataDir = opts.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cs-user-'));
  const extensionsDir = opts.extensionsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cs-ext-'));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2),
  );

  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    opts.workspace,
  ];
  const child = spawn(process.execPath, args, {
    detached: true, // own process group, so close() can kill the whole tree
    stdio: ['ignore', 'pipe', 'pipe'],
    // CODE_SERVER_CONFIG keeps it from writing ~/.config/code-server/config.yaml.
    env: { ...process.env, CODE_SERVER_CONFIG: path.join(userDataDir, 'config.yaml'), ELECTRON_RUN_AS_NODE: undefined },
  });
  const logs: string[] = [];
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      logs.push(line);
      opts.onLog?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (!exited) {
      killTree(child, 'SIGTERM');
      const t = await Promise.race([exitPromise.then(() => 'exited'), sleep(5000).then(() => 'timeout')]);
      if (t === 'timeout') killTree(child, 'SIGKILL');
    }
    // Extension hosts may outlive the server process: clean the group regardless.
    killTree(child, 'SIGKILL');
    if (ownUserData) fs.rmSync(userDataDir, { recursive: true, force: true });
    if (ownExtensions) fs.rmSync(extensionsDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (!(await httpAnswers(`${url}/healthz`))) {
    if (exited) {
      await close();
      throw new Error(
        `code-server exited (${exited.code ?? exited.signal}) before answering:\n${logs.slice(-30).join('\n')}`,
      );
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`code-server did not answer on ${url} in time:\n${logs.slice(-30).join('\n')}`);
    }
    await sleep(200);
  }
  return { url, port, userDataDir, extensionsDir, logs, close };
}
