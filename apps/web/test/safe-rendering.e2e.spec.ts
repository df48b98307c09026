/**
 * No event field reaches the page as HTML: events whose title, quote, actors, place and other fields
 * hold markup are appended through the real API, one before the page opens (read through
 * /api/timeline) and one while it is open (through the SSE stream), and the page must show the markup
 * as literal text in the timeline, the group labels, the tooltip and the detail panel, with no dialog,
 * no event-handler attribute and no injected element anywhere.
 *
 * The browser ignores the page's Content-Security-Policy here: the CSP blocks inline handlers, so with
 * it a markup leak would stay silent. Without it, a leak fires a dialog; the last test shows that it
 * does (a control), so the "no dialog" checks can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, openApp, type WatchedPage } from './support/chromium.ts';
import { DRAWN_ITEM, groupLabels, showDay, visItems } from './support/page.ts';
import { startSession, stopSession } from './support/session.ts';
import type { NewEvent, Stack } from './support/stack.ts';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';

function hostile(label: string): NewEvent & { data: { title: string } } {
  return {
    type: 'ConcernRaised',
    occurredAt: { start: '2024-07-24', precision: 'day' },
    data: {
      title: `${label} ${IMG} ${SCRIPT}`,
      summary: `Summary <b onmouseover=alert(3)>bold</b> ${IMG}`,
      raisedBy: `Raiser ${SCRIPT}`,
      concern: `<iframe src="javascript:alert(4)"></iframe> ${IMG}`,
      actors: [`Actor ${IMG}`],
      pillars: ['quantum'],
      place: '<svg onload=alert(5)>',
    },
    metadata: {
      sources: [
        {
          publisher: '<a href="javascript:alert(6)">Publisher</a>',
          title: `Title ${SCRIPT}`,
          quote: `“He wrote ${IMG} and ${SCRIPT} in the report.”`,
        },
      ],
    },
  };
}

const BEFORE = hostile('Hostile (loaded)');
const LIVE = hostile('Hostile (live)');

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;
const ids: Record<'before' | 'live', string> = { before: '', live: '' };

beforeAll(async () => {
  ({ stack, chromium, app } = await startSession({ browser: { bypassCSP: true } }));
  const result = await stack.append('e2e-hostile', [BEFORE]);
  ids.before = result.events[0]!.eventId;
  await stack.waitForReadModel(result.events[0]!.position);
  await openApp(app.page, stack.url);
  await showDay(app.page, '2024-07-24');
});

afterAll(() => stopSession({ chromium, stack }));

/** Nothing in the document carries an event handler, a script URL, or an element the data smuggled in. */
async function expectNoInjection(): Promise<void> {
  const found = await app.page.evaluate(() => ({
    onerror: document.querySelectorAll('[onerror]').length,
    anyHandler: [...document.querySelectorAll('*')].filter((n) =>
      [...n.attributes].some((a) => a.name.toLowerCase().startsWith('on')),
    ).length,
    img: document.querySelectorAll('img').length,
    iframe: document.querySelectorAll('iframe').length,
    svgOnload: document.querySelectorAll('svg[onload]').length,
    scriptsWithAlert: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('alert'))
      .length,
    javascriptUrls: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
    bold: document.querySelectorAll('.detail b, .vis-timeline b').length,
  }));
  expect(found).toEqual({
    onerror: 0,
    anyHandler: 0,
    img: 0,
    iframe: 0,
    svgOnload: 0,
    scriptsWithAlert: 0,
    javascriptUrls: 0,
    bold: 0,
  });
  expect(app.dialogs).toEqual([]);
}

