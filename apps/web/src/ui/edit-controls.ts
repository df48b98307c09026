import { EXPORT_FORMATS, type ExportFormat } from '@timeline/shared-types';
import { el, setText } from '../base/dom.ts';
import { exportHref } from '../model/links.ts';
import { type EditDialog, formActions } from './edit-dialog.ts';
import { editForm, fieldRow, formButton } from './form-kit.ts';

export interface EditControlsHandlers {
  /** Checks the token with the API; resolves true when it is a write token. */
  signIn(token: string): Promise<boolean>;
  signOut(): void;
  add(): void;
}

const EXPORT_LABELS: Record<ExportFormat, string> = {
  jsonl: 'JSONL',
  csv: 'CSV',
  timelinejs: 'TimelineJS',
  'timelinejs-csv': 'TimelineJS sheet',
};

/**
 * The header's editing and export controls: "Sign in to edit" (a write token, kept in memory by the
 * app), then "Add event" and "Sign out"; and the export links to `GET /api/export` for the state shown.
 */
export class EditControls {
  readonly root: HTMLElement;
  private readonly signInButton: HTMLButtonElement;
  private readonly signOutButton: HTMLButtonElement;
  private readonly addButton: HTMLButtonElement;
  private readonly links: Record<ExportFormat, HTMLAnchorElement>;
  private readonly exportNote: HTMLElement;

  constructor(
    private readonly dialog: EditDialog,
    private readonly handlers: EditControlsHandlers,
  ) {
    this.signInButton = el(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': 'sign-in-edit' },
      'Sign in to edit',
    );
    this.signOutButton = el(
      'button',
      { type: 'button', class: 'secondary', hidden: true, 'data-testid': 'sign-out' },
      'Sign out',
    );
    this.addButton = el('button', { type: 'button', hidden: true, 'data-testid': 'add-event' }, 'Add event');
    this.signInButton.addEventListener('click', () => this.openSignIn());
    this.signOutButton.addEventListener('click', () => handlers.signOut());
    this.addButton.addEventListener('click', () => handlers.add());
    this.links = Object.fromEntries(
      EXPORT_FORMATS.map((format) => [
        format,
        el(
          'a',
          { href: exportHref(format, undefined), download: '', 'data-testid': `export-${format}` },
          EXPORT_LABELS[format],
        ),
      ]),
    ) as Record<ExportFormat, HTMLAnchorElement>;
    this.exportNote = el('span', { class: 'muted export-note' });
    const exportMenu = el(
      'details',
      { class: 'export-menu', 'data-testid': 'export-menu' },
      el('summary', null, 'Export'),
      el('div', { class: 'export-links' }, ...EXPORT_FORMATS.map((f) => this.links[f]), this.exportNote),
    );
    this.root = el(
      'div',
      { class: 'edit-controls', role: 'group', 'aria-label': 'Editing and export' },
      exportMenu,
      this.addButton,
      this.signInButton,
      this.signOutButton,
    );
  }

  setSignedIn(signedIn: boolean): void {
    this.signInButton.hidden = signedIn;
    this.signOutButton.hidden = !signedIn;
    this.addButton.hidden = !signedIn;
  }

  /** Points the export links at the knowledge time shown (none: the live timeline). */
  setExportAsOf(asOf: string | undefined): void {
    for (const format of EXPORT_FORMATS) this.links[format].setAttribute('href', exportHref(format, asOf));
    setText(
      this.exportNote,
      asOf
        ? `as known at ${asOf}; every item, filters not applied`
        : 'the live timeline; every item, filters not applied',
    );
  }

  private openSignIn(): void {
    const input = el('input', {
      type: 'password',
      name: 'write-token',
      autocomplete: 'off',
      maxlength: '512',
      'data-testid': 'write-token',
    });
    const submit = formButton('Sign in', 'write-token-submit', { submit: true });
    const form = editForm(
      'write-token-form',
      'The token stays in this page’s memory only: reloading the page or “Sign out” forgets it.',
      fieldRow('token', 'Write token', true, input),
      formActions(submit),
    );
    this.dialog.handle(form, submit, {
      check: () =>
        input.value.trim()
          ? { ok: true, value: input.value.trim() }
          : { ok: false, issues: [{ path: 'token', message: 'is required' }] },
      send: async (token) => {
        if (!(await this.handlers.signIn(token))) {
          input.select();
          throw new Error('That token is not accepted for writing.');
        }
        input.value = '';
        this.dialog.close();
      },
    });
    this.dialog.open('Sign in to edit', form);
  }
}
