#!/usr/bin/env node
// `npm run screenshots`: README screenshots in docs/images/, taken from the demo setup
// (scripts/demo.mjs: simulator with 20000 entries, seed 1, code-server with the extension)
// driven by Playwright in headless Chromium at 1280x800:
//   fetch.png   the range quick pick of "Zoom: Fetch Operation Logs"
//   tree.png    the view with categories, one date and its entries expanded
//   entry.png   the webview showing one entry
//   export.png  a CSV export in a new editor tab
// Uses free ports and throw-away profile folders, so it can run beside `npm run demo`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startDemo } from './demo.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outDir = path.join(root, 'docs', 'images');
const WIDTH = 1280;
const HEIGHT = 800;
const SIDEBAR_WIDTH = 470;
const MAX_BYTES = 250 * 1024;

async function main() {
  const t0 = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-oplogs-shots-'));
  const demo = await startDemo({
    simPort: 0,
    port: 0,
    userDataDir: path.join(tmp, 'user-data'),
    extensionsDir: path.join(tmp, 'extensions'),
    workspace: path.join(tmp, 'zoom-demo'),
    settings: {
      'editor.minimap.enabled': false,
      'workbench.editor.enablePreview': false,
      'editor.lineHeight': 28,
      'editor.renderLineHighlight': 'none',
    },
    log: (s) => console.log(s),
  });
  // Built by startDemo (node esbuild.js --tests).
  const { launchBrowser } = require(path.join(root, 'out', 'test', 'host', 'browser.js'));
  const ui = require(path.join(root, 'out', 'test', 'e2e', 'ui.js'));
  let browser;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(demo.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    fs.mkdirSync(outDir, { recursive: true });
    const saved = [];
    const shot = async (name) => {
      await page.mouse.move(WIDTH - 5, HEIGHT / 2); // no hover tooltips
      await page.waitForTimeout(400); // let animations settle
      const file = path.join(outDir, name);
      await page.screenshot({ path: file });
      saved.push(file);
      console.log(`[screenshots] ${path.relative(root, file)} ${(fs.statSync(file).size / 1024).toFixed(0)} KB`);
    };
    const clearNotifications = async () => {
      await ui.runCommand(page, 'Notifications: Clear All Notifications');
      await page
        .locator('.notification-toast')
        .first()
        .waitFor({ state: 'hidden', timeout: 10_000 })
        .catch(() => undefined);
    };

    await ui.openZoomView(page);
    await widenSidebar(page);
    await ui.signInWithToken(page, demo.sim.token);
    await clearNotifications();

    await ui.fetchLogs(page, 'Last 7 days', { rangeOpen: () => shot('fetch.png') });
    const user = ui.treeRow(page, 'User', 1).first();
    await ui.expand(user);
    const date = await ui.childRows(page, user, 2);
    await ui.expand(date);
    const entry = await ui.childRows(page, date, 3);
    await clearNotifications();
    await shot('tree.png');

    await entry.click();
    const frame = await ui.webviewFrame(page, '#json');
    await frame.locator('#json').filter({ hasText: 'operation_detail' }).waitFor({ timeout: 30_000 });
    await shot('entry.png');

    await ui.runCommand(page, 'Zoom: Export Operation Logs');
    await ui.waitQuickInput(page, /Export format/);
    await ui.clickQuickPick(page, 'CSV');
    await ui
      .activeTab(page)
      .filter({ hasText: /Untitled/ })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('.part.editor .monaco-editor .view-lines', { hasText: 'operation_detail' })
      .first()
      .waitFor({ timeout: 30_000 });
    await shot('export.png');

    const big = saved.filter((f) => fs.statSync(f).size > MAX_BYTES);
    if (big.length)
      console.warn(
        `[screenshots] warning: over ${MAX_BYTES / 1024} KB: ${big.map((f) => path.basename(f)).join(', ')}`,
      );
    console.log(`[screenshots] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await browser?.close().catch(() => undefined);
    await demo.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Drags the sidebar's edge so tree labels are not cut short. */
async function widenSidebar(page) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= SIDEBAR_WIDTH) return;
  const x = box.x + box.width - 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + SIDEBAR_WIDTH, y, { steps: 8 });
  await page.mouse.up();
}

main().catch((e) => {
  console.error(`[screenshots] ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  process.exitCode = 1;
});
