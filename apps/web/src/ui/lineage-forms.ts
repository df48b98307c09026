import type { TimelineItem } from '@timeline/shared-types';
import { el } from '../base/dom.ts';
import { typeStyle } from '../base/styling.ts';
import { type Correction, checkCorrection } from '../model/event-draft.ts';
import { valuesFromData } from '../model/form-values.ts';
import { fieldsOfType } from '../model/schema-fields.ts';
import type { EditDialog } from './edit-dialog.ts';
import { formActions } from './edit-dialog.ts';
import { readOccurredAt, validTimeFields } from './event-form-parts.ts';
import { editForm, fieldRow, formButton, readValues, textArea } from './form-kit.ts';
import { schemaControls } from './schema-form.ts';

/**
 * "Correct": the item's fields as they stand now (corrections applied), to edit; what is sent is a
 * merge patch of only the fields that changed, a new valid time if that changed, and the reason.
 */
export function openCorrectForm(
  dialog: EditDialog,
  item: TimelineItem,
  send: (correction: Correction) => Promise<void>,
): void {
  const fields = fieldsOfType(item.type, item.schemaVersion);
  const dataFields = el(
    'div',
    { class: 'data-fields' },
    ...schemaControls(fields, valuesFromData(fields, item.data)),
  );
  const reason = textArea('reason', '', 2);
  const submit = formButton('Record correction', 'correct-submit', { submit: true });
  const form = editForm(
    'correct-form',
    `${typeStyle(item.type).label} · only the fields you change are sent; the original stays in the log.`,
    dataFields,
    validTimeFields(item.occurredAt),
    fieldRow('reason', 'Reason for the correction', true, reason),
    formActions(submit),
  );
  dialog.handle(form, submit, {
    check: () => checkCorrection(item, readValues(dataFields), readOccurredAt(form), reason.value),
    send: async (correction) => {
      await send(correction);
      dialog.close();
    },
  });
  dialog.open(`Correct “${item.title}”`, form);
}

/**
 * "Retract", in two steps: the reason, then a confirmation naming what will happen, so a slip of the
 * mouse retracts nothing.
 */
export function openRetractForm(
  dialog: EditDialog,
  item: TimelineItem,
  send: (reason: string) => Promise<void>,
): void {
  const reason = textArea('reason', '', 2);
  const submit = formButton('Retract…', 'retract-submit', { submit: true, kind: 'danger' });
  const confirm = el(
    'div',
    {
      class: 'confirm',
      hidden: true,
      role: 'group',
      'aria-label': 'Confirm the retraction',
      'data-testid': 'retract-confirm',
    },
    el(
      'p',
      null,
      'The event will leave the timeline from now on. It stays in the log, and replay still shows it before this point.',
    ),
  );
  const yes = formButton('Yes, retract it', 'retract-confirm-yes', { submit: true, kind: 'danger' });
  const no = formButton('Go back', 'retract-confirm-no', { kind: 'secondary' });
  confirm.append(formActions(yes, no));
  no.addEventListener('click', () => {
    confirm.hidden = true;
    submit.hidden = false;
  });
  const form = editForm(
    'retract-form',
    null,
    fieldRow('reason', 'Reason for the retraction', true, reason),
    formActions(submit),
    confirm,
  );
  dialog.handle(form, yes, {
    check: () => {
      if (!reason.value.trim())
        return { ok: false, issues: [{ path: 'reason', message: 'say why this is retracted' }] };
      if (confirm.hidden) {
        // The first submit only asks; the confirmation's button sends.
        confirm.hidden = false;
        submit.hidden = true;
        yes.focus();
        return { ok: false, issues: [], message: 'Confirm below to retract.' };
      }
      return { ok: true, value: reason.value.trim() };
    },
    send: async (value) => {
      await send(value);
      dialog.close();
    },
  });
  dialog.open(`Retract “${item.title}”`, form);
}
