// End to end: sign in, Zoom: Sync Archive (naming the token's account once), and the Archive view
// with its horizon warning, in code-server driven by Playwright. Writes docs/images/archive-coverage.png.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { openWorkbench, type Workbench } from '../host/workbench';
import { startSimulator, type Simulator } from '../simulator';
import {
  T,
  expand,
  fetchLogs,
  logsPane,
  openZoomView,
  quickInput,
  runCommand,
  screenshotter,
  signInWithToken,
  treeRow,
  webviewFrame,
} from './ui';

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

  it('syncs, then shows months and days (refused days gone, no warning), and the overview’s coverage strip', async () => {
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
    // Days Zoom already refused are gone, not at risk: with every day Zoom still has archived, no warning.
    await pane
      .locator('.monaco-list-row', { hasText: /\d+ gone/ })
      .first()
      .waitFor({ state: 'visible', timeout: T.long });
    assert.equal(await pane.locator('.monaco-list-row', { hasText: /unrecoverable in/ }).count(), 0);
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

    // The activity overview shows the archive's coverage of its range as a strip of days.
    await runCommand(page, 'Zoom: Show Activity Overview');
    const dialog = page.locator('.monaco-dialog-box');
    const frameReady = webviewFrame(page, 'figure.coverage', 60_000);
    // Today comes from Zoom (1 request), so the overview asks first.
    if (
      await dialog.waitFor({ state: 'visible', timeout: T.short }).then(
        () => true,
        () => false,
      )
    ) {
      await dialog.getByRole('button', { name: 'Load the Whole Range' }).click();
    }
    const frame = await frameReady;
    const squares = frame.locator('figure.coverage .day');
    assert.equal(await squares.count(), 7, 'one square per day of the last 7 days');
    assert.equal(await frame.locator('figure.coverage rect.cov-complete').count(), 6, 'six archived complete days');
    assert.equal(await frame.locator('figure.coverage rect.cov-incomplete').count(), 1, 'today is incomplete');
    assert.match(await frame.locator('figure.coverage figcaption').innerText(), /6 of 7 days complete/);
    const file = await shot('overview-coverage');
    fs.copyFileSync(file, path.join(repoRoot(), 'docs', 'images', 'overview-coverage.png'));
  });

  it('a day file deleted by hand: its date warns in the tree, says why, and Fetch again from Zoom repairs it', async () => {
    const page = wb!.page;
    const account = fs.readdirSync(folder).find((n) => n.startsWith('account-'))!;
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, account, 'manifest.json'), 'utf8')) as {
      days: Record<string, { complete: boolean; categories: Record<string, number> }>;
    };
    const today = new Date().toISOString().slice(0, 10);
    const day = Object.keys(manifest.days)
      .filter((d) => d < today && manifest.days[d].complete && (manifest.days[d].categories['User'] ?? 0) > 0)
      .sort()
      .pop()!;
    assert.ok(day, 'an archived day of the last week with User entries');
    const dayFile = path.join(folder, account, day.slice(0, 4), day.slice(5, 7), `${day}.ndjson.gz`);
    fs.rmSync(dayFile);
    await page.keyboard.press('Escape');
    await fetchLogs(page, 'Last 7 days');
    const user = treeRow(page, 'User', 1).first();
    await expand(user);
    const date = logsPane(page)
      .locator('.monaco-list-row[aria-level="2"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${day}`) }) })
      .first();
    await expand(date);
    const message = logsPane(page).locator('.monaco-list-row[aria-level="3"]', { hasText: /its file is missing/ });
    await message.waitFor({ state: 'visible', timeout: T.long });
    assert.match(
      await message.innerText(),
      /Archived day \d{4}-\d{2}-\d{2}: its file is missing\.[\s\S]*Fetch again from Zoom/,
    );
    await date.filter({ hasText: /archive damaged/ }).waitFor({ state: 'visible', timeout: T.short });
    await shot('damaged-day');
    assert.match(
      await logsPane(page).locator('.pane-body').first().innerText(),
      new RegExp(
        `archived day ${day} could not be read \\(its file is missing or changed\\); its date says what to do`,
      ),
    );
    await message.click();
    for (const deadline = Date.now() + 60_000; !fs.existsSync(dayFile);) {
      assert.ok(Date.now() < deadline, 'the day was not fetched again within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    await runCommand(page, 'Notifications: Clear All Notifications');
    await fetchLogs(page, 'Last 7 days');
    await expand(treeRow(page, 'User', 1).first());
    const repaired = logsPane(page)
      .locator('.monaco-list-row[aria-level="2"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${day}`) }) })
      .first();
    await repaired.waitFor({ state: 'visible', timeout: T.long });
    assert.doesNotMatch(await repaired.innerText(), /archive damaged/);
    await shot('damaged-day-repaired');
  });
});
