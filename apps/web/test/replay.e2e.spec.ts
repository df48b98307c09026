/**
 * The replay player against the real stack: stepping through the log from position 0, "as of" a
 * knowledge time before a correction, the A/B diff across that correction, and the "N new events"
 * badge that gathers live events while the user looks at the past; and the stats panel, whose
 * figures must be those of `GET /api/stats` for the same knowledge time.
 */
import type { EventEnvelope, LogPage, TimelineStats } from '@timeline/shared-types';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, openApp, type WatchedPage } from './support/chromium.ts';
import { DRAWN_ITEM, domItems, itemIds, showDay, state, visItems } from './support/page.ts';
import { startSession, stopSession } from './support/session.ts';
import type { Stack } from './support/stack.ts';

/** The seed event that gets corrected: a day-precision fact in the Telecom row. */
const TARGET = SEED_EVENTS.find(
  (e) => e.type === 'PillarScopeDefined' && e.data.pillars?.includes('telecom'),
)!;
const ORIGINAL_TITLE = TARGET.data.title;
const CORRECTED_TITLE = 'TSI telecom pillar (corrected by the e2e suite)';

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;
/** The seeded log, positions 1…SEED_EVENTS.length, as the API reports it. */
let seedLog: EventEnvelope[];
let correctionPosition: number;
/** A knowledge time after the whole seed and before the correction, whole seconds (the input's step). */
let beforeCorrection: Date;

beforeAll(async () => {
  ({ stack, chromium, app } = await startSession());
  const page = (await (await fetch(`${stack.url}/api/events?limit=1000`)).json()) as LogPage;
  seedLog = page.events;
  expect(seedLog.map((e) => e.position)).toEqual(SEED_EVENTS.map((_, i) => i + 1));
  // The "as of" input has one-second steps: correct only once the clock is past the next whole second.
  const lastSeedMs = Date.parse(seedLog.at(-1)!.recordedAt);
  beforeCorrection = new Date(Math.ceil((lastSeedMs + 1) / 1000) * 1000);
  while (Date.now() <= beforeCorrection.getTime() + 200) await new Promise((r) => setTimeout(r, 50));
  const correction = await stack.correct(TARGET.eventId, { title: CORRECTED_TITLE }, 'e2e: title corrected');
  correctionPosition = correction.events[0]!.position;
  expect(correctionPosition).toBe(seedLog.length + 1);
  await stack.waitForReadModel(correctionPosition);
  await openApp(app.page, stack.url);
  // A window narrow enough that nothing clusters: the day of the visit.
  await showDay(app.page, '2024-07-24');
});

afterAll(() => stopSession({ chromium, stack }));

/** The figures the stats panel shows, read from its tables. */
function panelStats(): Promise<TimelineStats> {
  return app.page.evaluate(() => {
    const read = (dimension: string) =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>(`[data-testid="stats-${dimension}"] tbody tr`)].map(
          (tr) => [tr.dataset.key, Number(tr.dataset.count)],
        ),
      );
    const summary = document.querySelector<HTMLElement>('[data-testid="stats-summary"]');
    return {
      byPillar: read('byPillar'),
      byActor: read('byActor'),
      byType: read('byType'),
      byMonth: read('byMonth'),
      total: Number(summary?.dataset.total ?? Number.NaN),
    };
  });
}

async function apiStats(query = ''): Promise<TimelineStats> {
  const response = await fetch(`${stack.url}/api/stats${query}`);
  expect(response.status).toBe(200);
  const { byPillar, byActor, byType, byMonth, total } = (await response.json()) as TimelineStats;
  return { byPillar, byActor, byType, byMonth, total };
}

async function titleOnScreen(itemId: string): Promise<string | undefined> {
  const items = await visItems(app.page);
  return items.find((i) => i.itemId === itemId)?.title;
}

