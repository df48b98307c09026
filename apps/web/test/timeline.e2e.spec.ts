/**
 * The seeded timeline against the real stack (built API + built web app + Kafka + PGlite): every seed
 * event is drawn, grouped by pillar, and regrouped by actor on demand; a shared link restores the view
 * (window, grouping, filters, replay position, selection) in a new page; the timeline works from the
 * keyboard (tab to it, arrow keys select, Enter opens the detail panel with the verbatim quotes); and an
 * event appended through the API appears in the open page without a reload, at the next log position.
 * One stack and one browser for the file; the tests that change the store come last.
 */
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, openApp, type WatchedPage } from './support/chromium.ts';
import { startSession, stopSession } from './support/session.ts';
import type { Stack } from './support/stack.ts';
import {
  DRAWN_ITEM,
  domItems,
  groupIds,
  groupLabels,
  itemIds,
  showDay,
  state,
  visItems,
} from './support/page.ts';

/** "Jaishankar and Lammy hold wide-ranging talks": a meeting with seven verbatim quotes. */
const TALKS = SEED_EVENTS.find((e) => e.type === 'MeetingHeld' && e.metadata.sources.length >= 7)!;

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;

beforeAll(async () => {
  ({ stack, chromium, app } = await startSession());
  await openApp(app.page, stack.url);
});

afterAll(() => stopSession({ chromium, stack }));

describe('the seeded timeline', () => {
  it('draws every seed event, grouped by pillar', async () => {
    const { page } = app;
    const ids = await itemIds(page);
    for (const event of SEED_EVENTS) expect(ids, event.data.title).toContain(event.eventId);
    expect(ids.size).toBe(SEED_EVENTS.length);
    expect(await page.evaluate(() => window.__timeline!.state().groupBy)).toBe('pillar');

    // Each item sits in one row per pillar it names, or in "Other" when it names none.
    const groups = await groupIds(page);
    expect([...groups].every((id) => id.startsWith('pillar:') || id === 'other')).toBe(true);
    const items = await visItems(page);
    for (const event of SEED_EVENTS) {
      const pillars: readonly string[] = event.data.pillars ?? [];
      const expected = pillars.length ? pillars.map((p) => `pillar:${p}`) : ['other'];
      const drawn = items.filter((i) => i.itemId === event.eventId).map((i) => i.group);
      expect(drawn.sort(), event.data.title).toEqual([...expected].sort());
      for (const group of drawn) expect(groups).toContain(group);
    }

    // The visible DOM: the group rows are labelled with pillar names, and items are drawn.
    const labels = await groupLabels(page);
    expect(labels).toEqual(expect.arrayContaining(['Telecom', 'Other (no pillar)']));
    expect((await domItems(page)).length).toBeGreaterThan(0);
    // Zoomed in on 24 July 2024 (no clustering), each event of that day shows its own title.
    // (The pillar rows come first; "Other" holds the rest, further down the scrolling timeline.)
    await showDay(page, '2024-07-24');
    const inPillarRows = SEED_EVENTS.filter(
      (e) => e.occurredAt.start === '2024-07-24' && (e.data.pillars ?? []).length > 0,
    ).map((e) => e.data.title);
    expect(inPillarRows.length).toBeGreaterThan(10);
    await expect
      .poll(async () => {
        const drawn = new Set((await domItems(page)).map((i) => i.title));
        return inPillarRows.filter((title) => !drawn.has(title));
      })
      .toEqual([]);
  });

  it('regroups by actor when the group-by control says so', async () => {
    const { page } = app;
    await page.getByTestId('group-by').selectOption('actor');
    await page.waitForFunction(() =>
      window.__timeline!.groups.getIds().every((id) => String(id).startsWith('actor:') || id === 'other'),
    );
    expect(await page.evaluate(() => window.__timeline!.state().groupBy)).toBe('actor');
    const groups = await groupIds(page);
    const items = await visItems(page);
    for (const event of SEED_EVENTS) {
      const actors: readonly string[] = event.data.actors ?? [];
      const expected = actors.length ? actors.map((a) => `actor:${a}`) : ['other'];
      const drawn = items.filter((i) => i.itemId === event.eventId).map((i) => i.group);
      expect(drawn.sort(), event.data.title).toEqual([...new Set(expected)].sort());
    }
    expect(groups).toContain('actor:David Lammy');
    expect(groups).toContain('actor:S Jaishankar');
    expect([...groups].some((id) => id.startsWith('pillar:'))).toBe(false);
    // The rows on screen are now people and institutions, not pillars.
    await expect.poll(() => groupLabels(page)).toEqual(expect.arrayContaining(['David Lammy']));
    expect(await groupLabels(page)).not.toContain('Telecom');
    await page.getByTestId('group-by').selectOption('pillar');
    await page.waitForFunction(() =>
      window.__timeline!.groups.getIds().every((id) => String(id).startsWith('pillar:') || id === 'other'),
    );
  });
});

