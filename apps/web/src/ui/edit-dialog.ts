import type { ValidationIssue } from '@timeline/shared-types';
import { type Child, el, replaceChildren, setText } from '../base/dom.ts';
import { formPath } from '../model/event-draft.ts';
import { clearIssues, showIssues } from './form-kit.ts';

/** What a form's submit does: check the form (issues by path), then send what it built. */
export interface Submission<T> {
  check(): { ok: true; value: T } | { ok: false; issues: ValidationIssue[]; message?: string };
  send(value: T): Promise<void>;
}

/** A refusal the dialog can show: a message and, for a 400, the failing fields. */
interface Refusal {
  message: string;
  issues?: readonly ValidationIssue[];
}

/**
 * One modal dialog that hosts the editing forms. A failed check or a refused write is shown next to
 * the form, field by field where the issue names one; the form itself is never reset on failure.
 */
export class EditDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly heading: HTMLElement;
  private readonly body: HTMLElement;
  private readonly message: HTMLElement;

  constructor(host: HTMLElement) {
    this.heading = el('h2', { id: 'edit-dialog-heading' });
    this.body = el('div', { class: 'edit-dialog-body' });
    this.message = el('p', { class: 'form-message', role: 'alert', 'data-testid': 'form-message' });
    const close = el(
      'button',
      { type: 'button', class: 'secondary close', 'aria-label': 'Close', 'data-testid': 'dialog-close' },
      '×',
    );
    close.addEventListener('click', () => this.close());
    this.dialog = el(
      'dialog',
      { class: 'edit-dialog', 'aria-labelledby': 'edit-dialog-heading', 'data-testid': 'edit-dialog' },
      // The heading and the message stay in view while a long form scrolls to a failing field.
      el(
        'div',
        { class: 'edit-dialog-top' },
        el('div', { class: 'edit-dialog-head' }, this.heading, close),
        this.message,
      ),
      this.body,
    );
    host.append(this.dialog);
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  open(title: string, form: HTMLFormElement): void {
    setText(this.heading, title);
    setText(this.message, '');
    replaceChildren(this.body, form);
    if (!this.dialog.open) this.dialog.showModal();
    form.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
    replaceChildren(this.body);
  }

  /** Wires `form`'s submit to `submission`; `submitButton` is disabled while a write is on its way. */
  handle<T>(form: HTMLFormElement, submitButton: HTMLButtonElement, submission: Submission<T>): void {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearIssues(form);
      setText(this.message, '');
      const checked = submission.check();
      if (!checked.ok) {
        this.refuse(form, {
          message:
            checked.message ??
            `Some fields need attention: ${[...new Set(checked.issues.map((i) => i.path))].join(', ')}.`,
          issues: checked.issues,
        });
        return;
      }
      submitButton.disabled = true;
      setText(this.message, 'Sending…');
      submission
        .send(checked.value)
        .catch((error: unknown) => {
          const failure = error as { message?: string; issues?: readonly ValidationIssue[] };
          this.refuse(form, {
            message: failure.message ?? String(error),
            issues: (failure.issues ?? []).map((i) => ({ ...i, path: formPath(i.path) })),
          });
        })
        .finally(() => {
          submitButton.disabled = false;
        });
    });
  }

  private refuse(form: HTMLFormElement, refusal: Refusal): void {
    const unplaced = showIssues(form, refusal.issues ?? []);
    const extra = unplaced.map((i) => `${i.path || 'request'}: ${i.message}`);
    setText(this.message, [refusal.message, ...extra].join(' '));
  }
}

export function formActions(...children: Child[]): HTMLElement {
  return el('div', { class: 'form-actions' }, ...children);
}
