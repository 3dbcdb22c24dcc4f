// Activation inside the real VS Code host, run as a child of bench/run.ts:
//   node out/bench/activationHost.js
// Starts a simulator, then code-server (VS Code 1.100.3) with the simulator as
// zoomOperationLogs.apiBaseUrl / oauthBaseUrl in user settings, opens the workbench in
// headless Chromium with the extension under development (the repository root, whose
// main is dist/extension.js; bench/run.ts passes a private production build in
// BENCH_EXTENSION_PATH so a concurrent dev build of dist/ cannot change the figure) and bench/activationTests
// as extensionTests module. Reports the time of the first ext.activate() and the
// simulator's request count up to the end of activation and one second after it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPage } from '../test/host/browser';
import { repoRoot, startCodeServer } from '../test/host/codeServer';
import { remoteUri, workbenchUrl } from '../test/host/workbench';
import { startSimulator } from '../test/simulator';
import { emit } from './common';

interface Activation {
  ms?: number;
  /** Ms inside the extension's own activate(). */
  bodyMs?: number;
  /** The extension's dist/*.js files loaded when activate() returned. */
  bundles?: string[];
  wasActive?: boolean;
  apiBaseUrl?: string;
  vscode?: string;
  node?: string;
  error?: string;
}

function text(args: unknown): string {
  if (typeof args === 'string') return args;
  if (Array.isArray(args)) return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return JSON.stringify(args);
}

async function main(): Promise<void> {
  const started = Date.now();
  const root = repoRoot();
  // bench/run.ts passes a private copy built with `node esbuild.js --production`.
  const extensionPath = process.env.BENCH_EXTENSION_PATH ?? root;
  const sim = await startSimulator({ seed: 3, entries: 2000 });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-oplogs-bench-ws-'));
  const server = await startCodeServer({
    workspace,
    settings: { 'zoomOperationLogs.apiBaseUrl': sim.apiBaseUrl, 'zoomOperationLogs.oauthBaseUrl': sim.oauthBaseUrl },
  });
  let browser: Awaited<ReturnType<typeof openPage>> | undefined;
  let activation: Activation | undefined;
  let requestsAtActivation: number | undefined;
  let requestsSettled: number | undefined;
  try {
    browser = await openPage();
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await browser.page.exposeFunction('codeAutomationLog', (_type: unknown, args: unknown) => {
      for (const line of text(args).split('\n')) {
        if (line.startsWith('BENCH-ACTIVATION ')) {
          requestsAtActivation = sim.requests.length;
          activation = JSON.parse(line.slice('BENCH-ACTIVATION '.length)) as Activation;
        } else if (line.startsWith('BENCH-ACTIVATION-SETTLED')) {
          requestsSettled = sim.requests.length;
          done();
        }
      }
    });
    await browser.page.exposeFunction('codeAutomationExit', () => done());
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', remoteUri(server.port, extensionPath)],
      ['extensionTestsPath', remoteUri(server.port, path.join(root, 'out', 'bench', 'activationTests'))],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    await browser.page.goto(workbenchUrl(server, workspace, payload), {
      waitUntil: 'domcontentloaded',
      timeout: 60_000,
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, 150_000)))]);
    clearTimeout(timer);
  } finally {
    await browser?.close();
    await server.close();
    await sim.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  emit({
    ...activation,
    requestsDuringActivation: requestsAtActivation,
    requestsWithin1sAfter: requestsSettled,
    simulatorPaths: [...new Set(sim.requests.map((r) => `${r.method} ${r.path}`))],
    hostSeconds: (Date.now() - started) / 1000,
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
