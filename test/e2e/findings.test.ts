// End to end, as a person would: sign in, fetch the last 30 days, run "Zoom: Scan Range for Risky Changes"
// from the palette and see the Findings view fill (severity, rule, entries; a badge with the high count).
// Saves docs/images/findings.png for the README, and step screenshots in test-artifacts/e2e-findings/.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN_RULES, compileRules } from '../../src/insights';
import { entriesFromRaw } from '../unit/support/helpers';
import { repoRoot } from '../host/codeServer';
import {
  T,
  expand,
  fetchLogs,
  findingsPane,
  openZoomView,
  quickInput,
  runCommand,
  signInWithToken,
  workbenchWithSimulator,
} from './ui';

const DAY = 86_400_000;
const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('e2e: Scan Range fills the Findings view (code-server + Chromium)', function () {
  this.timeout(180_000);
  const t = workbenchWithSimulator('e2e-findings', { seed: 1, entries: 20000 }, {});

  it('shows severity groups with the engine’s counts, rules, entries and the high badge', async function () {
    const page = t.wb.page;
    await openZoomView(page);
    await signInWithToken(page, t.sim.token);
    const now = Date.now();
    await fetchLogs(page, 'Last 30 days');
    await runCommand(page, 'Zoom: Scan Range for Risky Changes');

    const pane = findingsPane(page);
    const high = pane.locator('.monaco-list-row[aria-level="1"]', { hasText: 'High' }).first();
    await high.waitFor({ state: 'visible', timeout: T.long * 2 });

    // What the engine finds in the simulator's data for the same range.
    const raw = t.sim.expected({ from: ymd(now - 29 * DAY), to: ymd(now) });
    const entries = entriesFromRaw(raw);
    const { engine } = compileRules(BUILT_IN_RULES);
    const want = entries.flatMap((e) => engine.check(e)).filter((f) => f.severity === 'high').length;
    assert.ok(want > 0, 'positive control: high findings in the range');
    const count = (await high.locator('.label-description').innerText()).trim();
    assert.equal(count.replace(/,/g, ''), String(want), 'the High row counts what the engine finds');

    // Open the first rule of High so the picture shows entries too.
    const rule = pane.locator('.monaco-list-row[aria-level="2"]').first();
    await expand(rule);
    await pane.locator('.monaco-list-row[aria-level="3"]').first().waitFor({ state: 'visible', timeout: T.long });
    const badge = page
      .locator('.part.activitybar .action-item', { has: page.locator('.action-label[aria-label^="Zoom"]') })
      .locator('.badge-content')
      .first();
    await badge.waitFor({ state: 'visible', timeout: T.long });
    assert.equal((await badge.innerText()).trim(), String(want), 'the activity bar badge = high findings');
    const file = await t.shot('findings');
    fs.mkdirSync(path.join(repoRoot(), 'docs', 'images'), { recursive: true });
    fs.copyFileSync(file, path.join(repoRoot(), 'docs', 'images', 'findings.png'));
  });

  it('a filter term that can match nothing says why: severity:critical, rule:no-such-rule, an open quote', async function () {
    const page = t.wb.page;
    // The sign-in's toast would sit over the warning in the screenshots.
    await runCommand(page, 'Notifications: Clear All Notifications');
    for (const [term, warning] of [
      [
        'severity:critical',
        "No finding has the severity 'critical'; write severity:high, severity:medium or severity:low.",
      ],
      ['rule:no-such-rule', "No rule's id or title contains 'no-such-rule'; the Findings view lists the rules."],
      [
        'category:"User Settings severity:high',
        `The quote in 'category:"User Settings severity:high' is not closed, so the phrase runs to the end of the filter; add the closing ".`,
      ],
    ]) {
      await runCommand(page, 'Zoom: Filter Operation Logs...');
      const input = quickInput(page).locator('input.input');
      await input.waitFor({ state: 'visible', timeout: T.long });
      await input.fill(term);
      await input.press('Enter');
      const toast = page.locator('.notification-toast', { hasText: warning });
      await toast.waitFor({ state: 'visible', timeout: T.long });
      await page.waitForTimeout(600); // the toast slides in; the tree's message repaints
      await t.shot(`filter-${term.split(':')[0]}-warning`);
      await toast.hover();
      await toast.locator('.codicon-notifications-clear').first().click();
      await toast.waitFor({ state: 'hidden', timeout: T.long });
    }
    await runCommand(page, 'Zoom: Clear Filter');
  });
});
