/**
 * The machine's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) through playwright-core: no browser
 * download, ever. Each launch gets a fresh profile folder, removed on close.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.mjs';

// `window.__timeline`'s type (and its `declare global`) comes from the app's entry point; types only.
export type { TimelineHandle } from '../../src/main.ts';

export interface Chromium {
  context: BrowserContext;
  /** A new tab that records dialogs and page errors. */
  newPage(): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  /** Every `alert`/`confirm`/`prompt` the page opened (each is dismissed at once). */
  dialogs: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /**
   * Ignore the page's Content-Security-Policy. The safe-rendering spec uses it so that markup that
   * slipped into the page WOULD run (the CSP would otherwise block inline handlers and hide the bug).
   */
  bypassCSP?: boolean;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Chromium> {
  const viewport = options.viewport ?? { width: 1440, height: 900 };
  // playwright refuses `--user-data-dir` in `args`: a persistent context on a fresh folder is the same.
  const profile = await mkdtemp(join(tmpdir(), 'timeline-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      bypassCSP: options.bypassCSP ?? false,
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  // The persistent context opens with one blank tab; tests open their own.
  for (const page of context.pages()) await page.close();
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const watched: WatchedPage = { page, dialogs: [], errors: [] };
      page.on('dialog', (dialog) => {
        watched.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss().catch(() => undefined);
      });
      page.on('pageerror', (error) => watched.errors.push(error.message));
      return watched;
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` and waits for `window.__timeline.ready`, then (unless `drawn: false`) for vis-timeline to
 * have put a first item or cluster into the DOM, or for the first density bars on their canvas (a
 * timeline read by window opens zoomed out on bars, which are not vis items): `ready` resolves when the
 * app has handed vis its items, and vis draws them on its next redraw, a frame or so later.
 */
export async function openApp(page: Page, url: string, { drawn = true } = {}): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.__timeline !== undefined);
  await page.evaluate(() => window.__timeline!.ready);
  if (drawn)
    await page.waitForFunction(
      () => document.querySelector('.vis-item, .tl-bars:not([data-bars="0"])') !== null,
    );
}
