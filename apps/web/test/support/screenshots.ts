/**
 * The documentation screenshots (1440×900), taken from a running stack:
 *
 *   pnpm --filter @timeline/web screenshots                         # the app at http://127.0.0.1:3000
 *   pnpm --filter @timeline/web screenshots -- --url http://host:port
 *   pnpm --filter @timeline/web screenshots -- --start              # start a stack of its own (seed only)
 *   pnpm --filter @timeline/web screenshots -- --windowed           # a large timeline read by window (only)
 *
 * Writes docs/screenshots/main-view.png, detail-panel.png, replay-player.png and stats-panel.png (or `--out DIR`),
 * and, with a write token (`--start`, or TIMELINE_TOKEN), the editing forms: add-event-form.png,
 * correct-form.png and retract-confirm.png (the forms are opened and filled, nothing is sent).
 * The views are opened through shareable URLs (window, selection, replay position), so each shot is
 * the same on every run against the seeded store.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import type { Page } from 'playwright-core';
import { launchChromium, openApp } from './chromium.ts';
import { shootEditingForms } from './edit-screenshots.ts';
import { type Stack, startStack, WEB_ROOT } from './stack.ts';
import { shootWindowed } from './windowed-screenshots.ts';

const DAY_MS = 86_400_000;
/** The day of the visit, where most of the seed happens: a window of a few days around it. */
const VISIT_WINDOW = {
  start: new Date(Date.parse('2024-07-24T00:00:00Z') - 2.5 * DAY_MS).toISOString(),
  end: new Date(Date.parse('2024-07-24T00:00:00Z') + 3.5 * DAY_MS).toISOString(),
};
/** "TSI quantum pillar": short enough that its fields and both verbatim quotes fit on the screen. */
const SHOWCASE =
  SEED_EVENTS.find((e) => e.type === 'PillarIdentified' && e.data.pillars?.includes('quantum')) ??
  SEED_EVENTS[0]!;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      url: { type: 'string', default: process.env.TIMELINE_URL ?? 'http://127.0.0.1:3000' },
      start: { type: 'boolean', default: false },
      out: { type: 'string', default: resolve(WEB_ROOT, '../../docs/screenshots') },
      windowed: { type: 'boolean', default: false },
      events: { type: 'string', default: '100000' },
    },
  });
  if (values.windowed) {
    await shootWindowed(resolve(values.out), Number(values.events));
    return 0;
  }
  let stack: Stack | undefined;
  if (values.start) {
    console.log('starting a stack (built API + built web app, seed only)…');
    stack = await startStack();
  }
  const base = (stack?.url ?? values.url).replace(/\/+$/, '');
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const chromium = await launchChromium({ viewport: { width: 1440, height: 900 } });
  try {
    const { page, errors } = await chromium.newPage();

    // 1. The main view: live, grouped by pillar, the days of the visit.
    await show(page, `${base}/?${query({ ...VISIT_WINDOW })}`);
    await shoot(page, join(out, 'main-view.png'));

    // 2. The detail panel: one TSI pillar selected (its fields, sources with verbatim quotes, history).
    const selected = (await hasItem(page, SHOWCASE.eventId)) ? SHOWCASE.eventId : await firstVisible(page);
    await show(page, `${base}/?${query({ ...VISIT_WINDOW, sel: selected })}`);
    await page.waitForFunction(() => document.querySelector('.detail blockquote, .detail .lineage') !== null);
    await shoot(page, join(out, 'detail-panel.png'));

    // 3. The replay player: the log replayed to position 24 of the seed, grouped by actor.
    const head = await page.evaluate(() => window.__timeline!.state().head);
    const position = Math.min(24, head);
    await show(
      page,
      `${base}/?${query({ mode: 'replay', pos: String(position), group: 'actor', ...VISIT_WINDOW })}`,
    );
    await page.waitForFunction((p) => {
      const s = window.__timeline!.state();
      return s.logLoaded && s.position === p;
    }, position);
    await shoot(page, join(out, 'replay-player.png'));

    // 4. The stats panel: counts by pillar, type, actor and month under the live timeline.
    await show(page, `${base}/?${query({ ...VISIT_WINDOW, stats: 'all' })}`);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="stats-byMonth"] tbody tr') !== null,
    );
    await shoot(page, join(out, 'stats-panel.png'));

    // 5-7. The editing forms, signed in with a write token.
    const token = stack?.token ?? process.env.TIMELINE_TOKEN;
    if (token) {
      await shootEditingForms(
        { page, show: (url) => show(page, url), shoot: (file) => shoot(page, file) },
        {
          base: `${base}/?${query({ ...VISIT_WINDOW })}`,
          selected: `${base}/?${query({ ...VISIT_WINDOW, sel: selected })}`,
        },
        token,
        {
          add: join(out, 'add-event-form.png'),
          correct: join(out, 'correct-form.png'),
          retract: join(out, 'retract-confirm.png'),
        },
      );
    } else console.warn('no write token (--start or TIMELINE_TOKEN): the editing forms were not shot');

    if (errors.length) console.warn(`page errors:\n${errors.join('\n')}`);
    return 0;
  } finally {
    await chromium.close();
    await stack?.stop();
  }
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

async function show(page: Page, url: string): Promise<void> {
  await openApp(page, url);
  await page.waitForFunction(() => document.querySelector('.vis-item') !== null);
}

async function hasItem(page: Page, itemId: string): Promise<boolean> {
  return page.evaluate((id) => window.__timeline!.state().visibleIds.includes(id), itemId);
}

async function firstVisible(page: Page): Promise<string> {
  return page.evaluate(() => window.__timeline!.state().visibleIds[0] ?? '');
}

async function shoot(page: Page, file: string): Promise<void> {
  // Let the tooltip delay, the debounced facets and vis-timeline's redraws settle.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(600);
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
}