describe('safe rendering', () => {
  it('draws markup in an event loaded with the page as literal text', async () => {
    const { page } = app;
    const drawn = (await visItems(page)).find((i) => i.itemId === ids.before);
    expect(drawn?.title).toBe(BEFORE.data.title);
    const onScreen = page.locator(DRAWN_ITEM, { hasText: 'Hostile (loaded)' }).first();
    expect(await onScreen.locator('.tl-title').textContent()).toBe(BEFORE.data.title);
    // The tooltip (vis-timeline's popup, given an element) shows the same text.
    await onScreen.hover();
    await page.waitForSelector('.vis-tooltip .tl-tooltip strong', { state: 'attached' });
    expect(await page.locator('.vis-tooltip .tl-tooltip strong').textContent()).toBe(BEFORE.data.title);
    expect(await page.locator('.vis-tooltip').textContent()).toContain(`Actor ${IMG}`);

    await onScreen.click();
    await page.waitForFunction((id) => window.__timeline!.state().selected === id, ids.before);
    const panel = page.getByTestId('detail-panel');
    await expect.poll(() => panel.locator('#detail-heading').textContent()).toBe(BEFORE.data.title);
    expect(await panel.locator('blockquote').textContent()).toBe(BEFORE.metadata!.sources[0]!.quote);
    const text = (await panel.textContent()) ?? '';
    for (const value of [
      String(BEFORE.data.summary),
      String(BEFORE.data.raisedBy),
      String(BEFORE.data.concern),
      String(BEFORE.data.place),
      `Actor ${IMG}`,
      BEFORE.metadata!.sources[0]!.publisher,
      BEFORE.metadata!.sources[0]!.title,
    ])
      expect(text).toContain(value);
    // Give any injected handler (an image error, an SVG load) time to fire before looking.
    await page.waitForTimeout(500);
    await expectNoInjection();
  });

  it('draws markup in an event arriving live, and in group labels, as literal text', async () => {
    const { page } = app;
    const result = await stack.append('e2e-hostile', [LIVE]);
    ids.live = result.events[0]!.eventId;
    await page.waitForFunction(
      (id) => window.__timeline!.dataset.get({ filter: (i) => i.itemId === id }).length > 0,
      ids.live,
    );
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('.vis-item .tl-title')].some((n) => n.textContent === t),
      LIVE.data.title,
    );
    await page.locator(DRAWN_ITEM, { hasText: 'Hostile (live)' }).first().click();
    const panel = page.getByTestId('detail-panel');
    await expect.poll(() => panel.locator('#detail-heading').textContent()).toBe(LIVE.data.title);
    expect(await panel.locator('blockquote').textContent()).toBe(LIVE.metadata!.sources[0]!.quote);

    // Grouped by actor, the hostile actor name becomes a group label: text again.
    await page.getByTestId('group-by').selectOption('actor');
    await page.waitForFunction(() => window.__timeline!.state().groupBy === 'actor');
    await expect.poll(() => groupLabels(page)).toContain(`Actor ${IMG}`);
    // The actor facet and the search box take the same text without interpreting it.
    const facet = page.locator(`[data-testid="facet-actors"][data-value="Actor ${IMG}"]`);
    expect(await facet.count()).toBe(1);
    await page.getByTestId('search').fill(SCRIPT);
    await page.getByTestId('search').press('Enter');
    await page.waitForFunction((q) => window.__timeline!.state().filter.q === q, SCRIPT);
    const state = await page.evaluate(() => window.__timeline!.state());
    expect(new Set(state.visibleIds)).toEqual(new Set([ids.before, ids.live]));
    await page.waitForTimeout(500);
    await expectNoInjection();
    expect(app.errors).toEqual([]);
  });

  it('control: the same markup injected as HTML into the page does fire a dialog here', async () => {
    const control = await chromium.newPage();
    try {
      await openApp(control.page, stack.url);
      await control.page.evaluate((html) => {
        document.body.insertAdjacentHTML('beforeend', html);
      }, IMG);
      await expect.poll(() => control.dialogs.length).toBe(1);
      expect(control.dialogs[0]).toBe('alert: 1');
      expect(await control.page.evaluate(() => document.querySelectorAll('[onerror]').length)).toBe(1);
    } finally {
      await control.page.close();
    }
  });
});
