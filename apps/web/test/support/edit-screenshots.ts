/**
 * The editing forms for the documentation screenshots: signed in, each form open and partly filled,
 * nothing sent (the add form shows the page refusing a missing quote; the retraction stops at its
 * confirm step).
 */
import type { Page } from 'playwright-core';
import { fillFields, signInToEdit } from './editing.ts';

export interface EditShots {
  page: Page;
  /** Opens the app at a URL with `sel` and waits for it (the main script's `show`). */
  show(url: string): Promise<void>;
  shoot(file: string): Promise<void>;
}

export async function shootEditingForms(
  shots: EditShots,
  urls: { base: string; selected: string },
  token: string,
  files: { add: string; correct: string; retract: string },
): Promise<void> {
  const { page } = shots;
  await shots.show(urls.base);
  await signInToEdit(page, token);

  await page.getByTestId('add-event').click();
  await page.getByTestId('field-type').selectOption('MeetingHeld');
  await fillFields(page, {
    streamId: 'tsi-2024',
    'data.title': 'Officials review the TSI quantum pillar',
    'data.participants': 'DSIT, Department of Science and Technology',
    'data.pillars': ['quantum'],
    'occurredAt.start': '2024-09',
    'occurredAt.precision': 'month',
    'sources.0.publisher': 'Example Gazette',
    'sources.0.title': 'TSI review meeting',
  });
  await page.getByTestId('add-submit').click();
  await page
    .getByTestId('form-message')
    .filter({ hasText: /attention/ })
    .waitFor();
  // The top of the form: the type, the stream and the fields read from the type's schema.
  await page.getByTestId('edit-dialog').evaluate((dialog) => dialog.scrollTo(0, 0));
  await shots.shoot(files.add);
  await page.getByTestId('dialog-close').click();

  await shots.show(urls.selected);
  await signInToEdit(page, token);
  await page.getByTestId('detail-panel').getByTestId('correct-event').click();
  await fillFields(page, { reason: 'The readout names the pillar’s lead institutions.' });
  await shots.shoot(files.correct);
  await page.getByTestId('dialog-close').click();

  await page.getByTestId('detail-panel').getByTestId('retract-event').click();
  await fillFields(page, { reason: 'Duplicate of an earlier entry.' });
  await page.getByTestId('retract-submit').click();
  await page.getByTestId('retract-confirm').waitFor({ state: 'visible' });
  await shots.shoot(files.retract);
  await page.getByTestId('dialog-close').click();
}