describe('shared URL', () => {
  it('restores the same window, filters, grouping, position and selection in a new page', async () => {
    const a = await chromium.newPage();
    const { page } = a;
    await openApp(page, stack.url);
    await page.getByTestId('group-by').selectOption('actor');
    await page.locator('[data-testid="facet-types"][data-value="StatementIssued"]').check();
    await page.locator('[data-testid="facet-types"][data-value="MeetingHeld"]').check();
    await page.getByTestId('search').fill('Lammy');
    await page.getByTestId('search').press('Enter');
    await page.getByTestId('mode-replay').click();
    await page.waitForFunction(() => window.__timeline!.state().logLoaded);
    // Log position 30 with the scrubber: Home, then 30 steps to the right.
    await page.getByTestId('replay-scrubber').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.__timeline!.position() === 30);
    await showDay(page, '2024-07-24');
    await page.locator(DRAWN_ITEM, { hasText: TALKS.data.title }).first().click();
    await page.waitForFunction((id) => window.__timeline!.state().selected === id, TALKS.eventId);
    const before = await state(page);
    expect(before).toMatchObject({
      mode: 'replay',
      groupBy: 'actor',
      position: 30,
      filter: { q: 'Lammy', types: ['StatementIssued', 'MeetingHeld'], pillars: [], actors: [] },
    });
    expect(before.visible).toBeGreaterThan(0);
    expect(before.visible).toBeLessThan(before.items);
    // The URL follows the view (debounced): wait until it names every piece of it.
    expect(before.window).toBeDefined();
    await page.waitForFunction(
      ({ sel, window }) => {
        const q = new URLSearchParams(location.search);
        return (
          q.get('mode') === 'replay' &&
          q.get('pos') === '30' &&
          q.get('group') === 'actor' &&
          q.get('q') === 'Lammy' &&
          q.getAll('type').length === 2 &&
          q.get('start') === window.start &&
          q.get('end') === window.end &&
          q.get('sel') === sel
        );
      },
      { sel: before.selected, window: before.window! },
    );
    const url = page.url();
    const labelsBefore = await groupLabels(page);
    const drawnBefore = (await domItems(page)).map((i) => i.title).sort();

    const b = await chromium.newPage();
    await openApp(b.page, url);
    await b.page.waitForFunction(() => window.__timeline!.state().logLoaded);
    const after = await state(b.page);
    for (const key of [
      'mode',
      'groupBy',
      'filter',
      'window',
      'position',
      'head',
      'selected',
      'items',
      'visible',
      'visibleIds',
    ] as const)
      expect(after[key], key).toEqual(before[key]);
    // The controls and the drawing agree with the state.
    expect(await b.page.getByTestId('group-by').inputValue()).toBe('actor');
    expect(await b.page.getByTestId('search').inputValue()).toBe('Lammy');
    expect(
      await b.page.locator('[data-testid="facet-types"][data-value="StatementIssued"]').isChecked(),
    ).toBe(true);
    expect(await b.page.getByTestId('replay-scrubber').inputValue()).toBe('30');
    await expect.poll(() => groupLabels(b.page)).toEqual(labelsBefore);
    await expect.poll(async () => (await domItems(b.page)).map((i) => i.title).sort()).toEqual(drawnBefore);
    await expect
      .poll(() => b.page.getByTestId('detail-panel').locator('#detail-heading').textContent())
      .toBe(TALKS.data.title);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.page.close();
    await b.page.close();
  });
});

