import type { ValidationIssue } from '@timeline/shared-types';
import { type Child, el, setText } from '../base/dom.ts';
import type { FormValues } from '../model/form-values.ts';

/**
 * The pieces every editing form is made of. Each control carries its dotted path as `name`, and each
 * field has an error line under it (`data-error-for`), so an issue from the schema or the API lands
 * next to the field it names; the values are read back by path.
 */

let nextId = 0;
export function controlId(path: string): string {
  nextId += 1;
  return `f${nextId}-${path.replace(/[^A-Za-z0-9]/g, '-')}`;
}

export function fieldRow(
  path: string,
  label: string,
  required: boolean,
  control: HTMLElement,
  hint?: string,
): HTMLElement {
  const id = control.id || controlId(path);
  control.id = id;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', errorId);
  if (required) control.setAttribute('aria-required', 'true');
  const marker = required ? el('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null;
  // A checkbox group is not a labelable element: its caption names it through aria-labelledby.
  const labelable =
    control instanceof HTMLInputElement ||
    control instanceof HTMLSelectElement ||
    control instanceof HTMLTextAreaElement;
  if (!labelable) control.setAttribute('aria-labelledby', `${id}-label`);
  return el(
    'div',
    { class: 'form-row', 'data-field': path },
    labelable
      ? el('label', { for: id }, label, marker)
      : el('span', { class: 'label', id: `${id}-label` }, label, marker),
    control,
    hint ? el('p', { class: 'hint' }, hint) : null,
    el('p', { class: 'field-error', id: errorId, 'data-error-for': path, role: 'status' }),
  );
}

export function textInput(path: string, value = '', attrs: Record<string, string> = {}): HTMLInputElement {
  const input = el('input', { type: 'text', name: path, 'data-testid': `field-${path}`, ...attrs });
  input.value = value;
  return input;
}

export function textArea(path: string, value = '', rows = 3): HTMLTextAreaElement {
  const area = el('textarea', { name: path, rows: String(rows), 'data-testid': `field-${path}` });
  area.value = value;
  return area;
}

export function select(
  path: string,
  options: readonly string[],
  value: string,
  blank?: string,
): HTMLSelectElement {
  const node = el(
    'select',
    { name: path, 'data-testid': `field-${path}` },
    blank === undefined ? null : el('option', { value: '' }, blank),
    ...options.map((o) => el('option', { value: o }, o)),
  );
  node.value = value;
  return node;
}

export function fieldset(legend: string, ...children: Child[]): HTMLFieldSetElement {
  return el('fieldset', { class: 'form-group' }, el('legend', null, legend), ...children);
}

/** Every named control's value by path; checkboxes of one path are collected into a list. */
export function readValues(root: ParentNode): FormValues {
  const values = new Map<string, string | readonly string[]>();
  for (const control of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
    'input[name], textarea[name], select[name]',
  )) {
    if (control instanceof HTMLInputElement && control.type === 'checkbox') {
      const list = (values.get(control.name) as string[] | undefined) ?? [];
      if (control.checked) list.push(control.value);
      values.set(control.name, list);
    } else values.set(control.name, control.value);
  }
  return values;
}

/**
 * Shows issues next to their fields (the nearest enclosing path that has an error line) and returns
 * the ones no field owns, for the form's message line. Focuses the first failing control.
 */
export function showIssues(root: HTMLElement, issues: readonly ValidationIssue[]): ValidationIssue[] {
  clearIssues(root);
  const unplaced: ValidationIssue[] = [];
  let first: HTMLElement | null = null;
  for (const issue of issues) {
    const line = errorLineFor(root, issue.path);
    if (!line) {
      unplaced.push(issue);
      continue;
    }
    setText(line, line.textContent ? `${line.textContent}; ${issue.message}` : issue.message);
    const row = line.closest<HTMLElement>('.form-row');
    row?.classList.add('invalid');
    const control = row?.querySelector<HTMLElement>('input, textarea, select');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? null;
  }
  first?.focus();
  return unplaced;
}

export function clearIssues(root: HTMLElement): void {
  for (const line of root.querySelectorAll<HTMLElement>('[data-error-for]')) setText(line, '');
  for (const row of root.querySelectorAll('.form-row.invalid')) row.classList.remove('invalid');
  for (const control of root.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

function errorLineFor(root: HTMLElement, path: string): HTMLElement | null {
  const lines = [...root.querySelectorAll<HTMLElement>('[data-error-for]')];
  for (let parts = path.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const candidate = parts.join('.');
    const line = lines.find((l) => l.dataset.errorFor === candidate);
    if (line) return line;
  }
  return null;
}

/** A form's button: `submit` sends the form; `secondary` and `danger` are the quieter and the red kinds. */
export function formButton(
  label: string,
  testId: string,
  options: { submit?: boolean; kind?: 'secondary' | 'danger' } = {},
): HTMLButtonElement {
  return el(
    'button',
    { type: options.submit ? 'submit' : 'button', class: options.kind, 'data-testid': testId },
    label,
  );
}

/** An editing form: the page checks it itself (`novalidate`), and `note` says what it does, if given. */
export function editForm(testId: string, note: string | null, ...children: Child[]): HTMLFormElement {
  return el(
    'form',
    { class: 'edit-form', novalidate: true, 'data-testid': testId },
    note ? el('p', { class: 'muted' }, note) : null,
    ...children,
  );
}
