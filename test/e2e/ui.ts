// Person-like actions on the VS Code workbench (code-server in Chromium) for the e2e
// tests and scripts/screenshots.mjs. Every wait is a locator with a timeout.
import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { repoRoot } from '../host/codeServer';
import { openWorkbench, type Workbench } from '../host/workbench';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator';

export const T = { short: 10_000, long: 30_000 };

/** Screenshots numbered in order: dir/NN-name.png. */
export function screenshotter(page: Page, dir: string): (name: string) => Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (name) => {
    n++;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, timeout: T.short }).catch(() => undefined);
    return file;
  };
}

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Waits until the quick input is shown and its title (or placeholder) matches. */
export async function waitQuickInput(page: Page, title: RegExp, timeout = T.long): Promise<Locator> {
  const qi = quickInput(page);
  await qi.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout });
  return qi;
}

/** A quick-pick row whose label is exactly `label`. */
export function quickPickRow(page: Page, label: string): Locator {
  return quickInput(page)
    .locator('.quick-input-list .monaco-list-row')
    .filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) }),
    });
}

export async function clickQuickPick(page: Page, label: string, timeout = T.long): Promise<void> {
  const row = quickPickRow(page, label).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
}

/**
 * F1, type the command's title, run it. The whole sequence is retried (three times at most): F1 may be
 * swallowed while the workbench starts, and a notification or a view taking focus can close the quick
 * input between opening it and typing.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const qi = quickInput(page);
  const input = qi.locator('input.input');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      const row = quickPickRow(page, title).first();
      await row.waitFor({ state: 'visible', timeout: attempt === 2 ? T.long : T.short });
      await row.click({ timeout: 5_000 });
      return;
    } catch (e) {
      lastError = e;
      await page.keyboard.press('Escape').catch(() => undefined);
      await page
        .locator('.part.statusbar')
        .click({ position: { x: 5, y: 5 } })
        .catch(() => undefined);
    }
  }
  throw lastError;
}

export function activityBarItem(page: Page, name: string): Locator {
  return page.locator(`.part.activitybar .action-item .action-label[aria-label^="${name}"]`).first();
}

/** The Operation Logs view pane. */
export function logsPane(page: Page): Locator {
  return page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: /Operation Logs/i }) })
    .first();
}

/** The Findings view pane. */
export function findingsPane(page: Page): Locator {
  return page
    .locator('.pane')
    .filter({ has: page.locator('.pane-header', { hasText: /Findings/i }) })
    .first();
}

export async function openZoomView(page: Page): Promise<Locator> {
  const item = activityBarItem(page, 'Zoom');
  await item.waitFor({ state: 'visible', timeout: T.long });
  const selected = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
  if (!selected) await item.click();
  const pane = logsPane(page);
  await pane.waitFor({ state: 'visible', timeout: T.long });
  return pane;
}

/** Signs in through the view's "Set Access Token" welcome button and the masked input box. */
export async function signInWithToken(page: Page, token: string, after?: () => Promise<unknown>): Promise<void> {
  const pane = logsPane(page);
  const button = pane.locator('.welcome-view-content').getByRole('button', { name: 'Set Access Token' });
  await button.waitFor({ state: 'visible', timeout: T.long });
  await button.click();
  const input = quickInput(page).locator('input.input');
  await input.waitFor({ state: 'visible', timeout: T.long });
  if ((await input.getAttribute('type')) !== 'password') throw new Error('the access token input box is not masked');
  await input.pressSequentially(token, { delay: 10 });
  await after?.();
  await input.press('Enter');
  // Signed in: the welcome switches to "No query yet" / the fetch button.
  await pane
    .locator('.welcome-view-content')
    .getByRole('button', { name: 'Fetch Operation Logs' })
    .or(pane.locator('.monaco-list-row').first())
    .first()
    .waitFor({ state: 'visible', timeout: T.long });
}

