/**
 * Editing from the page against the real stack: sign in with a write token, add an event with a
 * verbatim quote (refused first for the missing quote, field by field), see it arrive live; correct
 * it and see the lineage; retract it (with the confirm step) and see it leave the timeline while
 * replay still shows it before the retraction. The token stays out of storage, cookies and the URL.
 * Then the page's JSONL export link, re-imported with the CLI into a second, empty API, gives the
 * same timeline (see `comparable` for what "same" means).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LogPage, TimelineItem, TimelineResponse } from '@timeline/shared-types';
import { runNode } from '@timeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, openApp, type WatchedPage } from './support/chromium.ts';
import { fieldError, fillFields, signInToEdit } from './support/editing.ts';
import { itemIds, state } from './support/page.ts';
import { startSession, stopSession } from './support/session.ts';
import { type Stack, startStack, WEB_ROOT } from './support/stack.ts';

const CLI_MAIN = resolve(WEB_ROOT, '../cli/dist/main.js');
const STREAM = 'e2e-web-editing';
const TITLE = 'UK and India discuss AI safety (added from the page)';
const CORRECTED = 'UK and India discuss AI safety institutes (corrected from the page)';

let stack: Stack;
let chromium: Chromium;
let app: WatchedPage;
let added: string;
let scratch: string;

beforeAll(async () => {
  ({ stack, chromium, app } = await startSession());
  scratch = await mkdtemp(join(tmpdir(), 'timeline-web-editing-'));
  await openApp(app.page, stack.url);
});

afterAll(async () => {
  await stopSession({ chromium, stack });
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function log(after = 0): Promise<LogPage['events']> {
  return ((await (await fetch(`${stack.url}/api/events?after=${after}&limit=1000`)).json()) as LogPage)
    .events;
}

describe('editing in the page', () => {
  it('signs in with a write token and adds an event with a quote, which arrives live', async () => {
    const { page } = app;
    await signInToEdit(page, stack.token);
    await page.getByTestId('add-event').click();
    // The stream list comes from GET /api/streams.
    await expect
      .poll(() =>
        page.locator('#known-streams option').evaluateAll((o) => o.map((n) => n.getAttribute('value'))),
      )
      .toContain('initiative-tsi');
    await page.getByTestId('field-type').selectOption('StatementIssued');
    await fillFields(page, {
      streamId: STREAM,
      'data.title': TITLE,
      'data.speaker': 'E2E Minister',
      'data.channel': 'remarks',
      'data.actors': 'India, United Kingdom',
      'data.pillars': ['ai'],
      'occurredAt.start': '2024-07-25',
      'occurredAt.precision': 'day',
      'sources.0.publisher': 'E2E Gazette',
      'sources.0.title': 'Remarks on AI',
      'sources.0.url': 'https://example.org/remarks',
    });
    // No quote: refused in the page, next to the field, and nothing is lost.
    await page.getByTestId('add-submit').click();
    expect(await fieldError(page, 'sources.0.quote')).toMatch(/required/);
    expect(await page.getByTestId('field-data.title').inputValue()).toBe(TITLE);
    const headBefore = await stack.head();

    await fillFields(page, { 'sources.0.quote': 'We will work together on AI safety.' });
    await page.getByTestId('add-submit').click();
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="edit-dialog"]')?.hasAttribute('open'),
    );
    await page.waitForFunction((h) => window.__timeline!.state().livePosition > h, headBefore);
    await page.waitForFunction(() => window.__timeline!.state().selected !== undefined);
    added = (await state(page)).selected!;
    expect((await itemIds(page)).has(added)).toBe(true);
    const panel = page.getByTestId('detail-panel');
    expect(await panel.locator('#detail-heading').textContent()).toBe(TITLE);
    expect(await panel.locator('blockquote').textContent()).toBe('We will work together on AI safety.');
    const stored = (await log(headBefore)).find((e) => e.eventId === added)!;
    expect(stored).toMatchObject({ streamId: STREAM, type: 'StatementIssued' });
    expect(stored.data).toMatchObject({ title: TITLE, actors: ['India', 'United Kingdom'], pillars: ['ai'] });
  });

  it('corrects it from the detail panel and shows the lineage', async () => {
    const { page } = app;
    const panel = page.getByTestId('detail-panel');
    await panel.getByTestId('correct-event').click();
    expect(await page.getByTestId('field-data.title').inputValue()).toBe(TITLE);
    await fillFields(page, { 'data.title': CORRECTED });
    // No reason: refused in the page.
    await page.getByTestId('correct-submit').click();
    expect(await fieldError(page, 'reason')).toMatch(/why/);
    await fillFields(page, { reason: 'e2e: the institutes were named' });
    await page.getByTestId('correct-submit').click();
    await expect.poll(() => panel.locator('.lineage li').count()).toBe(2);
    expect(await panel.locator('#detail-heading').textContent()).toBe(CORRECTED);
    expect(await panel.locator('.lineage-corrected').textContent()).toMatch(/institutes were named/);
    const correction = (await log()).find(
      (e) => e.type === 'EventCorrected' && e.data.correctedEventId === added,
    )!;
    // Only the changed field is in the patch.
    expect(correction.data.patch).toEqual({ title: CORRECTED });
  });

  it('retracts it after a confirm step; replay still shows it before the retraction', async () => {
    const { page } = app;
    await page.getByTestId('detail-panel').getByTestId('retract-event').click();
    await fillFields(page, { reason: 'e2e: withdrawn' });
    await page.getByTestId('retract-submit').click();
    await page.getByTestId('retract-confirm').waitFor({ state: 'visible' });
    expect((await itemIds(page)).has(added)).toBe(true);
    await page.getByTestId('retract-confirm-yes').click();
    await expect.poll(async () => (await itemIds(page)).has(added)).toBe(false);
    const retraction = (await log()).find(
      (e) => e.type === 'EventRetracted' && e.data.retractedEventId === added,
    )!;

    const replayAt = async (position: number) => {
      await openApp(page, `${stack.url}/?mode=replay&pos=${position}&sel=${added}`);
      await page.waitForFunction((p) => window.__timeline!.state().position === p, position);
      return itemIds(page);
    };
    expect((await replayAt(retraction.position - 1)).has(added)).toBe(true);
    expect(await page.getByTestId('detail-panel').locator('#detail-heading').textContent()).toBe(CORRECTED);
    expect((await replayAt(retraction.position)).has(added)).toBe(false);
  });

  it('keeps the write token out of storage, cookies and the URL; a reload forgets it', async () => {
    const { page } = app;
    await openApp(page, stack.url);
    expect(await page.getByTestId('sign-in-edit').isVisible()).toBe(true);
    // A wrong token is refused in the dialog, before any form.
    await page.getByTestId('sign-in-edit').click();
    await page.getByTestId('write-token').fill('not-a-write-token');
    await page.getByTestId('write-token-submit').click();
    await expect.poll(() => page.getByTestId('form-message').textContent()).toMatch(/not accepted/);
    await page.getByTestId('dialog-close').click();
    await signInToEdit(page, stack.token);
    const places = await page.evaluate(async () => [
      location.href,
      document.cookie,
      JSON.stringify(localStorage),
      JSON.stringify(sessionStorage),
      JSON.stringify((await indexedDB.databases()).map((d) => d.name)),
    ]);
    expect(places.filter((place) => place.includes(stack.token))).toEqual([]);
    expect((await page.context().cookies()).filter((c) => c.value.includes(stack.token))).toEqual([]);
    await page.getByTestId('sign-out').click();
    expect(await page.getByTestId('sign-in-edit').isVisible()).toBe(true);
    expect(await page.getByTestId('add-event').isVisible()).toBe(false);
    expect(app.errors).toEqual([]);
  });
});

/**
 * "The same timeline": the same items in the same order with the same content (type, stream, valid
 * time, data, sources), each as it stands with its corrections applied. Not compared: log positions,
 * stream versions and recording times (a new store assigns its own), and the lineage (an import
 * records each item's corrected state once: the history of corrections stays in the first store).
 */
