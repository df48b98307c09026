/**
 * The screenshots of the timeline by window (issue 12), from a stack of its own holding a large
 * timeline (PostgreSQL, `fillTimeline` with its read model, between two starts of the API):
 *
 *   pnpm --filter @timeline/web screenshots -- --windowed [--events 100000]
 *
 * Writes docs/screenshots/windowed-buckets.png (the whole range zoomed out: density bars per pillar)
 * and overview-strip.png (a two-year window: items and bars above, the overview strip with its brush).
 */
import { join } from 'node:path';
import { PILLARS, topicNames } from '@timeline/shared-types';
import { uniqueTopicPrefix } from '@timeline/testing';
import { createTestDatabase } from '@timeline/testing/postgres';
import { fillTimeline } from '@timeline/testing/timeline-fill';
import type { Page } from 'playwright-core';
import { launchChromium, openApp } from './chromium.ts';
import { startStack } from './stack.ts';

export async function shootWindowed(out: string, events: number): Promise<void> {
  const db = await createTestDatabase('web_shots');
  console.log(`starting a stack on ${db.name} and filling ${events.toLocaleString('en-GB')} events…`);
  const prefix = uniqueTopicPrefix('web-shots');
  const env = { DATABASE_URL: db.url, KAFKA_TOPIC_PREFIX: prefix, TIMELINE_SEED: 'false' };
  await (await startStack({ env, timeoutMs: 90_000 })).stop();
  await fillTimeline(db.url, {
    total: events,
    pillars: PILLARS,
    readModel: { relayTopic: topicNames(prefix).events },
  });
  const stack = await startStack({ env, timeoutMs: 90_000 });
  const chromium = await launchChromium({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = await chromium.newPage();
    await openApp(page, `${stack.url}/`);
    await settled(page);
    await shoot(page, join(out, 'windowed-buckets.png'));
    await openApp(page, `${stack.url}/?start=2011-01-01T00:00:00.000Z&end=2013-01-01T00:00:00.000Z`);
    await settled(page);
    await shoot(page, join(out, 'overview-strip.png'));
  } finally {
    await chromium.close();
    await stack.stop();
    await db.drop();
  }
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window.__timeline!.state().windowed;
    return w !== undefined && !w.loading && w.mode !== 'none';
  });
}

async function shoot(page: Page, file: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(800);
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
}
