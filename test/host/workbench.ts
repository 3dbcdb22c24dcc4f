// For e2e tests (test/e2e/**/*.test.ts, mocha in plain Node): code-server with the
// extension under development loaded, and a Chromium page on its workbench.
//   const wb = await openWorkbench();  ...drive wb.page...;  await wb.close();
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { openPage } from './browser';
import { repoRoot, startCodeServer } from './codeServer';
import type { CodeServer } from './codeServer';

/** vscode-remote://127.0.0.1:PORT/abs/path: a path on the code-server machine. */
export function remoteUri(port: number, absPath: string): string {
  return `vscode-remote://127.0.0.1:${port}${pathToFileURL(absPath).pathname}`;
}

/** The workbench URL that opens `workspace` with the given development payload. */
export function workbenchUrl(server: { url: string }, workspace: string, payload: [string, string][]): string {
  return `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export interface Workbench {
  server: CodeServer;
  page: Page;
  workspace: string;
  close(): Promise<void>;
}

export async function openWorkbench(
  opts: { workspace?: string; extensionDevelopmentPath?: string; settings?: Record<string, unknown> } = {},
): Promise<Workbench> {
  const ownWorkspace = !opts.workspace;
  const workspace = opts.workspace ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-oplogs-ws-'));
  const server = await startCodeServer({ workspace, ...(opts.settings ? { settings: opts.settings } : {}) });
  const browser = await openPage().catch(async (e: unknown) => {
    await server.close();
    throw e;
  });
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remoteUri(server.port, opts.extensionDevelopmentPath ?? repoRoot())],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  await browser.page.goto(workbenchUrl(server, workspace, payload), { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await browser.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return {
    server,
    page: browser.page,
    workspace,
    close: async () => {
      await browser.close();
      await server.close();
      if (ownWorkspace) fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}
