import { el } from '../base/dom.ts';
import { humanizeKey } from '../base/format.ts';
import type { FormValues } from '../model/form-values.ts';
import type { FieldSpec } from '../model/schema-fields.ts';
import { controlId, fieldRow, fieldset, select, textArea, textInput } from './form-kit.ts';

/** The controls for a type's fields, one per kind of field, filled from `values` when given. */
export function schemaControls(fields: readonly FieldSpec[], values: FormValues = new Map()): HTMLElement[] {
  return fields.map((field) => control(field, values));
}

function control(field: FieldSpec, values: FormValues): HTMLElement {
  const label = humanizeKey(field.key);
  const current = values.get(field.path);
  const text = typeof current === 'string' ? current : '';
  switch (field.kind) {
    case 'text': {
      const input = field.long ? textArea(field.path, text) : textInput(field.path, text);
      if (field.maxLength) input.setAttribute('maxlength', String(field.maxLength));
      return fieldRow(field.path, label, field.required, input);
    }
    case 'number':
      return fieldRow(
        field.path,
        label,
        field.required,
        textInput(field.path, text, { inputmode: field.integer ? 'numeric' : 'decimal' }),
      );
    case 'select':
      return fieldRow(
        field.path,
        label,
        field.required,
        select(
          field.path,
          field.options,
          text || field.defaultValue || '',
          field.required && field.defaultValue ? undefined : '—',
        ),
      );
    case 'list':
      return fieldRow(
        field.path,
        label,
        field.required,
        textInput(field.path, text),
        'Separate values with commas.',
      );
    case 'choices': {
      const checked = new Set(Array.isArray(current) ? current : []);
      const id = controlId(field.path);
      const group = el(
        'div',
        { class: 'choices', id, role: 'group', 'data-testid': `field-${field.path}` },
        ...field.options.map((option) => {
          const box = el('input', { type: 'checkbox', name: field.path, value: option });
          box.checked = checked.has(option);
          return el('label', { class: 'choice' }, box, ` ${option}`);
        }),
      );
      return fieldRow(field.path, label, field.required, group);
    }
    case 'group':
      return el(
        'div',
        { class: 'form-row', 'data-field': field.path },
        fieldset(
          `${label}${field.required ? ' *' : ''}`,
          ...schemaControls(field.fields, values),
          el('p', { class: 'field-error', 'data-error-for': field.path, role: 'status' }),
        ),
      );
    case 'json':
      return fieldRow(
        field.path,
        label,
        field.required,
        textArea(field.path, text, 2),
        'JSON, e.g. {"field": "how it was inferred"}.',
      );
  }
}