describe('replay', () => {
  it('steps forward from position 0, one item at a time, in log order', async () => {
    const { page } = app;
    expect(await titleOnScreen(TARGET.eventId)).toBe(CORRECTED_TITLE);
    await page.getByTestId('mode-replay').click();
    await page.waitForFunction(() => {
      const s = window.__timeline!.state();
      return s.mode === 'replay' && s.logLoaded;
    });
    // Home on the scrubber: position 0, the empty timeline.
    await page.getByTestId('replay-scrubber').focus();
    await page.keyboard.press('Home');
    await page.waitForFunction(() => window.__timeline!.position() === 0);
    expect(await page.evaluate(() => window.__timeline!.dataset.length)).toBe(0);
    expect(await domItems(page)).toEqual([]);
    // The log's head: the whole seed and the correction.
    await expect
      .poll(() => page.getByTestId('replay-position').textContent())
      .toMatch(new RegExp(`^0 / ${correctionPosition}\\b`));

    const pillarTitles = new Set(
      seedLog.filter((e) => ((e.data.pillars as string[] | undefined) ?? []).length).map((e) => e.data.title),
    );
    for (let k = 1; k <= seedLog.length; k++) {
      await page.getByTestId('replay-step-forward').click();
      await page.waitForFunction((p) => window.__timeline!.position() === p, k);
      const ids = await itemIds(page);
      expect([...ids].sort(), `position ${k}`).toEqual(
        seedLog
          .slice(0, k)
          .map((e) => e.eventId)
          .sort(),
      );
      const s = await state(page);
      expect(s).toMatchObject({
        mode: 'replay',
        position: k,
        head: correctionPosition,
        items: k,
        visible: k,
      });
      // On screen: the item just recorded appears (its row is in view), the next one is not there yet.
      const added = seedLog[k - 1]!;
      const title = String(added.data.title);
      if (pillarTitles.has(title) && added.occurredAt.start === '2024-07-24') {
        await page.waitForFunction(
          (t) =>
            [...document.querySelectorAll('.vis-item.tl-item .tl-title')].some((n) => n.textContent === t),
          title,
        );
      }
      const next = seedLog[k];
      if (next) expect((await domItems(page)).map((i) => i.title)).not.toContain(String(next.data.title));
      expect(await page.getByTestId('replay-position').textContent()).toMatch(
        new RegExp(`^${k} / ${correctionPosition}\\b`),
      );
    }
    // Before the correction the item has its original title; one more step applies the correction.
    expect(await titleOnScreen(TARGET.eventId)).toBe(ORIGINAL_TITLE);
    await page.getByTestId('replay-step-forward').click();
    await page.waitForFunction((p) => window.__timeline!.position() === p, correctionPosition);
    expect(await titleOnScreen(TARGET.eventId)).toBe(CORRECTED_TITLE);
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('.vis-item.tl-item .tl-title')].some((n) => n.textContent === t),
      CORRECTED_TITLE,
    );
    expect(app.errors).toEqual([]);
  });

  it('shows the uncorrected text "as of" a time before the correction', async () => {
    const { page } = app;
    await page.getByTestId('asof-input').fill(beforeCorrection.toISOString().slice(0, 19));
    await page.waitForFunction(() => window.__timeline!.state().asOf !== undefined);
    const s = await state(page);
    expect(s).toMatchObject({
      mode: 'replay',
      asOf: beforeCorrection.toISOString(),
      position: seedLog.length,
    });
    expect(await titleOnScreen(TARGET.eventId)).toBe(ORIGINAL_TITLE);
    const drawn = (await domItems(page)).map((i) => i.title);
    expect(drawn).toContain(ORIGINAL_TITLE);
    expect(drawn).not.toContain(CORRECTED_TITLE);
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('Replay as of');
    // Its detail panel tells the same story: the original title, recorded once, not yet corrected.
    await page.locator(DRAWN_ITEM, { hasText: ORIGINAL_TITLE }).first().click();
    await page.waitForFunction((id) => window.__timeline!.state().selected === id, TARGET.eventId);
    const panel = page.getByTestId('detail-panel');
    await expect.poll(() => panel.locator('#detail-heading').textContent()).toBe(ORIGINAL_TITLE);
    expect(await panel.locator('.lineage li').count()).toBe(1);
  });

  it('marks the corrected item as changed in the diff between before and after', async () => {
    const { page } = app;
    await page.getByTestId('diff-a').fill(String(seedLog.length));
    await page.getByTestId('diff-b').fill(String(correctionPosition));
    await page.getByTestId('diff-run').click();
    await page.waitForFunction(() => window.__timeline!.state().mode === 'diff');
    const s = await state(page);
    expect(s.diff).toEqual({
      a: seedLog.length,
      b: correctionPosition,
      added: [],
      changed: [TARGET.eventId],
      retracted: [],
    });
    const items = await visItems(page);
    const changed = items.filter((i) => i.className.split(' ').includes('diff-changed'));
    expect(changed.map((i) => i.itemId)).toEqual([TARGET.eventId]);
    expect(changed[0]!.title).toBe(CORRECTED_TITLE);
    // On screen: the item carries the class, and the panel lists it under "Changed".
    await page.waitForFunction(
      (t) =>
        [...document.querySelectorAll('.vis-item.diff-changed .tl-title')].some((n) => n.textContent === t),
      CORRECTED_TITLE,
    );
    expect(await page.locator(`${DRAWN_ITEM}.diff-changed`).count()).toBe(1);
    const list = page.getByTestId('detail-panel').locator('.diff-list');
    expect(await list.locator('h4').allTextContents()).toEqual(['Added (0)', 'Changed (1)', 'Retracted (0)']);
    expect(await list.locator('.diff-changed li button').textContent()).toBe(CORRECTED_TITLE);
  });

  it('gathers live events behind the "N new events" badge while replaying; one click goes back to live', async () => {
    const { page } = app;
    await page.getByTestId('diff-clear').click();
    await page.waitForFunction(() => window.__timeline!.state().mode === 'replay');
    await page.getByTestId('replay-step-back').click();
    await page.waitForFunction((p) => window.__timeline!.position() === p, correctionPosition - 1);
    const badge = page.getByTestId('live-badge');
    expect(await badge.isHidden()).toBe(true);

    const result = await stack.append('e2e-replay-badge', [
      {
        type: 'StatementIssued',
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { title: 'Badge event one', speaker: 'E2E', channel: 'remarks', pillars: ['quantum'] },
      },
      {
        type: 'StatementIssued',
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { title: 'Badge event two', speaker: 'E2E', channel: 'remarks', pillars: ['quantum'] },
      },
    ]);
    const newIds = result.events.map((e) => e.eventId);
    await page.waitForFunction(() => window.__timeline!.state().newEvents === 2);
    await expect.poll(() => badge.isVisible()).toBe(true);
    expect(await badge.getAttribute('data-count')).toBe('2');
    expect(await badge.textContent()).toBe('2 new events — back to live');
    // The replayed state on screen is untouched.
    expect(await page.evaluate(() => window.__timeline!.position())).toBe(correctionPosition - 1);
    const during = await itemIds(page);
    for (const id of newIds) expect(during.has(id)).toBe(false);

    await badge.click();
    await page.waitForFunction(() => window.__timeline!.state().mode === 'live');
    const head = correctionPosition + 2;
    const s = await state(page);
    expect(s).toMatchObject({ mode: 'live', position: head, livePosition: head, newEvents: 0 });
    expect(await badge.isHidden()).toBe(true);
    const after = await itemIds(page);
    for (const id of newIds) expect(after.has(id)).toBe(true);
    await page.waitForFunction(() =>
      ['Badge event one', 'Badge event two'].every((t) =>
        [...document.querySelectorAll('.vis-item.tl-item .tl-title')].some((n) => n.textContent === t),
      ),
    );
    expect(await titleOnScreen(TARGET.eventId)).toBe(CORRECTED_TITLE);
    expect(app.errors).toEqual([]);
  });

  it('shows the same figures as GET /api/stats in the stats panel: live, after an append, and "as of"', async () => {
    const { page } = app;
    expect((await state(page)).mode).toBe('live');
    expect(await page.getByTestId('stats-panel').isHidden()).toBe(true);
    await page.getByTestId('stats-toggle').click();
    await expect.poll(() => page.getByTestId('stats-panel').isVisible()).toBe(true);
    expect(await page.getByTestId('stats-toggle').getAttribute('aria-expanded')).toBe('true');
    const live = await apiStats();
    expect(live.total).toBe(seedLog.length + 2);
    await expect.poll(panelStats).toEqual(live);

    // A live append moves the figures without a reload.
    const appended = await stack.append('e2e-stats', [
      {
        type: 'StatementIssued',
        occurredAt: { start: '2025-01-15', precision: 'day' },
        data: {
          title: 'Stats panel event',
          speaker: 'E2E Stats',
          channel: 'remarks',
          pillars: ['semiconductors'],
          actors: ['E2E Stats'],
        },
      },
    ]);
    await stack.waitForReadModel(appended.events[0]!.position);
    const after = await apiStats();
    expect(after.total).toBe(live.total + 1);
    expect(after.byActor['E2E Stats']).toBe(1);
    expect(after.byMonth['2025-01']).toBe(1);
    await expect.poll(panelStats).toEqual(after);

    // "Only events that match the filters": the search narrows the figures to what is shown.
    await page.getByTestId('stats-scope').check();
    await page.getByTestId('search').fill('Badge event');
    await page.getByTestId('search').press('Enter');
    await expect.poll(async () => (await panelStats()).total).toBe(2);
    expect((await panelStats()).byPillar).toEqual({ quantum: 2 });
    expect((await state(page)).stats).toBe('shown');
    await page.getByTestId('filters-clear').click();
    await page.getByTestId('stats-scope').uncheck();
    await expect.poll(panelStats).toEqual(after);

    // As of a moment before the correction and the later appends: the API's figures for that moment.
    await page.getByTestId('asof-input').fill(beforeCorrection.toISOString().slice(0, 19));
    await page.waitForFunction(() => window.__timeline!.state().asOf !== undefined);
    const asOf = await apiStats(`?asOf=${encodeURIComponent(beforeCorrection.toISOString())}`);
    expect(asOf.total).toBe(seedLog.length);
    await expect.poll(panelStats).toEqual(asOf);
    expect(await page.getByTestId('stats-summary').textContent()).toContain('as of');
    expect(await page.getByTestId('stats-json').getAttribute('href')).toBe(
      `/api/stats?asOf=${encodeURIComponent(beforeCorrection.toISOString())}`,
    );
    // The panel's state travels in the URL; the keyboard shortcut closes it.
    await expect.poll(() => page.url()).toContain('stats=all');
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('s');
    await expect.poll(() => page.getByTestId('stats-panel').isHidden()).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
