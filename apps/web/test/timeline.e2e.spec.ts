/**
 * The seeded timeline against the real stack (built API + built web app + Kafka + PGlite): every seed
 * event is drawn, grouped by pillar, regrouped by actor on demand, and an event appended through the
 * API appears in the open page without a reload, at the next log position.
 */
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, launchChromium, openApp, type WatchedPage } from './support/chromium.ts';
import { type Stack, startStack } from './support/stack.ts';
import { domItems, groupIds, groupLabels, itemIds, showDay, visItems } from './support/page.ts';

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;

beforeAll(async () => {
  [stack, chromium] = await Promise.all([startStack(), launchChromium()]);
  app = await chromium.newPage();
  await openApp(app.page, stack.url);
});

afterAll(async () => {
  await chromium?.close();
  await stack?.stop();
});

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
    const labels = await groupLabels(page);
    expect(labels).toEqual(expect.arrayContaining(['David Lammy']));
    expect(labels).not.toContain('Telecom');
    await page.getByTestId('group-by').selectOption('pillar');
    await page.waitForFunction(() =>
      window.__timeline!.groups.getIds().every((id) => String(id).startsWith('pillar:') || id === 'other'),
    );
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
