// End to end, as a person would: the extension in code-server (VS Code 1.100.3) driven
// with Playwright against the Zoom API simulator. Sign in with a token from the view's
// welcome button, fetch "Last 7 days", open the newest User entry, export as JSON.
// Screenshots of every step: test-artifacts/e2e/NN-step.png (kept as artifacts).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Frame } from 'playwright-core';
import { parseDetail, summarize } from '../../src/insights';
import { oneLine } from '../../src/views/treeModel';
import type { SimEntry } from '../simulator';
import {
  T,
  activeEditorText,
  activeTab,
  childRows,
  clickQuickPick,
  expand,
  fetchLogs,
  logsPane,
  openZoomView,
  quickInput,
  runCommand,
  signInWithToken,
  treeRow,
  waitQuickInput,
  webviewFrame,
  workbenchWithSimulator,
} from './ui';

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
}

/** Runs axe-core (WCAG 2.1 A/AA rules) in a frame; returns its violations. */
async function axeScan(frame: Frame): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await frame.evaluate(source);
  return frame.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    // Positive control: the scan ran rules and found things that pass.
    if (!(result as unknown as { passes: unknown[] }).passes.length) throw new Error('axe-core ran no rule');
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help }));
  });
}
const DAY = 86_400_000;
const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('e2e: sign in, fetch, open an entry, export (code-server + Chromium)', function () {
  this.timeout(180_000);
  const t = workbenchWithSimulator('e2e', { seed: 1, entries: 3000 }, {});

  it('shows the entry JSON that the simulator served and exports the range as JSON', async function () {
    const page = t.wb.page;
    await t.shot('workbench');

    // 1. Zoom activity bar icon → Operation Logs view with welcome buttons.
    const pane = await openZoomView(page);
    await pane
      .locator('.welcome-view-content')
      .getByRole('button', { name: 'Set Access Token' })
      .waitFor({ timeout: T.long });
    await t.shot('zoom-view-signed-out');

    // 2. "Set Access Token" → masked input. A token copied shortened ("…") is refused in the box itself, which
    //    stays open; Escape. Then the whole token, pasted with its "Bearer " in front, is taken.
    await pane.locator('.welcome-view-content').getByRole('button', { name: 'Set Access Token' }).click();
    const input = quickInput(page).locator('input.input');
    await input.waitFor({ state: 'visible', timeout: T.long });
    await input.pressSequentially(`${t.sim.token.slice(0, 12)}…`, { delay: 10 });
    await quickInput(page)
      .locator('.quick-input-message', { hasText: 'The access token holds "…": it was copied shortened.' })
      .waitFor({ state: 'visible', timeout: T.long });
    await t.shot('token-shortened');
    await input.press('Enter');
    await page.waitForTimeout(300);
    assert.ok(await input.isVisible(), 'Enter on a refused token leaves the box open');
    await input.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: T.long });
    await signInWithToken(page, `Bearer ${t.sim.token}`, () => t.shot('token-input'));
    await t.shot('signed-in');

    // 3. F1 → "Zoom: Fetch Operation Logs" → "Last 7 days" → all categories (Enter).
    const now = Date.now();
    await fetchLogs(page, 'Last 7 days', {
      rangeOpen: () => t.shot('fetch-range-pick'),
      categoriesOpen: () => t.shot('fetch-categories-pick'),
    });
    const user = treeRow(page, 'User', 1).first();
    await user.waitFor({ state: 'visible', timeout: T.long });
    await t.shot('fetched-categories');

    // 4. Expand "User", then its first date.
    const from = ymd(now - 6 * DAY);
    const to = ymd(now);
    const expectedUser = t.sim.expected({ from, to, category: 'user' });
    assert.ok(expectedUser.length > 0, `the simulator has User entries between ${from} and ${to}`);
    await expand(user);
    const firstDate = await childRows(page, user, 2);
    await firstDate.locator('.label-name').waitFor({ timeout: T.long });
    const dateLabel = (await firstDate.locator('.label-name').innerText()).trim();
    const dateKey = /^(\d{4}-\d{2}-\d{2}) [A-Z][a-z]{2}$/.exec(dateLabel)?.[1];
    assert.ok(dateKey, `date row label "${dateLabel}" looks like "2026-11-20 Fri"`);
    const newestDay = ymd(Date.parse(expectedUser[0].time));
    assert.equal(dateKey, newestDay, 'the first date under User is the newest day with User entries');
    await expand(firstDate);
    const firstEntry = await childRows(page, firstDate, 3);
    await t.shot('user-date-expanded');

    // The entry row shows "<action>: <detail>" and "<time> · <operator>".
    const expectedDay: SimEntry[] = expectedUser.filter((e) => e.time.startsWith(dateKey));
    const newest = expectedDay[0];
    const label = (await firstEntry.locator('.label-name').innerText()).trim();
    const description = (await firstEntry.locator('.label-description').innerText()).trim();
    // The label is the readable change (`jane@example.com · User Type: Basic → Licensed`).
    const readable = summarize(parseDetail(newest.operation_detail, newest.action, newest.category_type));
    assert.equal(label, oneLine(readable, 120) || `${newest.action}: ${oneLine(newest.operation_detail, 80)}`);
    assert.equal(description, `${newest.time.slice(11, 19)} · ${newest.operator}`);

    // 5. Click it → webview panel with the entry's JSON.
    await firstEntry.click();
    const tab = page.locator('.part.editor .tab', { hasText: `${newest.action} · ` }).first();
    await tab.waitFor({ state: 'visible', timeout: T.long });
    const frame = await webviewFrame(page, '#json');
    await frame.locator('#json').filter({ hasText: newest.operator }).waitFor({ timeout: T.long });
    const jsonText = await frame.locator('#json').innerText();
    await t.shot('entry-webview');
    const shown = JSON.parse(jsonText) as Record<string, unknown>;
    assert.equal(shown.operator, newest.operator);
    assert.equal(shown.time, newest.time);
    assert.equal(shown.category_type, newest.category_type);
    assert.equal(shown.action, newest.action);
    assert.equal(shown.operation_detail, newest.operation_detail);

    // Accessibility: an axe-core scan of the entry page (run through the debugger protocol, so the
    // page's CSP stays as strict as it is) reports no serious or critical violation.
    const violations = await axeScan(frame);
    assert.deepEqual(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
      [],
      'axe-core: serious or critical violations in the entry webview',
    );
    // Keyboard alone: Tab reaches the buttons and the JSON block.
    await frame.locator('#copyJson').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await frame.evaluate(() => document.activeElement?.id ?? '');
    assert.equal(focused, 'json', 'Tab from Copy JSON reaches Open as JSON Document, then the JSON');

    // 6. F1 → "Zoom: Export Operation Logs" → JSON → new Untitled editor with the entries.
    await runCommand(page, 'Zoom: Export Operation Logs');
    await waitQuickInput(page, /Export format/);
    await t.shot('export-format-pick');
    await clickQuickPick(page, 'JSON');
    const untitled = activeTab(page).filter({ hasText: /Untitled/ });
    await untitled.waitFor({ state: 'visible', timeout: T.long });
    await page
      .locator('.part.editor .monaco-editor .view-lines', { hasText: '"operation_detail"' })
      .first()
      .waitFor({ timeout: T.long });
    const text = await activeEditorText(page);
    await t.shot('export-json-tab');
    assert.match(text, /"operation_detail"/);
    assert.match(text, /^\s*\[/, 'a JSON array');
    assert.ok(
      text.includes(t.sim.expected({ from, to })[0].operator),
      'the export starts with the newest entry of the range',
    );
    assert.ok(await logsPane(page).isVisible());
  });
});
