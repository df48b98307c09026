#!/usr/bin/env node
/**
 * Screenshots the running app for a person to look at:
 *   node test/support/look.mjs <url> <out.png> [script.mjs]
 * The optional script's default export receives the Playwright page and runs before the shot.
 */
import { pathToFileURL } from 'node:url';
import { openApp } from './browser.mjs';

const [url = 'http://127.0.0.1:4173/', out = 'look.png', script] = process.argv.slice(2);
const { browser, page, problems } = await openApp(url);
try {
  await page.waitForTimeout(500);
  if (script) {
    const { default: run } = await import(pathToFileURL(script).href);
    await run(page);
  }
  await page.screenshot({ path: out });
  const state = await page.evaluate(() => {
    const { visibleIds, ...rest } = window.__timeline.state();
    return { ...rest, visibleIds: visibleIds.length };
  });
  console.log(JSON.stringify(state));
  if (problems.length) console.log(problems.join('\n'));
} finally {
  await browser.close();
}
