// End to end: the activity overview in code-server (VS Code 1.100.3) with Playwright against the simulator.
// Sign in, fetch "Last 7 days", run "Zoom: Show Activity Overview", accept the dialog that says what loading the
// whole range costs, click a day in the chart and see the tree filtered to that day. Writes the README's
// screenshot docs/images/overview.png; step screenshots go to test-artifacts/e2e-overview/. Then Cancel on the
// notification of a slow whole-range load (collectWithProgress): no more requests, the status bar says so, no overview.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { REPORT_PATH } from '../simulator/index';
import {
  T,
  expand,
  fetchLogs,
  findingsPane,
  logsPane,
  openZoomView,
  runCommand,
  signInWithToken,
  webviewFrame,
  workbenchWithSimulator,
} from './ui';

const README_SHOT = path.join(repoRoot(), 'docs', 'images', 'overview.png');
const DAY = 86_400_000;
const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('e2e: the activity overview filters the tree (code-server + Chromium)', function () {
  this.timeout(180_000);
  const t = workbenchWithSimulator('e2e-overview', { seed: 1, entries: 3000 }, {});

  it('opens the overview, clicks a day and sees only that day in the tree', async function () {
    const page = t.wb.page;
    await openZoomView(page);
    await signInWithToken(page, t.sim.token);
    const now = Date.now();
    await fetchLogs(page, 'Last 7 days');
    const expected = t.sim.expected({ from: ymd(now - 6 * DAY), to: ymd(now) });
    assert.ok(expected.length > 0);
    const day = expected[Math.floor(expected.length / 2)].time.slice(0, 10);
    const onDay = expected.filter((e) => e.time.startsWith(day));

    // The graph icon in the view's title bar.
    await page.locator('.part.sidebar .action-label[aria-label="Show Activity Overview"]:visible').first().click();
    // The dialog says what it will fetch before it starts.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: T.long });
    assert.match(await dialog.innerText(), /This loads the whole range from Zoom .* at least \d+ requests?/s);
    await t.shot('confirm');
    await dialog.getByRole('button', { name: 'Load the Whole Range' }).click();

    const frame = await webviewFrame(page, '.day');
    await frame.locator('h1', { hasText: 'Activity overview' }).waitFor({ timeout: T.long });
    assert.equal(await frame.locator('figure.entries .day').count(), 7, 'one bar per day');
    const summary = await frame.locator('.summary').innerText();
    assert.match(summary, new RegExp(`${expected.length.toLocaleString('en-US')} entries`));
    // The range the overview loaded counts as a scan: the Findings view speaks of the same entries.
    const all = `in all ${expected.length.toLocaleString('en-US')} entries of the range`;
    await findingsPane(page).locator('.message', { hasText: all }).waitFor({ timeout: T.long });

    // Keyboard: the chart's focused day is the newest; Left moves to the day before.
    // VS Code keeps a progress notification up for at least 800 ms; one still up says the final count.
    const loading = page.locator('.notification-toast', { hasText: 'Loading the whole range' });
    for (const text of await loading.allInnerTexts()) {
      assert.match(text, new RegExp(`: ${expected.length.toLocaleString('en-US')} entries, 1 page$`, 'm'));
    }

    await frame.locator(`figure.entries .day[data-date="${ymd(now)}"]`).focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(
      await frame.evaluate(() => (document.activeElement as SVGElement | null)?.dataset.date),
      ymd(now - DAY),
    );

    // Click a day: the tree shows groups of the whole range holding exactly that day's entries.
    await frame.locator(`figure.entries .day[data-date="${day}"]`).click();
    await frame.locator('#status', { hasText: `Filtering the tree to ${day}` }).waitFor({ timeout: T.long });
    const pane = logsPane(page);
    const message = pane.locator('.message', { hasText: `date:${day}` }).or(pane.locator('.monaco-list-row').first());
    await message.first().waitFor({ timeout: T.long });
    const rows = pane.locator('.monaco-list-row[aria-level="1"]');
    await rows.first().waitFor({ timeout: T.long });
    // Every category group's count is the number of that day's entries in it.
    const want = new Map<string, number>();
    for (const e of onDay) want.set(e.category_type, (want.get(e.category_type) ?? 0) + 1);
    const deadline = Date.now() + T.long;
    let got = new Map<string, number>();
    while (Date.now() < deadline) {
      // One read of every row at once: the tree redraws while the filter applies.
      const texts = await rows.evaluateAll((els) =>
        els.map((el) => [
          el.querySelector('.label-name')?.textContent?.trim() ?? '',
          el.querySelector('.label-description')?.textContent?.trim() ?? '',
        ]),
      );
      got = new Map();
      for (const [name, desc] of texts) {
        const m = /^(\d+) of \d+$/.exec(desc);
        if (m) got.set(name, Number(m[1]));
      }
      if ([...got.values()].reduce((a, b) => a + b, 0) === onDay.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(
      [...got.values()].reduce((a, b) => a + b, 0),
      onDay.length,
      `entries on ${day} in the tree`,
    );
    assert.deepEqual(got, want, "each category group counts that day's entries of its category");
    // Expanding a group shows that day only.
    await expand(rows.first());
    const dates = pane.locator('.monaco-list-row[aria-level="2"] .label-name');
    await dates.first().waitFor({ timeout: T.long });
    assert.deepEqual([...new Set((await dates.allInnerTexts()).map((t) => t.trim().slice(0, 10)))], [day]);
    await loading.waitFor({ state: 'hidden', timeout: T.long });
    fs.mkdirSync(path.dirname(README_SHOT), { recursive: true });
    await page.screenshot({ path: README_SHOT });
    await t.shot('filtered');
  });

  it('Cancel on the whole-range load stops the requests, says so and opens nothing', async function () {
    const page = t.wb.page;
    await runCommand(page, 'View: Close All Editors');
    // A new query: its whole range is not loaded yet. Slow answers, so the load is still running when we cancel.
    await fetchLogs(page, 'Last 30 days');
    const reports = (): number => t.sim.requests.filter((r) => r.path === REPORT_PATH).length;
    t.sim.setLatency(1500);
    try {
      await page.locator('.part.sidebar .action-label[aria-label="Show Activity Overview"]:visible').first().click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: T.long });
      await dialog.getByRole('button', { name: 'Load the Whole Range' }).click();
      const toast = page.locator('.notification-toast', { hasText: 'Loading the whole range from Zoom' });
      await toast.waitFor({ state: 'visible', timeout: T.long });
      await t.shot('loading');
      await toast.getByRole('button', { name: 'Cancel' }).click();
      await page
        .locator('.part.statusbar', { hasText: 'Loading the whole range was cancelled; nothing changed.' })
        .waitFor({ state: 'visible', timeout: T.long });
      await toast.waitFor({ state: 'hidden', timeout: T.long });
      const atCancel = reports();
      // Nothing more is asked for (a page in flight when Cancel was pressed may still arrive), and no overview.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(reports(), atCancel, 'report requests after Cancel');
      assert.equal(await page.locator('.tab', { hasText: 'Activity overview' }).count(), 0);
      await t.shot('cancelled');
    } finally {
      t.sim.setLatency(0);
    }
  });
});
