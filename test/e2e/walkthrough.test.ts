// End to end: the Getting Started walkthrough, opened from VS Code's Welcome page as a person
// would, with its steps visible; signing in from the view ticks the "Sign in" step. The screenshot
// goes to docs/images/walkthrough.png for the README.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { T, runCommand, signInWithToken, openZoomView, workbenchWithSimulator } from './ui';

const IMAGE = path.join(repoRoot(), 'docs', 'images', 'walkthrough.png');
const TITLE = 'Audit Zoom in VS Code';
const STEPS = [
  'Create a Server-to-Server OAuth app',
  'Sign in',
  'Check the setup',
  'Fetch the last 7 days',
  'Scan for risky changes',
  'Keep the evidence past six months',
];

describe('e2e: the Getting Started walkthrough (code-server + Chromium)', function () {
  this.timeout(180_000);
  const t = workbenchWithSimulator('e2e-walkthrough', { seed: 1, entries: 500 }, { 'workbench.startupEditor': 'none' });

  it('opens from the Welcome page, shows every step, and ticks "Sign in" once signed in', async function () {
    const page = t.wb.page;
    // Help > Welcome, then the walkthrough by its title (listed under Walkthroughs, maybe behind "More...").
    await runCommand(page, 'Help: Welcome');
    const welcome = page.locator('.gettingStartedContainer');
    await welcome.waitFor({ state: 'visible', timeout: T.long });
    // VS Code may open its own walkthrough first: go back to the Welcome page's list.
    const back = welcome.locator('.prev-button', { hasText: 'Welcome' }).first();
    await page.waitForTimeout(500);
    if (await back.isVisible().catch(() => false)) await back.click();
    const entry = welcome.locator('button, a, .getting-started-category', { hasText: TITLE }).first();
    if (!(await entry.isVisible().catch(() => false))) {
      const more = welcome.getByRole('button', { name: /More/ }).first();
      if (await more.isVisible().catch(() => false)) await more.click();
    }
    await entry.waitFor({ state: 'visible', timeout: T.long });
    await t.shot('welcome-page');
    await entry.click();

    const detail = page.locator('.gettingStartedSlideDetails');
    await detail.locator('.category-title', { hasText: TITLE }).waitFor({ state: 'visible', timeout: T.long });
    for (const step of STEPS) {
      await detail
        .locator('.getting-started-step .step-title', { hasText: step })
        .first()
        .waitFor({ state: 'visible', timeout: T.short });
    }
    // The first step's Markdown (media/walkthrough/createApp.md) is rendered beside the steps.
    await page.waitForTimeout(1500);
    fs.mkdirSync(path.dirname(IMAGE), { recursive: true });
    await page.screenshot({ path: IMAGE });
    await t.shot('walkthrough');

    const signInStep = detail.locator('.getting-started-step', {
      has: page.locator('.step-title', { hasText: /^Sign in$/ }),
    });
    const ticked = (): Promise<boolean> =>
      signInStep
        .locator('.codicon-getting-started-step-checked, .codicon-pass-filled')
        .count()
        .then((n) => n > 0);
    assert.equal(await ticked(), false, 'not signed in yet: the step is open');

    // Sign in from the Zoom view's welcome button, then come back to the walkthrough tab.
    await openZoomView(page);
    await signInWithToken(page, t.sim.token);
    await page
      .locator('.part.editor .tab', { hasText: /Welcome|Walkthrough|Get started/ })
      .first()
      .click();
    const end = Date.now() + T.long;
    while (!(await ticked())) {
      if (Date.now() > end) assert.fail('the "Sign in" step was not ticked after signing in');
      await page.waitForTimeout(250);
    }
    await t.shot('walkthrough-signed-in');
  });
});