/** Runs Fetch Operation Logs from the palette: range `range`, all categories. */
export async function fetchLogs(
  page: Page,
  range: string,
  hooks: { rangeOpen?: () => Promise<unknown>; categoriesOpen?: () => Promise<unknown> } = {},
): Promise<void> {
  await runCommand(page, 'Zoom: Fetch Operation Logs');
  await waitQuickInput(page, /range/i);
  await quickPickRow(page, range).first().waitFor({ state: 'visible', timeout: T.long });
  await hooks.rangeOpen?.();
  await clickQuickPick(page, range);
  await waitQuickInput(page, /categories/i);
  await hooks.categoriesOpen?.();
  await quickInput(page).locator('input.input').press('Enter');
  await quickInput(page).waitFor({ state: 'hidden', timeout: T.long });
}

/** A tree row of the logs view whose label starts with `label` (aria-level 1 = category). */
export function treeRow(page: Page, label: string | RegExp, level?: number): Locator {
  const rows = logsPane(page).locator(`.monaco-list-row${level ? `[aria-level="${level}"]` : ''}`);
  return rows.filter({
    has: page.locator('.label-name', {
      hasText: typeof label === 'string' ? new RegExp(`^\\s*${escapeRe(label)}\\s*$`) : label,
    }),
  });
}

export async function expand(row: Locator): Promise<void> {
  await row.waitFor({ state: 'visible', timeout: T.long });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await expectAttr(row, 'aria-expanded', 'true');
}

async function expectAttr(loc: Locator, name: string, value: string, timeout = T.long): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await loc.getAttribute(name)) !== value) {
    if (Date.now() > deadline) throw new Error(`${name} did not become ${value}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Rows at `level` directly after `parent` (the parent's children, in order). */
export async function childRows(page: Page, parent: Locator, level: number): Promise<Locator> {
  const parentIndex = Number(await parent.getAttribute('data-index'));
  const rows = logsPane(page).locator(`.monaco-list-row[aria-level="${level}"]`);
  await rows.first().waitFor({ state: 'visible', timeout: T.long });
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const r = rows.nth(i);
    if (Number(await r.getAttribute('data-index')) > parentIndex) return r;
  }
  throw new Error(`no level-${level} row after row ${parentIndex}`);
}

/** The webview frame whose document has `selector` (webviews are nested iframes). */
export async function webviewFrame(page: Page, selector: string, timeout = T.long): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const found = await f
        .locator(selector)
        .count()
        .catch(() => 0);
      if (found > 0) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with ${selector} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The active editor tab. */
export function activeTab(page: Page): Locator {
  return page.locator('.part.editor .tabs-container .tab.active').first();
}

/** Visible text of the active text editor (Monaco renders only the lines in view). */
export async function activeEditorText(page: Page): Promise<string> {
  const lines = page.locator('.part.editor .editor-instance .monaco-editor .view-lines').first();
  await lines.waitFor({ state: 'visible', timeout: T.long });
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What {@link workbenchWithSimulator} gives a browser test once its `before` hook ran. */
export interface SimulatedWorkbench {
  sim: Simulator;
  wb: Workbench;
  shot: (name: string) => Promise<string>;
}

/**
 * Registers the `before`/`after` hooks every browser test shares: a simulator, code-server pointed at it
 * (UTC dates, no preview tabs, plus `settings`), numbered screenshots in test-artifacts/<artifacts>/, and a
 * screenshot named "failure" when a test fails. Call it inside `describe`; read the fields inside tests.
 */
export function workbenchWithSimulator(
  artifacts: string,
  simOptions: SimulatorOptions,
  settings: Record<string, unknown> = {},
): SimulatedWorkbench {
  const dir = path.join(repoRoot(), 'test-artifacts', artifacts);
  const ctx = {} as SimulatedWorkbench;
  before(async function () {
    fs.rmSync(dir, { recursive: true, force: true });
    ctx.sim = await startSimulator({ port: 0, ...simOptions });
    ctx.wb = await openWorkbench({
      settings: {
        'zoomOperationLogs.apiBaseUrl': ctx.sim.apiBaseUrl,
        'zoomOperationLogs.oauthBaseUrl': ctx.sim.oauthBaseUrl,
        'zoomOperationLogs.timeZone': 'UTC',
        'workbench.editor.enablePreview': false,
        ...settings,
      },
    });
    ctx.shot = screenshotter(ctx.wb.page, dir);
  });
  after(async function () {
    if (this.currentTest?.state === 'failed' && ctx.wb) await ctx.shot('failure');
    await ctx.wb?.close();
    await ctx.sim?.close();
  });
  return ctx;
}
