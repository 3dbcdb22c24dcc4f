// Hostile log content in the real browser: entries whose operator, action and
// detail hold XSS payloads, </script>, bidi controls and a 1 MB string. The
// webview's DOM must gain no element or attribute beyond its template, nothing
// may run, and the tree's tooltip must show the payload as text.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from '../host/codeServer';
import { openWorkbench, type Workbench } from '../host/workbench';
import { startSimulator, type SimEntry, type Simulator } from '../simulator';
import { T, expand, fetchLogs, openZoomView, screenshotter, signInWithToken, treeRow, webviewFrame } from './ui';

const ARTIFACTS = path.join(repoRoot(), 'test-artifacts', 'e2e-hostile');
const FLAG = '__zoomOplogsPwned';
const PAYLOADS = [
  `<img src=x onerror="window.top.${FLAG}=1;alert(1)">`,
  `</script><script>window.top.${FLAG}=2</script>`,
  `"><svg onload="window.top.${FLAG}=3">`,
  `<a href="javascript:window.top.${FLAG}=4" id="evil">click</a>`,
  '\u202Etxt.exe\u2066 bidi \u200B zero-width',
  `<style>body{display:none}</style><iframe src="javascript:alert(1)"></iframe>`,
];
const HUGE = `${'<b>x</b>'.repeat(131_072)}`; // 1 MB of markup

/** Elements and attributes the entry page's template and renderer create. */
const ALLOWED_TAGS = new Set([
  'HTML',
  'HEAD',
  'META',
  'TITLE',
  'LINK',
  'SCRIPT',
  'BODY',
  'HEADER',
  'MAIN',
  'H1',
  'DL',
  'DT',
  'DD',
  'DIV',
  'BUTTON',
  'PRE',
  'CODE',
  'SPAN',
  'P',
  'SECTION',
  // The Findings list and the Changes table (their rows are made with textContent).
  'H2',
  'UL',
  'LI',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
]);
const ALLOWED_ATTRS = new Set([
  'lang',
  'charset',
  'http-equiv',
  'content',
  'name',
  'rel',
  'href',
  'nonce',
  'src',
  'id',
  'class',
  'type',
  'tabindex',
  'aria-label',
  'aria-live',
  'role',
  'disabled',
  'aria-labelledby',
  'aria-describedby',
  'aria-busy',
  'hidden',
  'scope',
  // The status line's translated "Copied" text, put in the template by the extension (html.ts).
  'data-copied',
  'style',
  'data-vscode-theme-kind',
  'data-vscode-theme-name',
  'data-vscode-theme-id',
]);

