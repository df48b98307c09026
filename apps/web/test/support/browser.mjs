/**
 * Opens the app in the machine's Chromium through playwright-core (no browser download), for looking
 * at the page and for scripted smoke checks. CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import { chromium } from 'playwright-core';

/** The Chromium every browser run of the project launches: Debian's, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags every browser run of the project uses (the e2e specs, the screenshots, the web-render bench). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function openApp(url, { width = 1600, height = 900 } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width, height } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__timeline !== undefined);
  await page.evaluate(() => window.__timeline.ready);
  return { browser, page, problems };
}
