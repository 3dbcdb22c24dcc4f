// Shared set-up for integration tests: the extension's test API, a simulator
// the extension is pointed at through its real settings, and tree helpers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { accountArchiveDir } from '../../../src/archive';
import { SECTION, SETTING_KEYS, STATE_KEYS, type SettingKey } from '../../../src/config/keys';
import type { TestApi } from '../../../src/extension';
import type { LogTreeNode } from '../../../src/views/nodes';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

export const EXTENSION_ID = 'zoom-oplogs.zoom-operation-logs';
export const REPORT = '/v2/report/operationlogs';

export async function extensionApi(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, 'extension not installed');
  const api = await ext.activate();
  assert.ok(api, 'the test host gets the test API');
  return api;
}

export async function setSetting(key: SettingKey, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Starts a simulator and points the extension at it (user settings), UTC dates, fast retries. */
export async function simulatorForExtension(
  opts: SimulatorOptions = {},
  settings: Partial<Record<SettingKey, unknown>> = {},
): Promise<Simulator> {
  const sim = await startSimulator({ seed: 7, entries: 3000, rps: 0, ...opts });
  const all: Partial<Record<SettingKey, unknown>> = {
    apiBaseUrl: sim.apiBaseUrl,
    oauthBaseUrl: sim.oauthBaseUrl,
    timeZone: 'UTC',
    pageSize: 300,
    maxRequestsPerSecond: 50,
    requestTimeoutSeconds: 5,
    ...settings,
  };
  for (const [k, v] of Object.entries(all)) await setSetting(k as SettingKey, v);
  return sim;
}

/** Every setting back to its default (the keys come from src/config/keys.ts, so a new setting is included). */
export async function resetSettings(): Promise<void> {
  for (const k of SETTING_KEYS) await setSetting(k, undefined);
}

export async function children(api: TestApi, node?: LogTreeNode): Promise<LogTreeNode[]> {
  return api.view.provider.getChildren(node);
}

export function label(api: TestApi, node: LogTreeNode): string {
  const l = api.view.provider.getTreeItem(node).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

export function description(api: TestApi, node: LogTreeNode): string {
  const d = api.view.provider.getTreeItem(node).description;
  return typeof d === 'string' ? d : '';
}

export function reportRequests(sim: Simulator): number {
  return sim.count({ path: REPORT });
}

/** Waits until a condition holds (the view updates asynchronously). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Fields of an entry as Zoom sends them, for comparing with the simulator's data. */
export function rawKey(e: {
  time: string;
  operator: string;
  category_type: string;
  action: string;
  operation_detail: string;
}): string {
  return JSON.stringify([e.time, e.operator, e.category_type, e.action, e.operation_detail]);
}

/**
 * For archive tests: a simulator, a temporary archive folder (the `archiveFolder` setting), a token sign-in whose
 * archive is named `name` (what a bearer-token user gives once), and the archive open. `done()` signs out,
 * forgets the name, resets the settings, and removes the folder and the simulator.
 */
export async function archiveSetup(
  api: TestApi,
  name: string,
  opts: SimulatorOptions,
): Promise<{ sim: Simulator; root: string; dir: string; done: () => Promise<void> }> {
  const sim = await simulatorForExtension(opts);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-archive-it-'));
  await api.context.globalState.update(STATE_KEYS.archiveAccountName, name);
  await setSetting('archiveFolder', root);
  await vscode.commands.executeCommand('zoomOperationLogs.setToken', sim.token);
  const dir = accountArchiveDir(root, `name:${name}`);
  await until('the account archive is open', () => api.archive.service.archive?.dir === dir);
  const done = async (): Promise<void> => {
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    await api.context.globalState.update(STATE_KEYS.archiveAccountName, undefined);
    await resetSettings();
    await sim.close();
    fs.rmSync(root, { recursive: true, force: true });
  };
  return { sim, root, dir, done };
}

export type Shown = { level: string; message: string };

/** Records the notifications the extension shows while `run` runs (the API object is shared in this host). */
export async function recordMessages(run: () => PromiseLike<unknown>): Promise<Shown[]> {
  const shown: Shown[] = [];
  const w = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const originals = new Map<string, (...a: unknown[]) => Thenable<unknown>>();
  for (const level of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage']) {
    originals.set(level, w[level]);
    w[level] = (message: unknown) => {
      shown.push({ level, message: String(message) });
      return Promise.resolve(undefined);
    };
  }
  try {
    await run();
  } finally {
    for (const [level, fn] of originals) w[level] = fn;
  }
  return shown;
}
