// Runs the integration suite (out/test/integration/index.js) inside a real VS Code:
// code-server 4.100.3 (VS Code 1.100.3) in headless Chromium, offline. The suite's
// run() executes in code-server's Node extension host exactly as it would under
// @vscode/test-electron (see electron.ts for that host).
//
//   node out/test/host/runIntegration.js        (after `node esbuild.js --tests`)
//
// Prints the suite's output prefixed with "[vscode] ", then one line
//   INTEGRATION-HOST {"passed":N,"failed":M,"vscode":"1.100.3","codeServer":"4.100.3",...}
// and exits non-zero on failure. Screenshots of a failed run go to test-artifacts/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openPage } from './browser';
import { CODE_SERVER_VERSION, codeServerEntry, repoRoot, startCodeServer } from './codeServer';
import { remoteUri, workbenchUrl } from './workbench';

export const RESULT_PREFIX = 'INTEGRATION-RESULT ';

export interface IntegrationResult {
  passed: number;
  failed: number;
  /** vscode.version as reported by the suite from inside the extension host. */
  vscode: string | undefined;
  codeServer: string;
  /** Argument of codeAutomationExit (0 when run() resolved); undefined on timeout. */
  exitCode: number | undefined;
  timedOut: boolean;
  durationMs: number;
  screenshot?: string;
}

export interface RunIntegrationOptions {
  extensionDevelopmentPath?: string;
  /** Module exporting run(); default <repo>/out/test/integration/index */
  extensionTestsPath?: string;
  /** Folder opened in the workbench; default: a new empty temp folder. */
  workspace?: string;
  timeoutMs?: number;
  /** Receives every line from the extension host (default: stdout with "[vscode] "). */
  log?: (line: string) => void;
  /** Also show code-server's own log lines (noisy; offline errors are harmless). */
  verboseServer?: boolean;
}

/** code-server's own version line, e.g. "4.100.3 409c64e… with Code 1.100.3". */
export function codeServerVersionLine(): string {
  const out = execFileSync(process.execPath, [codeServerEntry(), '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CODE_SERVER_CONFIG: path.join(os.tmpdir(), 'code-server-version-config.yaml') },
  });
  return (out.split('\n').find((l) => /^\d+\.\d+\.\d+ /.test(l.trim())) ?? out).trim();
}

/** Errors of a workbench without network (marketplace, GitHub): one line, not a stack. */
const OFFLINE_NOISE = /ENOTFOUND|EAI_AGAIN|open-vsx\.org|api\.github\.com|marketplace/i;

function formatArgs(args: unknown): string {
  if (typeof args === 'string') return args;
  if (Array.isArray(args)) return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return JSON.stringify(args);
}

async function screenshot(page: Page, root: string, name: string): Promise<string | undefined> {
  try {
    const dir = path.join(root, 'test-artifacts');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  } catch {
    return undefined;
  }
}

export async function runIntegration(opts: RunIntegrationOptions = {}): Promise<IntegrationResult> {
  const started = Date.now();
  const root = repoRoot();
  const log = opts.log ?? ((line: string) => console.log(`[vscode] ${line}`));
  const extensionDevelopmentPath = opts.extensionDevelopmentPath ?? process.env.EXTENSION_DEVELOPMENT_PATH ?? root;
  const extensionTestsPath =
    opts.extensionTestsPath ??
    process.env.EXTENSION_TESTS_PATH ??
    path.join(root, 'out', 'test', 'integration', 'index');
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  if (!fs.existsSync(`${extensionTestsPath}.js`) && !fs.existsSync(extensionTestsPath)) {
    throw new Error(`${extensionTestsPath}.js not found: run node esbuild.js --tests first`);
  }

  const versionLine = codeServerVersionLine();
  const codeMatch = /with Code (\S+)/.exec(versionLine);
  console.log(
    `[host] VS Code ${codeMatch?.[1] ?? '?'} (code-server ${versionLine.split(' ')[0]}) in headless Chromium`,
  );

  const ownWorkspace = !opts.workspace;
  const workspace = opts.workspace ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-oplogs-ws-'));
  const server = await startCodeServer({
    workspace,
    onLog: opts.verboseServer ? (l) => console.log(`[code-server] ${l}`) : undefined,
  });
  console.log(`[host] code-server answering on ${server.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  let browser: Awaited<ReturnType<typeof openPage>> | undefined;
  let resultLine: { passed: number; failed: number; vscode?: string } | undefined;
  let exitCode: number | undefined;
  let timedOut = false;
  let shot: string | undefined;
  try {
    browser = await openPage();
    const { page } = browser;
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
      let text = formatArgs(args);
      if (type === 'error' && OFFLINE_NOISE.test(text)) text = `${text.split('\n')[0]} (no network: harmless)`;
      for (const line of text.split('\n')) {
        if (line.startsWith(RESULT_PREFIX)) {
          try {
            resultLine = JSON.parse(line.slice(RESULT_PREFIX.length));
          } catch {
            /* keep looking */
          }
        }
        log(type === 'error' || type === 'warn' ? `${type}: ${line}` : line);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => {
      resolveExit(typeof code === 'number' ? code : Number(code) || 1);
    });
    page.on('pageerror', (e) => console.log(`[page] error: ${e.message}`));

    const payload: [string, string][] = [
      ['extensionDevelopmentPath', remoteUri(server.port, extensionDevelopmentPath)],
      ['extensionTestsPath', remoteUri(server.port, extensionTestsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = workbenchUrl(server, workspace, payload);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      timedOut = true;
      console.log(`[host] timed out after ${timeoutMs / 1000} s waiting for the suite to finish`);
    } else {
      exitCode = outcome;
    }
    if (timedOut || exitCode !== 0 || !resultLine || resultLine.failed > 0) {
      shot = await screenshot(page, root, 'integration-failure');
      if (shot) console.log(`[host] screenshot: ${path.relative(root, shot)}`);
    }
  } finally {
    await browser?.close();
    await server.close();
    if (ownWorkspace) fs.rmSync(workspace, { recursive: true, force: true });
  }

  let failed = resultLine?.failed ?? 0;
  // A run that never reported, or whose exit disagrees with its count, failed as a whole.
  if (!resultLine || timedOut || (exitCode !== 0 && failed === 0)) failed += 1;
  const result: IntegrationResult = {
    passed: resultLine?.passed ?? 0,
    failed,
    vscode: resultLine?.vscode,
    codeServer: CODE_SERVER_VERSION,
    exitCode,
    timedOut,
    durationMs: Date.now() - started,
    ...(shot ? { screenshot: shot } : {}),
  };
  return result;
}

if (require.main === module) {
  runIntegration()
    .then((r) => {
      console.log(
        `[host] suite ran in VS Code ${r.vscode ?? '(unknown: suite did not report)'} (code-server ${r.codeServer}): ` +
          `${r.passed} passed, ${r.failed} failed in ${(r.durationMs / 1000).toFixed(1)} s`,
      );
      console.log(`INTEGRATION-HOST ${JSON.stringify(r)}`);
      process.exitCode = r.failed > 0 ? 1 : 0;
    })
    .catch((e: unknown) => {
      console.error(`[host] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 2;
    });
}
