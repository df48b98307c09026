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
  /** 1-based line number (JSONL) or slide number (TimelineJS). */
  line: number;
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
  path: string;
  message: string;
}

/** `items`: the lines were a timeline export's items, each imported as its current state. */
export type ImportValidation =
  | { ok: true; events: ImportEvent[]; items?: boolean }
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

  result(items?: boolean): ImportValidation {
    const problems = [...this.problems, ...duplicateIdProblems(this.events)];
    if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
    return items ? { ok: true, events: this.events, items } : { ok: true, events: this.events };
  }
}

/** The problems of ids used twice in one file: the second would be a conflict half-way through. */
function duplicateIdProblems(events: readonly ImportEvent[]): ImportProblem[] {
  const firstLine = new Map<string, number>();
  const problems: ImportProblem[] = [];
  for (const { line, event } of events) {
    const seen = firstLine.get(event.eventId);
    if (seen === undefined) firstLine.set(event.eventId, line);
    else
      problems.push({
        line,
        path: 'eventId',
        message: `${event.eventId} is also the id on line ${seen} (a repeated line?)`,
      });
  }
  return problems;
}
