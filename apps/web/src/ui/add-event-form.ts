import type { NewEvent } from '@timeline/shared-types';
import { el, replaceChildren } from '../base/dom.ts';
import { typeStyle } from '../base/styling.ts';
import { checkAdd, FORM_EVENT_TYPES, formFields } from '../model/event-draft.ts';
import type { EditDialog } from './edit-dialog.ts';
import { formActions } from './edit-dialog.ts';
import { readOccurredAt, readSources, sourceFields, validTimeFields } from './event-form-parts.ts';
import { editForm, fieldRow, formButton, readValues, select, textInput } from './form-kit.ts';
import { schemaControls } from './schema-form.ts';

export interface AddEventContext {
  /** The streams offered in the stream field's list (they may arrive after the form opens). */
  streams(): Promise<readonly string[]>;
  /** Sends the event; resolves once the API stored it. */
  send(streamId: string, event: NewEvent): Promise<void>;
}

/**
 * "Add an event": the type picked from the catalog's fact types, then that type's fields (from its
 * schema), the stream (an existing one or a new id), the valid time and the sources. The event id is
 * chosen once per draft, so sending the same draft again (after a 429 or a lost answer) is idempotent.
 */
export function openAddEventForm(dialog: EditDialog, context: AddEventContext): void {
  const eventId = crypto.randomUUID();
  const typeSelect = select('type', FORM_EVENT_TYPES, '', 'Choose a type…');
  for (const option of typeSelect.options)
    if (option.value) option.textContent = `${typeStyle(option.value).label} (${option.value})`;
  const dataFields = el('div', { class: 'data-fields', 'data-testid': 'data-fields' });
  typeSelect.addEventListener('change', () => {
    // Values typed so far carry over to the fields the new type shares (title, summary, …).
    const kept = readValues(dataFields);
    replaceChildren(dataFields, ...schemaControls(formFields(typeSelect.value), kept));
  });
  const streamList = el('datalist', { id: 'known-streams' });
  void context.streams().then((ids) => streamList.append(...ids.map((id) => el('option', { value: id }))));
  const stream = textInput('streamId', '', {
    list: 'known-streams',
    autocomplete: 'off',
    placeholder: 'e.g. tsi-2024',
  });
  const sources = el('div', { class: 'sources-fields' }, sourceFields(0));
  const addSource = formButton('Add another source', 'add-source', { kind: 'secondary' });
  addSource.addEventListener('click', () => sources.append(sourceFields(sources.children.length)));
  const submit = formButton('Add event', 'add-submit', { submit: true });
  const form = editForm(
    'add-form',
    null,
    fieldRow('type', 'Event type', true, typeSelect),
    fieldRow('streamId', 'Stream', true, stream, 'An existing stream from the list, or a new id.'),
    streamList,
    dataFields,
    validTimeFields(),
    sources,
    addSource,
    formActions(submit),
  );
  dialog.handle(form, submit, {
    check: () =>
      checkAdd(
        {
          streamId: stream.value,
          type: typeSelect.value,
          values: readValues(dataFields),
          occurredAt: readOccurredAt(form),
          sources: readSources(form, sources.children.length),
        },
        eventId,
      ),
    send: async ({ streamId, event }) => {
      await context.send(streamId, event);
      dialog.close();
    },
  });
  dialog.open('Add an event', form);
}
