/**
 * Interop against the real consumers: the API's TimelineJS export of the seeded stack (plus one era)
 * opens in TimelineJS 3 from the npm package (served from node_modules by a second local site, no
 * CDN) with one slide and one marker per item, its groups as groups, the era as an era and no error
 * message. External requests are refused, so nothing here reaches the network.
 */
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chromium, WatchedPage } from './support/chromium.ts';
import { type InteropSite, startInteropSite } from './support/interop-server.ts';
import { startSession, stopSession } from './support/session.ts';
import type { Stack } from './support/stack.ts';

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;
let site: InteropSite;

beforeAll(async () => {
  site = await startInteropSite();
  ({ stack, chromium, app } = await startSession());
  const era = await stack.append('e2e-eras', [
    {
      type: 'EraMarked',
      occurredAt: { start: '2021', end: '2022', precision: 'year' },
      data: { title: 'Roadmap years' },
      metadata: { sources: [{ publisher: 'e2e', title: 'e2e', quote: 'Roadmap years' }] },
    },
  ]);
  await stack.waitForReadModel(era.events[0]!.position);
});

afterAll(async () => {
  await stopSession({ chromium, stack });
  await site?.close();
});

/** Only the two local sites answer: a request elsewhere (a CDN, a font) fails at once. */
async function localOnly(page: Page): Promise<string[]> {
  const refused: string[] = [];
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost') return route.continue();
    refused.push(route.request().url());
    return route.abort();
  });
  return refused;
}

describe('the TimelineJS export in TimelineJS 3', () => {
  it('opens with one slide and one marker per item, groups as groups, eras as eras, no error', async () => {
    const response = await fetch(`${stack.url}/api/export?format=timelinejs`, { headers: stack.headers() });
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      events: Array<{ group?: string }>;
      eras?: unknown[];
    };
    expect(document.events).toHaveLength(SEED_EVENTS.length);
    expect(document.eras).toHaveLength(1);
    site.setDocument(document);

    const { page } = app;
    await localOnly(page);
    await page.goto(`http://127.0.0.1:${site.port}/timelinejs.html`);
    await page.waitForFunction(() => (window as { timelineLoaded?: boolean }).timelineLoaded === true, null, {
      timeout: 30_000,
    });
    const drawn = await page.evaluate(() => ({
      slides: document.querySelectorAll('.tl-slide').length,
      markers: document.querySelectorAll('.tl-timemarker').length,
      eras: document.querySelectorAll('.tl-timeera').length,
      groups: [...document.querySelectorAll('.tl-timegroup-message')].map((n) => n.textContent?.trim()),
      message: [...document.querySelectorAll('.tl-message-full, .tl-message')]
        .map((n) => n.textContent?.trim())
        .filter(Boolean),
    }));
    // TimelineJS puts the slides without a group (items with no pillar) in one unnamed group.
    const groups = [...new Set(document.events.map((e) => e.group ?? ''))];
    expect(groups).toContain('');
    expect(drawn.slides).toBe(SEED_EVENTS.length);
    expect(drawn.markers).toBe(SEED_EVENTS.length);
    expect(drawn.eras).toBe(1);
    expect(drawn.groups.sort()).toEqual(groups.sort());
    expect(drawn.message).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
