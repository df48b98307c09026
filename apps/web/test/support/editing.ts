/**
 * Driving the editing controls in the page: signing in with a write token and filling the forms by
 * the dotted paths their controls are named with.
 */
import type { Page } from 'playwright-core';

export async function signInToEdit(page: Page, token: string): Promise<void> {
  await page.getByTestId('sign-in-edit').click();
  await page.getByTestId('write-token').fill(token);
  await page.getByTestId('write-token-submit').click();
  await page.getByTestId('add-event').waitFor({ state: 'visible' });
}

/** Fills controls by path: text for inputs and textareas, an option for selects, a list of checkboxes. */
export async function fillFields(page: Page, values: Record<string, string | string[]>): Promise<void> {
  const dialog = page.getByTestId('edit-dialog');
  for (const [path, value] of Object.entries(values)) {
    const control = dialog.locator(`[name="${path}"]`);
    if (Array.isArray(value)) {
      for (const option of value) await dialog.locator(`[name="${path}"][value="${option}"]`).check();
      continue;
    }
    const tag = await control.first().evaluate((n) => n.tagName);
    if (tag === 'SELECT') await control.selectOption(value);
    else await control.fill(value);
  }
}

/** The error line under the field at `path`. */
export function fieldError(page: Page, path: string): Promise<string | null> {
  return page.getByTestId('edit-dialog').locator(`[data-error-for="${path}"]`).textContent();
}
