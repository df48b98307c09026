/**
 * Reads closed by `TIMELINE_READ_TOKENS`, in a real browser: the page asks for a read token, refuses a
 * wrong one, and with the right one loads the timeline and follows it live, `EventSource` included
 * (the read-session cookie carries what EventSource cannot send as a header). The token stays out of
 * the page's reach: not in the URL, storage, or `document.cookie`.
 */
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chromium, WatchedPage } from './support/chromium.ts';
import { itemIds, state } from './support/page.ts';
import { startSession, stopSession } from './support/session.ts';
import type { Stack } from './support/stack.ts';

const READ_TOKEN = 'e2e-read-token-0123456789abcdef';

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;

beforeAll(async () => {
  ({ stack, chromium, app } = await startSession({ stack: { env: { TIMELINE_READ_TOKENS: READ_TOKEN } } }));
});

afterAll(() => stopSession({ chromium, stack }));

describe('closed reads', () => {
  it('asks for a read token, refuses a wrong one, then loads and follows the timeline live', async () => {
    const { page } = app;
    expect((await fetch(`${stack.url}/api/timeline`)).status).toBe(401);
    await page.goto(stack.url);
    const input = page.getByTestId('read-token');
    await expect.poll(() => input.isVisible()).toBe(true);
    expect(await page.getByTestId('status').textContent()).toBe('Read token needed');

    await input.fill('not-the-token');
    await page.getByTestId('read-token-submit').click();
    await expect.poll(() => page.getByTestId('read-token-message').textContent()).toMatch(/not accepted/);

    await input.fill(READ_TOKEN);
    await page.getByTestId('read-token-submit').click();
    await page.evaluate(() => window.__timeline!.ready);
    await page.waitForFunction(() => document.querySelector('.vis-item') !== null);
    expect((await itemIds(page)).size).toBe(SEED_EVENTS.length);
    expect(await input.count()).toBe(0);

    // Live, through EventSource: the cookie goes with it.
    await page.waitForFunction(() => window.__timeline!.state().connection === 'open');
    const appended = await stack.append('e2e-read-token', [
      {
        type: 'StatementIssued',
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { title: 'Behind a read token', speaker: 'E2E', channel: 'remarks', pillars: ['ai'] },
      },
    ]);
    const position = appended.events[0]!.position;
    await page.waitForFunction((p) => window.__timeline!.state().livePosition === p, position);
    expect((await itemIds(page)).has(appended.events[0]!.eventId)).toBe(true);
    expect((await state(page)).mode).toBe('live');

    // The token is not where page scripts could read it.
    const exposed = await page.evaluate(
      (token) =>
        [location.href, document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].some(
          (place) => place.includes(token),
        ),
      READ_TOKEN,
    );
    expect(exposed).toBe(false);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'timeline_read')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(app.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