function comparable(item: TimelineItem) {
  const { position, lastPosition, streamVersion, recordedAt, lineage, ...content } = item;
  return content;
}

describe('export and re-import', () => {
  let empty: Stack | undefined;
  afterAll(() => empty?.stop());

  it('exports JSONL through the page and imports it into an empty store: the same timeline', async () => {
    const { page } = app;
    await openApp(page, stack.url);
    await page.getByTestId('export-menu').locator('summary').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-jsonl').click(),
    ]);
    const file = join(scratch, 'timeline.jsonl');
    await download.saveAs(file);
    const exported = (await readFile(file, 'utf8')).trim().split('\n');
    const original = (await (await fetch(`${stack.url}/api/timeline`)).json()) as TimelineResponse;
    expect(exported.length).toBe(original.items.length);
    expect(original.items.some((i) => i.id === added)).toBe(false);

    empty = await startStack({ env: { TIMELINE_SEED: 'false' } });
    expect(await empty.head()).toBe(0);
    const imported = await runNode(CLI_MAIN, ['import', file, '--api', empty.url], {
      cwd: scratch,
      env: { TIMELINE_TOKEN: empty.token },
      timeoutMs: 60_000,
    });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/timeline export: .* imported as their current state/);
    await empty.waitForReadModel();
    const copy = (await (await fetch(`${empty.url}/api/timeline`)).json()) as TimelineResponse;
    expect(copy.items.map(comparable)).toEqual(original.items.map(comparable));
  });
});
