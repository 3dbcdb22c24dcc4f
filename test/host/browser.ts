// Headless Chromium for tests: Debian's /usr/bin/chromium driven by playwright-core
// (which downloads no browser of its own). Shared by the integration runner and
// the e2e tests.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && fs.existsSync(p));
  if (!found) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return found;
}

export async function launchBrowser(opts: { headless?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    args: CHROMIUM_ARGS,
  });
}

/** A browser, one context and one page sized like a laptop screen. */
export async function openPage(opts: { width?: number; height?: number } = {}): Promise<{
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 } });
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}
