import { currentSchemaVersion, isEventType, validateEventData } from '../catalog/registry.js';
import { NewEventSchema, StreamIdSchema } from '../envelope.js';
import { safeParseWith } from '../validation.js';
import type { ImportIssue, ImportRecord } from './slides.js';

/**
 * Checks a mapped record the way the API will (the envelope, the stream id, then the data against
 * its type's current schema), so a preview can list every problem before anything is sent. The
 * web app's import uses it; the CLI checks its records with its own JSONL validator, which applies
 * the same schemas.
 */
export function checkImportRecord({ line, unit, record }: ImportRecord): ImportIssue[] {
  const { streamId, ...event } = record;
  const issues: ImportIssue[] = [];
  const stream = safeParseWith(StreamIdSchema, streamId, ['streamId']);
  if (!stream.ok) issues.push(...stream.issues.map((i) => ({ line, unit, ...i })));
  const envelope = safeParseWith(NewEventSchema, event);
  if (!envelope.ok) return [...issues, ...envelope.issues.map((i) => ({ line, unit, ...i }))];
  const version = isEventType(event.type) ? currentSchemaVersion(event.type) : 1;
  const data = validateEventData(event.type, version, event.data);
  if (!data.ok) issues.push(...data.issues.map((i) => ({ line, unit, ...i })));
  return issues;
}
