/**
 * The timeline by window against the real stack holding 100,000 events (written straight into the
 * PostgreSQL store with its read model, between two starts of the API): the page reads only what is
 * visible.
 * Zooming from the whole range to one day shows that day's items (drawn in a few layouts, not one per
 * item); clicking a density bar (drawn on a canvas, not as vis items) zooms into
 * its bucket; the overview brush moves the window; scrubbing the replay shows the earlier state from
 * the server; a live append inside the window appears, one outside it moves the overview.
 */
import { PILLARS, topicNames } from '@timeline/shared-types';
import { uniqueTopicPrefix } from '@timeline/testing';
import { createTestDatabase, type TestDatabase } from '@timeline/testing/postgres';
import { fillTimeline, filledDay } from '@timeline/testing/timeline-fill';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, openApp, type WatchedPage } from './support/chromium.ts';
import { nextFrames, state } from './support/page.ts';
import { launchChromium } from './support/chromium.ts';
import { type Stack, startStack } from './support/stack.ts';

const FILLED = 100_000;
const DAY_MS = 86_400_000;

let db: TestDatabase;
let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;
let head: number;
/** A position among the filled events, and the day it is dated on. */
let probe: { position: number; day: string };

beforeAll(async () => {
  db = await createTestDatabase('web_windowed');
  const prefix = uniqueTopicPrefix('web-windowed');
  const env = {
    DATABASE_URL: db.url,
    KAFKA_TOPIC_PREFIX: prefix,
    TIMELINE_SEED: 'false',
    TIMELINE_RATE_LIMIT: '0',
  };
  // The first start migrates the empty store; the fill then writes the log and its read model while
  // the API is stopped, and the second start serves them.
  const [first, browser] = await Promise.all([startStack({ env, timeoutMs: 90_000 }), launchChromium()]);
  chromium = browser;
  await first.stop();
  await fillTimeline(db.url, {
    total: FILLED,
    pillars: PILLARS,
    readModel: { relayTopic: topicNames(prefix).events },
  });
  head = FILLED;
  stack = await startStack({ env, timeoutMs: 90_000 });
  expect(await stack.head()).toBe(head);
  const position = 4242;
  probe = { position, day: filledDay(position) };
  app = await chromium.newPage();
  await openApp(app.page, stack.url);
}, 240_000);

afterAll(async () => {
  await chromium?.close();
  await stack?.stop();
  await db?.drop();
});

/** Waits until the page has no window request on its way and the last one answered `mode`. */
async function settled(page: Page, mode?: 'items' | 'buckets'): Promise<void> {
  await page.waitForFunction(
    (m) => {
      const w = window.__timeline!.state().windowed;
      return w !== undefined && !w.loading && (m === undefined || w.mode === m);
    },
    mode,
    { timeout: 20_000 },
  );
  await nextFrames(page);
}

/** Sets the timeline's window and waits until the app has taken it (vis reports a range change later). */
async function setWindow(page: Page, start: number, end: number): Promise<void> {
  await page.evaluate(
    ([s, e]) => window.__timeline!.timeline.setWindow(s!, e!, { animation: false }),
    [start, end],
  );
  await waitForSpan(page, (end - start) * 0.99, (end - start) * 1.01);
}

/** Waits until the app's window (the URL state) spans between `min` and `max` ms. */
async function waitForSpan(page: Page, min: number, max = Number.MAX_SAFE_INTEGER): Promise<void> {
  await page.waitForFunction(
    ([lo, hi]) => {
      const w = window.__timeline!.state().window;
      const span = w === undefined ? Number.NaN : Date.parse(w.end) - Date.parse(w.start);
      return span >= lo! && span <= hi!;
    },
    [min, max],
  );
}

/** The ids of the timeline items (not density bars) in the DataSet. */
function itemIdsInDataSet(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    window
      .__timeline!.dataset.get()
      .map((i) => i.itemId)
      .filter((id): id is string => typeof id === 'string'),
  );
}

/** The density bars drawn on the timeline's canvas (its `data-bars`); none are vis items. */
function bucketBars(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector<HTMLElement>('.tl-bars')?.dataset.bars ?? -1));
}

