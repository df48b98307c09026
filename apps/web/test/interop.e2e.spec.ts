/**
 * Interop against the real consumers: the API's TimelineJS export of the seeded stack (plus one era)
 * opens in TimelineJS 3 from the npm package (served from node_modules by a second local site, no
 * CDN) with one slide and one marker per item, its groups as groups, the era as an era and no error
 * message. External requests are refused, so nothing here reaches the network. And `/embed`: the
 * site named in TIMELINE_EMBED_ORIGINS frames it and sees the read-only timeline fitted to the frame;
 * another site's frame is refused by the browser (CSP frame-ancestors).
 */
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, openApp, type WatchedPage } from './support/chromium.ts';
import { signInToEdit } from './support/editing.ts';
import { type InteropSite, startInteropSite } from './support/interop-server.ts';
import { startSession, stopSession } from './support/session.ts';
import type { Stack } from './support/stack.ts';

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;
let site: InteropSite;
let otherSite: InteropSite;

beforeAll(async () => {
  [site, otherSite] = await Promise.all([startInteropSite(), startInteropSite()]);
  ({ stack, chromium, app } = await startSession({
    stack: { env: { TIMELINE_EMBED_ORIGINS: `http://127.0.0.1:${site.port}` } },
  }));
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
  await otherSite?.close();
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
    const exported = (await response.json()) as {
      events: Array<{ group?: string }>;
      eras?: unknown[];
    };
    expect(exported.events).toHaveLength(SEED_EVENTS.length);
    expect(exported.eras).toHaveLength(1);
    site.setDocument(exported);

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
    const groups = [...new Set(exported.events.map((e) => e.group ?? ''))];
    expect(groups).toContain('');
    expect(drawn.slides).toBe(SEED_EVENTS.length);
    expect(drawn.markers).toBe(SEED_EVENTS.length);
    expect(drawn.eras).toBe(1);
    expect(drawn.groups.sort()).toEqual(groups.sort());
    expect(drawn.message).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});

/** A sheet of the TimelineJS template written for this test: a title row, an era, a bad row, odd quoting. */
const SHEET = [
  '\ufeffYear,Month,Day,Time,Headline,Text,Type,Group,Media,Media Caption,End Year',
  ',,,,Harbour imports,,title,,,,',
  '1850,,,,Steam years,,era,,,,1870',
  '1851,5,1,,"Jetty opened, ""at last""","Two lines,\r\nof text",,Harbour works,,,',
  '1852,13,,,Bad month,,,,,,',
  '1853,2,,,,,,,https://example.org/lighthouse.jpg,The lighthouse lit,',
].join('\r\n');

describe('import by drag and drop', () => {
  it('previews a dropped spreadsheet with its problems by row, then imports it', async () => {
    const { page } = await chromium.newPage();
    await openApp(page, stack.url);
    await signInToEdit(page, stack.token);
    const before = await page.evaluate(() => window.__timeline!.position());
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'harbour.csv', { type: 'text/csv' }));
      for (const type of ['dragover', 'drop'])
        document.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
    }, SHEET);
    const summary = page.getByTestId('import-summary');
    await expect
      .poll(() => summary.textContent())
      .toMatch(/^3 event\(s\) will be appended to harbour \(1 of them eras\)/);
    expect(await page.getByTestId('import-problems').textContent()).toMatch(
      /row 5: Month: must be a whole number from 1 to 12/,
    );
    expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('import-submit').isDisabled()).toBe(true);
    await page.getByTestId('import-skip').check();
    await page.getByTestId('import-submit').click();
    await expect
      .poll(() => page.getByTestId('import-status').textContent())
      .toBe('Imported 3 event(s) into harbour; 1 left out.');
    // The three events come back through the live stream like anyone's write.
    await expect
      .poll(() => page.evaluate(() => window.__timeline!.position()), { timeout: 20_000 })
      .toBe(before + 3);
  });
});

describe('/embed', () => {
  it('lets only the configured site frame it; the rest of the app is never framed', async () => {
    const embed = await fetch(`${stack.url}/embed?group=actor`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toContain(
      `frame-ancestors http://127.0.0.1:${site.port}`,
    );
    expect(embed.headers.get('x-frame-options')).toBeNull();
    const page = await fetch(`${stack.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('renders read-only inside a frame on the allowed site, sized to it, its view from the URL', async () => {
    const { page } = await chromium.newPage();
    const src = `${stack.url}/embed?group=actor`;
    await page.goto(`http://127.0.0.1:${site.port}/frame.html?src=${encodeURIComponent(src)}`);
    const frame = await (await page.waitForSelector('#embed')).contentFrame();
    await frame!.waitForSelector('.vis-item', { timeout: 30_000 });
    const shown = await frame!.evaluate(() => {
      const visible = (selector: string) => {
        const node = document.querySelector(selector) as HTMLElement | null;
        return node !== null && node.offsetParent !== null && node.getClientRects().length > 0;
      };
      return {
        filters: visible('.filters'),
        replay: visible('.replay-bar'),
        edit: visible('.edit-slot'),
        timeline: visible('.timeline-canvas'),
        groupBy: (document.querySelector('#group-by') as HTMLSelectElement).value,
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
      };
    });
    expect(shown).toEqual({
      filters: false,
      replay: false,
      edit: false,
      timeline: true,
      groupBy: 'actor',
      width: 900,
      height: 500,
    });
  });

  it('shows the panels a link asks for', async () => {
    const { page } = await chromium.newPage();
    const src = `${stack.url}/embed?panels=filters,replay`;
    await page.goto(`http://127.0.0.1:${site.port}/frame.html?src=${encodeURIComponent(src)}`);
    const frame = await (await page.waitForSelector('#embed')).contentFrame();
    await frame!.waitForSelector('.vis-item', { timeout: 30_000 });
    expect(await frame!.isVisible('.filters')).toBe(true);
    expect(await frame!.isVisible('.replay-bar')).toBe(true);
    expect(await frame!.isVisible('.edit-slot')).toBe(false);
  });

  it('is refused in a frame on any other site', async () => {
    const { page } = await chromium.newPage();
    const src = `${stack.url}/embed`;
    await page.goto(`http://127.0.0.1:${otherSite.port}/frame.html?src=${encodeURIComponent(src)}`);
    const frame = await (await page.waitForSelector('#embed')).contentFrame();
    await page.waitForLoadState('load');
    // Chromium replaces a refused frame's document with its own error page: none of the app is there.
    expect(frame!.url()).toMatch(/^chrome-error:/);
    expect(await frame!.evaluate(() => document.querySelector('.timeline-canvas') === null)).toBe(true);
  });
});
