import {
  currentSchemaVersion,
  isEventType,
  NewEventSchema,
  StreamIdSchema,
  safeParseWith,
  validateEventData,
} from '@timeline/shared-types';
import { deterministicEventId } from './event-id.js';

/** One event to append, with where it came from (a line of a file, a slide). */
export interface ImportEvent {
  /** 1-based line number (JSONL), slide or era number (TimelineJS) or row (CSV). */
  line: number;
  unit?: ImportProblem['unit'];
  streamId: string;
  event: {
    eventId: string;
    type: string;
    schemaVersion?: number;
    occurredAt: unknown;
    data: Record<string, unknown>;
    metadata?: unknown;
  };
}

export interface ImportProblem {
  line: number;
  /** What `line` counts when it is not a line of JSONL: a TimelineJS slide or era, a CSV row. */
  unit?: 'slide' | 'era' | 'row' | 'file';
  path: string;
  message: string;
}

/**
 * `items`: the lines were a timeline export's items, each imported as its current state. `skipped`:
 * the records left out (`--skip-invalid`), with why. `title`: the timeline's title (TimelineJS).
 */
export type ImportValidation =
  | { ok: true; events: ImportEvent[]; items?: boolean; skipped?: ImportProblem[]; title?: string }
  | { ok: false; problems: ImportProblem[] };

export type RecordResult = { event: ImportEvent } | { problems: ImportProblem[] };

const ImportLineSchema = NewEventSchema.extend({ streamId: StreamIdSchema.optional() });

/**
 * Validates one record the way the API will (envelope fields, then the data against its type's
 * schema), so a bad record is caught before anything is written. Returns the problems, paths dotted.
 */
export function validateRecord(
  record: unknown,
  line: number,
  options: { defaultStream?: string | undefined; idName?: string },
): RecordResult {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { problems: [{ line, path: '(line)', message: 'must be a JSON object' }] };
  }
  const parsed = safeParseWith(ImportLineSchema, record);
  if (!parsed.ok)
    return { problems: parsed.issues.map((issue) => ({ line, ...issue, path: issue.path || '(line)' })) };
  const value = parsed.value;
  const streamId = value.streamId ?? options.defaultStream;
  const problems: ImportProblem[] = [];
  if (streamId === undefined)
    problems.push({
      line,
      path: 'streamId',
      message: 'is required (or pass --stream for lines without one)',
    });
  const schemaVersion =
    value.schemaVersion ?? (isEventType(value.type) ? currentSchemaVersion(value.type) : 1);
  const data = validateEventData(value.type, schemaVersion, value.data);
  if (!data.ok) problems.push(...data.issues.map((issue) => ({ line, ...issue })));
  if (problems.length > 0 || streamId === undefined) return { problems };
  const raw = record as Record<string, unknown>;
  const event: ImportEvent['event'] = {
    eventId: value.eventId ?? deterministicEventId(raw, streamId),
    type: value.type,
    occurredAt: raw.occurredAt,
    data: raw.data as Record<string, unknown>,
  };
  if (raw.schemaVersion !== undefined) event.schemaVersion = value.schemaVersion;
  if (raw.metadata !== undefined) event.metadata = raw.metadata;
  return { event: { line, streamId, event } };
}

/**
 * Gathers the events and problems of one file, record by record: any problem refuses the whole file,
 * listed by line.
 */
export class ImportCollector {
  readonly events: ImportEvent[] = [];
  readonly problems: ImportProblem[] = [];

  add(result: RecordResult, relabel: (problem: ImportProblem) => ImportProblem = (p) => p): void {
    if ('event' in result) this.events.push(result.event);
    else this.problems.push(...result.problems.map(relabel));
  }

  /** With `skipInvalid`, the events that passed are kept and the problems returned as `skipped`. */
  result(items?: boolean, skipInvalid = false): ImportValidation {
    const duplicates = duplicateIdProblems(this.events);
    const problems = [...this.problems, ...duplicates].sort(
      (a, b) => (a.unit ?? '').localeCompare(b.unit ?? '') || a.line - b.line,
    );
    if (problems.length > 0 && !skipInvalid) return { ok: false, problems };
    const repeated = new Set(duplicates.map((p) => `${p.unit}:${p.line}`));
    const events = this.events.filter((e) => !repeated.has(`${e.unit}:${e.line}`));
    const result: ImportValidation = { ok: true, events };
    if (items) result.items = items;
    if (problems.length > 0) result.skipped = problems;
    return result;
  }
}

/** The problems of ids used twice in one file: the second would be a conflict half-way through. */
function duplicateIdProblems(events: readonly ImportEvent[]): ImportProblem[] {
  const firstLine = new Map<string, number>();
  const problems: ImportProblem[] = [];
  for (const { line, unit, event } of events) {
    const seen = firstLine.get(event.eventId);
    if (seen === undefined) firstLine.set(event.eventId, line);
    else
      problems.push({
        line,
        ...(unit ? { unit } : {}),
        path: 'eventId',
        message: `${event.eventId} is also the id on ${unit ?? 'line'} ${seen} (a repeated ${unit ?? 'line'}?)`,
      });
  }
  return problems;
}