describe('keyboard', () => {
  it('tabs to the timeline, selects with the arrow keys, and Enter opens the panel with the quote', async () => {
    const { page, errors } = await chromium.newPage();
    await openApp(page, stack.url);
    const visibleIds = (await state(page)).visibleIds;
    expect(visibleIds.length).toBe(SEED_EVENTS.length);

    // The first tab stop is the skip link; tabbing on reaches the timeline region.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the timeline');
    let presses = 1;
    while ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'timeline') {
      await page.keyboard.press('Tab');
      if (++presses > 150) throw new Error('Tab never reached the timeline');
    }

    const selected = () => page.evaluate(() => window.__timeline!.state().selected);
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe(visibleIds[0]);
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe(visibleIds[1]);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(selected).toBe(visibleIds[0]);
    await page.keyboard.press('End');
    await expect.poll(selected).toBe(visibleIds.at(-1));
    // Walk back to an event with several sources (the talks, with seven quotes).
    const talks = TALKS;
    const target = visibleIds.indexOf(talks.eventId);
    expect(target).toBeGreaterThanOrEqual(0);
    for (let i = visibleIds.length - 1; i > target; i--) await page.keyboard.press('ArrowLeft');
    await expect.poll(selected).toBe(talks.eventId);
    // vis-timeline holds the selection (every row the item is drawn in) …
    const selection = await page.evaluate(() => window.__timeline!.timeline.getSelection().map(String));
    expect(selection.length).toBeGreaterThan(0);
    expect(selection.every((id) => id.startsWith(`${talks.eventId}::`))).toBe(true);
    // … and once zoomed in with the keyboard ('+', about three years down to a few weeks, where items
    // are no longer clustered) it is drawn, centred and marked selected.
    for (let i = 0; i < 12; i++) {
      const w = (await state(page)).window!;
      if (Date.parse(w.end) - Date.parse(w.start) < 30 * 86_400_000) break;
      await page.keyboard.press('+');
    }
    await page.waitForFunction(
      (t) =>
        [...document.querySelectorAll('.vis-item.vis-selected .tl-title')].some((n) => n.textContent === t),
      talks.data.title,
    );
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('timeline');

    await page.keyboard.press('Enter');
    const focus = await page.evaluate(() => ({
      id: document.activeElement?.id,
      inPanel:
        document.querySelector('[data-testid="detail-panel"]')?.contains(document.activeElement) ?? false,
    }));
    expect(focus).toEqual({ id: 'detail-heading', inPanel: true });
    const panel = page.getByTestId('detail-panel');
    expect(await panel.locator('#detail-heading').textContent()).toBe(talks.data.title);
    const quotes = await panel.locator('blockquote').allTextContents();
    expect(quotes).toEqual(talks.metadata.sources.map((s) => s.quote));
    // Escape in the panel goes back to the timeline.
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('timeline');
    expect(errors).toEqual([]);
  });
});

describe('live', () => {
  it('shows an event appended through the API without a reload, at the next position', async () => {
    const { page } = app;
    // A marker that a reload would wipe.
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    const before = await page.evaluate(() => window.__timeline!.position());
    const head = await stack.head();
    expect(before).toBe(head);

    const title = `Live e2e event ${Date.now()}`;
    const result = await stack.append('e2e-live', [
      {
        type: 'StatementIssued',
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { title, speaker: 'E2E Speaker', channel: 'remarks', actors: ['E2E Speaker'], pillars: ['ai'] },
        metadata: { sources: [{ publisher: 'E2E', title: 'Live test', quote: 'A live quote.' }] },
      },
    ]);
    const appended = result.events[0]!;
    expect(appended.position).toBe(head + 1);

    await page.waitForFunction(
      (id) => window.__timeline!.dataset.get({ filter: (i) => i.itemId === id }).length > 0,
      appended.eventId,
    );
    expect(await page.evaluate(() => window.__timeline!.position())).toBe(before + 1);
    const state = await page.evaluate(() => window.__timeline!.state());
    expect(state).toMatchObject({
      mode: 'live',
      position: before + 1,
      livePosition: before + 1,
      newEvents: 0,
    });
    expect(state.visibleIds).toContain(appended.eventId);
    const items = await visItems(page);
    expect(items.filter((i) => i.itemId === appended.eventId).map((i) => i.group)).toEqual(['pillar:ai']);
    // On screen: its title in the AI row (the window still shows 24 July 2024), and the status line.
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('.vis-item.tl-item .tl-title')].some((n) => n.textContent === t),
      title,
    );
    await expect.poll(() => page.getByTestId('status').textContent()).toContain(`position ${before + 1}`);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
