// End to end, as a person would: sign in to one Zoom account, add a second one with "Zoom: Add Zoom
// Account" (a name, other base URLs, a Server-to-Server OAuth app), rename the first, and see one root
// per account, each with its own tree. Saves docs/images/accounts.png for the README.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../host/codeServer';
import {
  T,
  clickQuickPick,
  expand,
  openZoomView,
  quickInput,
  runCommand,
  signInWithToken,
  treeRow,
  waitQuickInput,
  workbenchWithSimulator,
} from './ui';

/** Types into the open input box (replacing what it holds) and presses Enter. */
async function answer(page: Page, title: RegExp, text: string): Promise<void> {
  await waitQuickInput(page, title);
  const input = quickInput(page).locator('input.input');
  await input.fill(text);
  await input.press('Enter');
}

describe('e2e: two Zoom accounts side by side (code-server + Chromium)', function () {
  this.timeout(180_000);
  const t = workbenchWithSimulator('e2e-accounts', {
    accounts: [
      { id: 'AcmeCorp', seed: 1, entries: 20000 },
      { id: 'AcmeLabs', seed: 5, entries: 8000 },
    ],
  });

  it('adds a second account through the palette and shows one tree per account', async function () {
    const page = t.wb.page;
    const [corp, labs] = t.sim.accounts;
    await openZoomView(page);
    await signInWithToken(page, corp.token);

    await runCommand(page, 'Zoom: Add Zoom Account');
    await answer(page, /Add Zoom Account \(1\/3\)/, 'Acme Labs');
    await waitQuickInput(page, /Add Zoom Account \(2\/3\)/);
    await clickQuickPick(page, 'Other base URLs…');
    // Each URL box by its own title: both show a URL, and typing into the first while it closes kept the second's
    // default (zoom.us), so the second account signed in against the real Zoom now and then.
    await answer(page, /Add Zoom Account \(2\/3\): API base URL/, labs.apiBaseUrl);
    await answer(page, /Add Zoom Account \(2\/3\): OAuth base URL/, labs.oauthBaseUrl);
    await waitQuickInput(page, /Add Zoom Account \(3\/3\)/);
    await clickQuickPick(page, 'Server-to-Server OAuth app');
    await answer(page, /Sign In Acme Labs .*\(1\/3\)/, labs.s2s.accountId);
    await answer(page, /\(2\/3\)/, labs.s2s.clientId);
    await answer(page, /\(3\/3\)/, labs.s2s.clientSecret);

    // Room for both trees: fold the Findings and Archive views.
    for (const name of [/Findings/i, /Archive/i]) {
      const header = page.locator('.pane-header', { hasText: name }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    // The first account got a name the extension chose; give it a real one.
    await treeRow(page, 'Acme Labs', 1).waitFor({ state: 'visible', timeout: T.long });
    await runCommand(page, 'Zoom: Rename Zoom Account');
    await clickQuickPick(page, 'Zoom account');
    await answer(page, /Rename Zoom Account/, 'Acme Corp');

    const corpRow = treeRow(page, 'Acme Corp', 1);
    const labsRow = treeRow(page, 'Acme Labs', 1);
    await corpRow.waitFor({ state: 'visible', timeout: T.long });
    await labsRow.waitFor({ state: 'visible', timeout: T.long });
    assert.equal(await corpRow.getAttribute('aria-expanded'), 'true', 'account roots start expanded');

    // Each account has its own categories; open the User category of each.
    const users = treeRow(page, 'User', 2);
    await users.nth(1).waitFor({ state: 'visible', timeout: T.long });
    await expand(users.nth(0));
    await expand(users.nth(1));
    // Both trees show dates: a level-3 row under each account root (the rows are in tree order).
    const datesUnderBoth = async (): Promise<boolean> =>
      page.locator('.monaco-list-row').evaluateAll((rows) => {
        const levels = rows.map((r) => [r.getAttribute('aria-level'), r.textContent ?? ''] as const);
        const labsAt = levels.findIndex(([l, text]) => l === '1' && text.includes('Acme Labs'));
        return (
          labsAt > 0 &&
          levels.slice(0, labsAt).some(([l]) => l === '3') &&
          levels.slice(labsAt).some(([l]) => l === '3')
        );
      });
    const deadline = Date.now() + T.long;
    while (!(await datesUnderBoth()) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.ok(await datesUnderBoth(), 'dates under both accounts');

    assert.ok(t.sim.requests.some((r) => r.account === 'AcmeCorp' && r.path.endsWith('/report/operationlogs')));
    assert.ok(t.sim.requests.some((r) => r.account === 'AcmeLabs' && r.path.endsWith('/report/operationlogs')));
    assert.deepEqual(t.sim.crossAccountAttempts(), [], 'no request carried the other account’s token');

    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.mouse.move(5, 5);
    const file = await t.shot('accounts');
    fs.mkdirSync(path.join(repoRoot(), 'docs', 'images'), { recursive: true });
    fs.copyFileSync(file, path.join(repoRoot(), 'docs', 'images', 'accounts.png'));
  });
});
