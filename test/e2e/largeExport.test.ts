// End to end: an export larger than the `maxExportInEditorMB` setting (1 MB here) asks to be saved to a file,
// the save dialog takes a path, and a notification says where it went. Writes docs/images/export-to-file.png (the
// question).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../host/codeServer';
import type { SimEntry } from '../simulator';
import {
  T,
  clickQuickPick,
  fetchLogs,
  openZoomView,
  quickInput,
  runCommand,
  signInWithToken,
  waitQuickInput,
  workbenchWithSimulator,
} from './ui';

describe('e2e: an export too large for an editor tab is saved to a file (code-server + Chromium)', function () {
  this.timeout(180_000);
  const t = workbenchWithSimulator(
    'e2e-large-export',
    { seed: 5, entries: 8000 },
    { 'zoomOperationLogs.maxExportInEditorMB': 1 },
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-export-e2e-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('asks, takes a path in the save dialog, writes every entry and says where', async () => {
    const page = t.wb.page;
    await openZoomView(page);
    await signInWithToken(page, t.sim.token);
    await fetchLogs(page, 'Last 6 months');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Zoom: Export Operation Logs');
    await waitQuickInput(page, /Export format/);
    await clickQuickPick(page, 'JSON');

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(
      await dialog.innerText(),
      /The export of [\d,]+ entries \(.*\) as JSON is more than 1 MB of text, too large for an editor tab\.[\s\S]*Save it to a file instead; nothing is lost\./,
    );
    const asked = await t.shot('export-too-large');
    fs.mkdirSync(path.join(repoRoot(), 'docs', 'images'), { recursive: true });
    fs.copyFileSync(asked, path.join(repoRoot(), 'docs', 'images', 'export-to-file.png'));
    await dialog.getByRole('button', { name: 'Save to File...' }).click();

    // code-server's save dialog is a quick input holding a path, proposed with the export's name.
    const input = quickInput(page).locator('input.input');
    await input.waitFor({ state: 'visible', timeout: T.long });
    const proposed = /zoom-operation-logs-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.json$/;
    // The dialog fills its box in steps (the folder first, then the name).
    for (const deadline = Date.now() + T.short; !proposed.test(await input.inputValue());) {
      if (Date.now() > deadline) assert.match(await input.inputValue(), proposed);
      await new Promise((r) => setTimeout(r, 100));
    }
    await t.shot('export-save-dialog');
    const file = path.join(dir, 'last-6-months.json');
    await input.fill(file);
    // The dialog moves to the typed folder before it accepts a name there: OK once its list shows that folder.
    await quickInput(page).locator('.monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: T.short });
    await new Promise((r) => setTimeout(r, 500));
    await quickInput(page).getByRole('button', { name: 'OK' }).click();

    const saved = page.locator('.notification-toast', { hasText: /Saved [\d,]+ entries/ });
    await saved.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(
      await saved.innerText(),
      new RegExp(`to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+\\.\\d MB\\)`),
    );
    // The progress notification is gone once the file is in place.
    await page
      .locator('.notification-toast', { hasText: /Saving [\d,]+ entries/ })
      .waitFor({ state: 'hidden', timeout: T.long });
    await t.shot('export-saved');
    // VS Code in a browser cannot show a file in the system's file manager: no button that would fail.
    assert.equal(await saved.getByRole('button', { name: 'Reveal File' }).count(), 0);

    const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as SimEntry[];
    const count = Number(/Saved ([\d,]+) entries/.exec(await saved.innerText())![1].replace(/,/g, ''));
    assert.equal(rows.length, count);
    assert.ok(fs.statSync(file).size > 1024 * 1024, 'over the 1 MB limit');
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes('.tmp-')),
      [],
    );
  });
});
