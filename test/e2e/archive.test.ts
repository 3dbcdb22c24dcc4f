// End to end: sign in, Zoom: Sync Archive (naming the token's account once), and the Archive view
// with its horizon warning, in code-server driven by Playwright. Writes docs/images/archive-coverage.png.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { openWorkbench, type Workbench } from '../host/workbench';
import { startSimulator, type Simulator } from '../simulator';
import { T, openZoomView, quickInput, runCommand, screenshotter, signInWithToken } from './ui';

const ARTIFACTS = path.join(repoRoot(), 'test-artifacts', 'e2e-archive');

describe('e2e: Sync Archive and the Archive view (code-server + Chromium)', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let wb: Workbench | undefined;
  let folder: string;
  let shot: (name: string) => Promise<string>;

  before(async function () {
    // Zoom refuses the oldest days of six months here, so the archive misses them and warns.
    sim = await startSimulator({ port: 0, seed: 1, entries: 6000, horizonDays: 176 });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-archive-e2e-'));
    wb = await openWorkbench({
      settings: {
        'zoomOperationLogs.apiBaseUrl': sim.apiBaseUrl,
        'zoomOperationLogs.oauthBaseUrl': sim.oauthBaseUrl,
        'zoomOperationLogs.timeZone': 'UTC',
        'zoomOperationLogs.archiveFolder': folder,
      },
    });
    shot = screenshotter(wb.page, ARTIFACTS);
  });

  after(async function () {
    if (this.currentTest?.state === 'failed' && wb) await shot('failure');
    await wb?.close();
    await sim?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('syncs, then shows months and days with the horizon warning', async () => {
    const page = wb!.page;
    await openZoomView(page);
    await signInWithToken(page, sim.token);
    await runCommand(page, 'Zoom: Sync Archive');
    const input = quickInput(page).locator('input.input');
    await input.waitFor({ state: 'visible', timeout: T.long });
    await input.fill('acme-production');
    await input.press('Enter');
    const pane = page
      .locator('.pane')
      .filter({ has: page.locator('.pane-header', { hasText: /^\s*Archive/i }) })
      .first();
    await pane.waitFor({ state: 'visible', timeout: T.long });
    // The sync is over when the summary names the last sync.
    await pane
      .locator('.monaco-list-row', { hasText: /last sync/ })
      .first()
      .waitFor({ state: 'visible', timeout: 120_000 });
    const warning = pane.locator('.monaco-list-row', { hasText: /unrecoverable in \d+ days?: Sync now/ }).first();
    await warning.waitFor({ state: 'visible', timeout: T.long });
    await runCommand(page, 'Notifications: Clear All Notifications');
    const month = pane.locator('.monaco-list-row[aria-level="1"]', { hasText: /\d+\/\d+ complete/ }).first();
    await month.click();
    await pane.locator('.monaco-list-row[aria-level="2"]').first().waitFor({ state: 'visible', timeout: T.long });
    // Give the Operation Logs view less room so the Archive view shows its days.
    await page.mouse.move(0, 0);
    assert.ok(fs.existsSync(folder) && fs.readdirSync(folder).some((n) => n.startsWith('account-')));
    await shot('archive-view');
    fs.mkdirSync(path.join(repoRoot(), 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot(), 'docs', 'images', 'archive-coverage.png') });
  });
});
