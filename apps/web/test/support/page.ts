/**
 * Reading the app in the page for end-to-end tests: the vis DataSet behind `window.__timeline`, and
 * what is actually drawn (vis-timeline's DOM). Everything returned is plain data.
 */
import type { Page } from 'playwright-core';
import type { AppSnapshot } from '../../src/app/app.ts';

export interface VisItemData {
  id: string;
  itemId: string;
  group: string;
  className: string;
  start: number;
  end?: number;
  /** The title drawn in the item's content element. */
  title: string;
}

export interface DrawnItem {
  title: string;
  className: string;
}

export async function visItems(page: Page): Promise<VisItemData[]> {
  return page.evaluate(() =>
    window.__timeline!.dataset.get().map((i) => {
      const data: VisItemData = {
        id: i.id,
        itemId: i.itemId,
        group: i.group,
        className: i.className,
        start: i.start,
        title: i.content.querySelector('.tl-title')?.textContent ?? '',
      };
      if (i.end !== undefined) data.end = i.end;
      return data;
    }),
  );
}

/** The distinct timeline item ids in the DataSet (a vis item per group an item belongs to). */
export async function itemIds(page: Page): Promise<Set<string>> {
  return new Set((await visItems(page)).map((i) => i.itemId));
}

export async function groupIds(page: Page): Promise<Set<string>> {
  return new Set(await page.evaluate(() => window.__timeline!.groups.getIds().map(String)));
}

export function state(page: Page): Promise<AppSnapshot> {
  return page.evaluate(() => window.__timeline!.state());
}

/** The group labels vis-timeline drew on the left, top to bottom. */
export function groupLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.vis-labelset .vis-label .tl-group-label')].map(
      (n) => n.textContent ?? '',
    ),
  );
}

/**
 * The DOM elements of items drawn as themselves: not clusters, and not the line and dot that
 * vis-timeline draws under a box (they carry the item's classes too).
 */
export const DRAWN_ITEM = '.vis-item.tl-item:not(.vis-line):not(.vis-dot)';

/** Items drawn as themselves (not clusters) in the DOM. */
export function domItems(page: Page): Promise<DrawnItem[]> {
  return page.evaluate(
    (selector) =>
      [...document.querySelectorAll<HTMLElement>(selector)].map((n) => ({
        title: n.querySelector('.tl-title')?.textContent ?? '',
        className: n.className,
      })),
    DRAWN_ITEM,
  );
}

/**
 * Zooms the timeline to a few days around `day` (UTC), narrow enough that nothing is clustered, and
 * waits until vis-timeline has drawn items there.
 */
export async function showDay(page: Page, day: string): Promise<void> {
  await page.evaluate((d) => {
    const at = Date.parse(`${d}T00:00:00Z`);
    window.__timeline!.timeline.setWindow(at - 3 * 86_400_000, at + 4 * 86_400_000, { animation: false });
  }, day);
  await page.waitForFunction(() => {
    const s = window.__timeline!.state().window;
    return s !== undefined && Date.parse(s.end) - Date.parse(s.start) < 10 * 86_400_000;
  });
  await page.waitForFunction(() => document.querySelector('.vis-item.tl-item') !== null);
  await nextFrames(page);
}

/** Two animation frames: vis-timeline redraws on the frame after a change. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}