describe('the timeline by window at 100,000 events', () => {
  it('opens zoomed out on density bars, not on every event', async () => {
    const { page } = app;
    await settled(page, 'buckets');
    const s = await state(page);
    expect(s.windowed?.mode).toBe('buckets');
    expect(s.windowed?.buckets).toBeGreaterThan(0);
    expect(await bucketBars(page)).toBeGreaterThan(0);
    expect(await page.locator('.vis-item').count()).toBe(0);
    // A bar is drawn inside its own row: its rect on the canvas against the row vis-timeline laid out.
    const placed = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLElement>('.tl-bars')!;
      const bar = JSON.parse(canvas.dataset.sampleBar!) as { y: number; h: number; group: string };
      const internal = window.__timeline!.timeline as unknown as {
        itemSet: { groups: Record<string, { dom: { foreground: HTMLElement } }> };
      };
      const row = internal.itemSet.groups[bar.group]!.dom.foreground.getBoundingClientRect();
      const top = canvas.getBoundingClientRect().top + bar.y;
      return { top, bottom: top + bar.h, rowTop: row.top, rowBottom: row.bottom };
    });
    expect(placed.top).toBeGreaterThan(placed.rowTop);
    expect(placed.bottom).toBeLessThan(placed.rowBottom);
    // The browser holds a window's worth, not the timeline.
    expect(await page.evaluate(() => window.__timeline!.dataset.length)).toBeLessThan(5000);
    const overview = await page.evaluate(() => {
      const strip = document.querySelector<HTMLElement>('[data-testid="overview"]')!;
      return { hidden: strip.hidden, total: Number(strip.dataset.total) };
    });
    expect(overview.hidden).toBe(false);
    expect(overview.total).toBeGreaterThanOrEqual(FILLED);
  });

  it('switching from density bars to items lays the page out a few times, not once per item', async () => {
    const { page } = app;
    await settled(page, 'buckets');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const layouts = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'LayoutCount')?.value ?? 0;
    const day = Date.parse(`${probe.day}T00:00:00Z`);
    const before = await layouts();
    await setWindow(page, day - 3 * DAY_MS, day + 3 * DAY_MS);
    await settled(page, 'items');
    const after = await layouts();
    const drawn = await page.evaluate(() => document.querySelectorAll('.vis-item.tl-item').length);
    await cdp.detach();
    expect(drawn).toBeGreaterThan(60);
    // vis-timeline draws an added item on its own, reading its size right after writing it: a forced
    // layout per item (two per item in a trace). drawAddedItemsInBatches leaves one per group and redraw.
    expect(after - before).toBeLessThan(drawn / 2);
  });

  it('zooming from the whole range to one day shows that day’s items', async () => {
    const { page } = app;
    const day = Date.parse(`${probe.day}T00:00:00Z`);
    await setWindow(page, day - DAY_MS / 4, day + DAY_MS + DAY_MS / 4);
    await settled(page, 'items');
    const response = await fetch(
      `${stack.url}/api/timeline?from=${probe.day}&to=${probe.day}&budget=5000`,
    ).then((r) => r.json() as Promise<{ items: Array<{ id: string }> }>);
    expect(response.items.length).toBeGreaterThan(0);
    const shown = new Set(await itemIdsInDataSet(page));
    for (const item of response.items) expect(shown.has(item.id)).toBe(true);
    expect(await bucketBars(page)).toBe(0);
    await page.waitForFunction(() => document.querySelector('.vis-item.tl-item') !== null);
  });

  it('clicking a density bar zooms into its bucket', async () => {
    const { page } = app;
    await page.click('[data-testid="fit"]');
    await waitForSpan(page, 10 * 365 * DAY_MS);
    await settled(page, 'buckets');
    const before = (await state(page)).window!;
    // One bar well inside the panel, as the canvas drew it: its rect (canvas pixels) and its bucket.
    const bar = await page.evaluate(() => {
      const sample = document.querySelector<HTMLElement>('.tl-bars')?.dataset.sampleBar;
      return sample
        ? (JSON.parse(sample) as { x: number; y: number; w: number; h: number; start: number; end: number })
        : undefined;
    });
    expect(bar).toBeDefined();
    const canvas = (await page.locator('.tl-bars').boundingBox())!;
    await page.mouse.click(canvas.x + bar!.x + bar!.w / 2, canvas.y + bar!.y + bar!.h / 2);
    await page.waitForFunction((span) => {
      const w = window.__timeline!.state().window;
      return w !== undefined && Date.parse(w.end) - Date.parse(w.start) < span / 4;
    }, Date.parse(before.end) - Date.parse(before.start));
    // The window is that bar's bucket: the click hit the bar drawn under the pointer.
    const after = (await state(page)).window!;
    expect(Math.abs(Date.parse(after.start) - bar!.start)).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(after.end) - bar!.end)).toBeLessThan(60_000);
    await settled(page);
  });

  it('dragging the overview brush moves the window', async () => {
    const { page } = app;
    const day = Date.parse(`${probe.day}T00:00:00Z`);
    await setWindow(page, day - 60 * DAY_MS, day + 60 * DAY_MS);
    await settled(page);
    const before = (await state(page)).window!;
    const brush = await page.locator('[data-testid="overview-brush"]').boundingBox();
    const strip = await page.locator('[data-testid="overview"]').boundingBox();
    expect(brush && strip).toBeTruthy();
    const y = brush!.y + brush!.height / 2;
    const fromX = brush!.x + brush!.width / 2;
    // Drag it to the other half of the strip.
    const toX =
      fromX < strip!.x + strip!.width / 2 ? strip!.x + strip!.width * 0.8 : strip!.x + strip!.width * 0.2;
    await page.mouse.move(fromX, y);
    await page.mouse.down();
    await page.mouse.move((fromX + toX) / 2, y, { steps: 4 });
    await page.mouse.move(toX, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction((start) => {
      const w = window.__timeline!.state().window;
      return w !== undefined && Math.abs(Date.parse(w.start) - start) > 365 * 86_400_000;
    }, Date.parse(before.start));
    const after = (await state(page)).window!;
    // The zoom stays; only the place moves.
    const span = (w: { start: string; end: string }) => Date.parse(w.end) - Date.parse(w.start);
    expect(Math.abs(span(after) - span(before))).toBeLessThan(span(before) * 0.05);
    await settled(page);
  });

  it('scrubbing the replay shows the earlier state, from the server', async () => {
    const { page } = app;
    const day = Date.parse(`${probe.day}T00:00:00Z`);
    await setWindow(page, day - DAY_MS / 4, day + DAY_MS + DAY_MS / 4);
    await settled(page, 'items');
    expect(await itemIdsInDataSet(page)).toContain(await idAt(probe.position));
    await page.click('[data-testid="mode-replay"]');
    const scrubber = page.locator('[data-testid="replay-scrubber"]');
    await scrubber.evaluate((input, position) => {
      (input as HTMLInputElement).value = String(position);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, probe.position - 1);
    await page.waitForFunction((p) => window.__timeline!.state().position === p, probe.position - 1);
    await settled(page);
    expect(await itemIdsInDataSet(page)).not.toContain(await idAt(probe.position));
    const histogram = await page.evaluate(() => {
      const chart = document.querySelector<HTMLElement>('[data-testid="log-histogram"]')!;
      return { hidden: chart.hidden, buckets: Number(chart.dataset.buckets) };
    });
    expect(histogram.hidden).toBe(false);
    expect(histogram.buckets).toBeGreaterThan(0);
    // The page never read the log.
    expect((await state(page)).logLoaded).toBe(false);
    await page.click('[data-testid="mode-live"]');
    await settled(page);
  });

  it('a live append inside the window appears; one outside moves the overview', async () => {
    const { page } = app;
    const day = Date.parse(`${probe.day}T00:00:00Z`);
    await setWindow(page, day - DAY_MS / 4, day + DAY_MS + DAY_MS / 4);
    await settled(page, 'items');
    const inside = await stack.append('windowed-live', [meeting(probe.day, 'Inside the window (e2e)')]);
    const insideId = inside.events[0]!.eventId;
    await page.waitForFunction(
      (id) => window.__timeline!.dataset.get().some((i) => i.itemId === id),
      insideId,
      { timeout: 20_000 },
    );
    const total = () =>
      page.evaluate(() =>
        Number(document.querySelector<HTMLElement>('[data-testid="overview"]')!.dataset.total),
      );
    const before = await total();
    const far = new Date(day + 3 * 365 * DAY_MS).toISOString().slice(0, 10);
    const outside = await stack.append('windowed-live', [meeting(far, 'Outside the window (e2e)')]);
    await page.waitForFunction(
      (n) => {
        const strip = document.querySelector<HTMLElement>('[data-testid="overview"]')!;
        return Number(strip.dataset.total) > n;
      },
      before,
      { timeout: 20_000 },
    );
    const ids = await itemIdsInDataSet(page);
    expect(ids).not.toContain(outside.events[0]!.eventId);
    expect(ids).toContain(insideId);
  });
});

async function idAt(position: number): Promise<string> {
  const page = (await (await fetch(`${stack.url}/api/events?after=${position - 1}&limit=1`)).json()) as {
    events: Array<{ eventId: string }>;
  };
  return page.events[0]!.eventId;
}

function meeting(day: string, title: string) {
  return {
    type: 'MeetingHeld',
    occurredAt: { start: day, precision: 'day' as const },
    data: {
      title,
      summary: 'Appended by the windowed e2e spec.',
      actors: ['Keir Starmer', 'Narendra Modi'],
      participants: ['Keir Starmer', 'Narendra Modi'],
      pillars: ['telecom'],
      format: 'talks',
      place: 'London',
      topics: ['Live append'],
    },
    metadata: { sources: [{ publisher: 'e2e', title: 'windowed e2e', quote: 'A live event.' }] },
  };
}
