import {
  duplicateIdProblems,
  type ImportEvent,
  type ImportProblem,
  type ImportValidation,
  validateRecord,
} from './validate-events.js';

/**
 * A JSONL import file: one event per line, `{streamId, eventId?, type, schemaVersion?, occurredAt,
 * data, metadata?}`. The whole file is validated before anything is appended; blank lines are
 * skipped. A line without an eventId gets one derived from its canonical content.
 */
export function validateJsonl(
  text: string,
  options: { defaultStream?: string | undefined } = {},
): ImportValidation {
  const events: ImportEvent[] = [];
  const problems: ImportProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      problems.push({ line, path: '(line)', message: `is not JSON: ${(error as Error).message}` });
      continue;
    }
    const result = validateRecord(record, line, options);
    if ('event' in result) events.push(result.event);
    else problems.push(...result.problems);
  }
  problems.push(...duplicateIdProblems(events));
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, events };
}
