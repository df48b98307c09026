import { type OccurredAt, PRECISIONS } from '@timeline/shared-types';
import { el } from '../base/dom.ts';
import type { OccurredAtDraft, SourceDraft } from '../model/event-draft.ts';
import { fieldRow, fieldset, select, textArea, textInput } from './form-kit.ts';

/** The valid-time fields: start, optional end, precision, and how an unstated date was derived. */
export function validTimeFields(at?: OccurredAt): HTMLElement {
  return fieldset(
    'When it happened (valid time)',
    el(
      'div',
      { class: 'form-columns' },
      fieldRow(
        'occurredAt.start',
        'Start',
        true,
        textInput('occurredAt.start', at?.start ?? '', { placeholder: '2024-07-24' }),
      ),
      fieldRow('occurredAt.end', 'End', false, textInput('occurredAt.end', at?.end ?? '')),
      fieldRow(
        'occurredAt.precision',
        'Precision',
        true,
        select('occurredAt.precision', PRECISIONS, at?.precision ?? 'day'),
      ),
    ),
    el(
      'p',
      { class: 'hint' },
      'Written at its precision: 2021 (year), 2024-07 (month), 2024-07-24 (day), 2024-07-24T09:30+05:30 (minute).',
    ),
    el('p', { class: 'field-error', 'data-error-for': 'occurredAt', role: 'status' }),
    fieldRow(
      'occurredAt.derivation',
      'Date derived how (if the source does not state it)',
      false,
      textInput('occurredAt.derivation', at?.derivation ?? ''),
    ),
  );
}

export function readOccurredAt(form: HTMLFormElement): OccurredAtDraft {
  const value = (path: string) => (form.elements.namedItem(path) as HTMLInputElement | null)?.value ?? '';
  return {
    start: value('occurredAt.start'),
    end: value('occurredAt.end'),
    precision: value('occurredAt.precision'),
    derivation: value('occurredAt.derivation'),
  };
}

const SOURCE_FIELDS = ['publisher', 'title', 'quote', 'url', 'attribution'] as const;

/** Source N's fields: publisher, title and the verbatim quote are required, the link is http(s). */
export function sourceFields(index: number): HTMLFieldSetElement {
  const at = (key: string) => `sources.${index}.${key}`;
  return fieldset(
    `Source ${index + 1}`,
    fieldRow(at('publisher'), 'Publisher', true, textInput(at('publisher'))),
    fieldRow(at('title'), 'Title', true, textInput(at('title'))),
    fieldRow(
      at('quote'),
      'Verbatim quote',
      true,
      textArea(at('quote'), '', 3),
      'Copied word for word from the source.',
    ),
    fieldRow(at('url'), 'Link (http or https)', false, textInput(at('url'), '', { inputmode: 'url' })),
    fieldRow(at('attribution'), 'Words attributed to', false, textInput(at('attribution'))),
  );
}

export function readSources(form: HTMLFormElement, count: number): SourceDraft[] {
  const drafts: SourceDraft[] = [];
  for (let index = 0; index < count; index++) {
    const draft = {} as Record<(typeof SOURCE_FIELDS)[number], string>;
    for (const key of SOURCE_FIELDS)
      draft[key] =
        (form.elements.namedItem(`sources.${index}.${key}`) as HTMLInputElement | null)?.value ?? '';
    drafts.push(draft);
  }
  return drafts;
}
