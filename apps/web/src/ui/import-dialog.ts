import { el, replaceChildren, setText } from '../base/dom.ts';
import { type ImportPlan, planImport, streamIdFor, where } from '../model/import-plan.ts';
import { type EditDialog, formActions } from './edit-dialog.ts';
import { editForm, formButton } from './form-kit.ts';

/** How many planned events the preview lists (the count always covers them all). */
const PREVIEW_ROWS = 200;
/** Events per append request: well under the API's 1,000 and its body limit. */
export const IMPORT_BATCH = 100;

export interface ImportDeps {
  /** Appends one batch to a stream; rejects with why the API refused it. */
  append(streamId: string, events: ImportPlan['events'][number]['event'][]): Promise<void>;
}

/**
 * The preview of a dropped file: the stream to append to (named after the file, editable), what will
 * be appended (each slide or row as an event: when, title, kind), the problems by slide or row, and
 * Import. With problems, Import appends nothing unless "leave them out" is ticked, as the CLI's
 * `--skip-invalid`. Appends go in batches; ids are derived, so importing again adds nothing.
 */
export function openImportDialog(dialog: EditDialog, fileName: string, text: string, deps: ImportDeps): void {
  const stream = el('input', {
    type: 'text',
    id: 'import-stream',
    name: 'streamId',
    value: streamIdFor(fileName),
    'data-testid': 'import-stream',
  });
  const summary = el('p', { class: 'import-summary', 'data-testid': 'import-summary' });
  const problems = el('ul', { class: 'import-problems', 'data-testid': 'import-problems' });
  const skip = el('input', { type: 'checkbox', id: 'import-skip', 'data-testid': 'import-skip' });
  const skipRow = el(
    'p',
    null,
    skip,
    ' ',
    el('label', { for: 'import-skip' }, 'Leave out the slides or rows with problems'),
  );
  const preview = el('tbody');
  const table = el(
    'table',
    { class: 'import-preview', 'data-testid': 'import-preview' },
    el(
      'thead',
      null,
      el(
        'tr',
        null,
        el('th', null, '#'),
        el('th', null, 'When'),
        el('th', null, 'Title'),
        el('th', null, 'Kind'),
      ),
    ),
    preview,
  );
  const status = el('p', { class: 'form-message', role: 'status', 'data-testid': 'import-status' });
  const submit = formButton('Import', 'import-submit', { submit: true });
  const form = editForm(
    'import-form',
    'Appends each slide or row as an event; nothing is sent until you choose Import.',
    el('p', null, el('label', { for: 'import-stream' }, 'Stream '), stream),
    summary,
    problems,
    skipRow,
    table,
    status,
    formActions(submit),
  );

  let plan = planImport(fileName, text, stream.value.trim());
  const render = () => {
    const eras = plan.events.filter((e) => e.event.type === 'EraMarked').length;
    setText(
      summary,
      `${plan.events.length} event(s) will be appended to ${plan.streamId}` +
        (eras > 0 ? ` (${eras} of them eras)` : '') +
        (plan.title ? `; the timeline's title "${plan.title}" becomes each event's source title.` : '.') +
        (plan.problems.length > 0 ? ` ${plan.problems.length} problem(s):` : ''),
    );
    replaceChildren(
      problems,
      ...plan.problems.slice(0, 50).map((p) => el('li', null, `${where(p)}: ${p.path}: ${p.message}`)),
    );
    skipRow.hidden = plan.problems.length === 0 || plan.events.length === 0;
    replaceChildren(
      preview,
      ...plan.events.slice(0, PREVIEW_ROWS).map(({ line, unit, event }) => {
        const at = event.occurredAt;
        return el(
          'tr',
          null,
          el('td', null, `${unit} ${line}`),
          el('td', null, at.end ? `${at.start} – ${at.end}` : at.start),
          el('td', null, String(event.data.title ?? '')),
          el('td', null, event.type === 'EraMarked' ? 'era' : event.type),
        );
      }),
    );
    submit.disabled = plan.events.length === 0 || (plan.problems.length > 0 && !skip.checked);
  };
  stream.addEventListener('change', () => {
    plan = planImport(fileName, text, stream.value.trim());
    render();
  });
  skip.addEventListener('change', render);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    void send(plan, deps, (text) => setText(status, text)).finally(() => {
      submit.disabled = false;
    });
  });
  render();
  dialog.open(`Import ${fileName}`, form);
}

async function send(plan: ImportPlan, deps: ImportDeps, say: (text: string) => void): Promise<void> {
  const events = plan.events.map((e) => e.event);
  try {
    for (let done = 0; done < events.length; done += IMPORT_BATCH) {
      say(`Importing… ${done} of ${events.length}`);
      await deps.append(plan.streamId, events.slice(done, done + IMPORT_BATCH));
    }
    const left = plan.problems.length > 0 ? `; ${plan.problems.length} left out` : '';
    say(`Imported ${events.length} event(s) into ${plan.streamId}${left}.`);
  } catch (error) {
    say(
      `Import stopped: ${error instanceof Error ? error.message : String(error)} Importing again resumes it (nothing is added twice).`,
    );
  }
}