describe('e2e: hostile log content cannot run in the editor', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let wb: Workbench | undefined;
  // Seconds after today's UTC midnight, so all entries share one date whenever the test runs.
  const midnight = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const iso = (secondsBack: number) =>
    new Date(midnight + (30 - secondsBack) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const entries: SimEntry[] = [
    ...PAYLOADS.map((p, i) => ({
      time: iso(i + 1),
      operator: `${p}@example.com`,
      category_type: 'User',
      action: p,
      operation_detail: `Detail ${p}`,
    })),
    { time: iso(20), operator: 'big@example.com', category_type: 'User', action: 'Update', operation_detail: HUGE },
  ];

  before(async () => {
    sim = await startSimulator({ port: 0, data: entries });
    wb = await openWorkbench({
      settings: {
        'zoomOperationLogs.apiBaseUrl': sim.apiBaseUrl,
        'zoomOperationLogs.oauthBaseUrl': sim.oauthBaseUrl,
        'zoomOperationLogs.timeZone': 'UTC',
      },
    });
  });
  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  it('renders every payload as text in the webview and the tooltip', async () => {
    const page = wb!.page;
    const shot = screenshotter(page, ARTIFACTS);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await openZoomView(page);
    await signInWithToken(page, sim.token);
    await fetchLogs(page, 'Today');
    const user = treeRow(page, 'User', 1).first();
    await expand(user);
    const date = page.locator('.monaco-list-row[aria-level="2"]').first();
    await expand(date);
    const rows = page.locator('.monaco-list-row[aria-level="3"]');
    await rows.first().waitFor({ timeout: T.long });
    assert.equal(await rows.count(), entries.length, 'every hostile entry has a row');

    let checkedElements = 0;
    for (let i = 0; i < entries.length; i++) {
      const want = sim.expected({
        from: entries[0].time.slice(0, 10),
        to: entries[0].time.slice(0, 10),
        category: 'user',
      })[i];
      // The tree re-renders once its counts arrive; a click on a row being replaced is retried.
      let frame;
      for (let attempt = 1; ; attempt++) {
        await rows.nth(i).click();
        try {
          frame = await webviewFrame(page, '#json', 10_000);
          await frame.locator('#json').filter({ hasText: want.time }).waitFor({ timeout: 10_000 });
          break;
        } catch (e) {
          if (attempt === 3) throw e;
        }
      }
      const report = await frame.evaluate(
        ({ tags, attrs }) => {
          const bad: string[] = [];
          const all = Array.from(document.querySelectorAll('*'));
          for (const el of all) {
            // VS Code's own default styles for every webview: <style id="_defaultStyles">.
            const hostStyle = el.tagName === 'STYLE' && el.id === '_defaultStyles';
            if (!tags.includes(el.tagName) && !hostStyle) bad.push(`element ${el.tagName}`);
            for (const a of Array.from(el.attributes)) {
              if (!attrs.includes(a.name) || /^on/i.test(a.name)) bad.push(`attribute ${a.name} on ${el.tagName}`);
            }
          }
          // VS Code injects one script of its own (acquireVsCodeApi); ours is the one with a src.
          const scripts = Array.from(document.querySelectorAll('script')).map(
            (x) => x.getAttribute('src') ?? `inline:${(x.textContent ?? '').slice(0, 60)}`,
          );
          return { bad, count: all.length, scripts, json: document.querySelector('#json')?.textContent ?? '' };
        },
        { tags: [...ALLOWED_TAGS], attrs: [...ALLOWED_ATTRS] },
      );
      assert.deepEqual(report.bad, [], `entry ${i}: nothing beyond the template`);
      const ours = report.scripts.filter((x) => x.endsWith('/media/entryView.js'));
      const others = report.scripts.filter((x) => !x.endsWith('/media/entryView.js'));
      assert.equal(ours.length, 1, `our page script once: ${report.scripts.join(', ')}`);
      assert.ok(
        others.every((x) => x.startsWith('inline:') && !x.includes(FLAG) && !/alert|<|onerror/.test(x)),
        `only VS Code's own script besides ours: ${others.join(' | ')}`,
      );
      assert.ok(others.length <= 1);
      const shown = JSON.parse(report.json) as Record<string, string>;
      assert.equal(shown.operation_detail, want.operation_detail, 'the payload is shown verbatim as text');
      assert.equal(shown.operator, want.operator);
      checkedElements += report.count;
      if (i === 0) await shot('webview-hostile');
    }
    const flag = await page.evaluate((f) => (window as unknown as Record<string, unknown>)[f], FLAG);
    assert.equal(flag, undefined, 'no payload ran');
    assert.equal(dialogs, 0, 'no alert');

    // The tooltip shows the payload as text: hover the first entry.
    await rows.first().hover();
    const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible').first();
    await hover.waitFor({ timeout: T.long });
    await shot('tooltip-hostile');
    const hoverText = await hover.innerText();
    assert.ok(hoverText.includes('onerror='), `payload text visible in the tooltip: ${hoverText.slice(0, 200)}`);
    assert.equal(
      await hover.locator('img, svg, iframe, script, a[href^="javascript"]').count(),
      0,
      'no element from the payload in the tooltip',
    );
    console.log(
      `hostile e2e: ${entries.length} entries, ${PAYLOADS.length} payloads + 1 MB, ${checkedElements} webview elements checked`,
    );
  });
});
