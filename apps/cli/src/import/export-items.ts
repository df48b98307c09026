import { type ImportProblem, type RecordResult, validateRecord } from './validate-events.js';

/**
 * The lines `GET /api/export?format=jsonl` (and `timeline export`) write are timeline items, not
 * events: each is a fact as it stands now, its corrections applied. Re-imported, an item becomes the
 * one event that records that state, under the item's own id, so ids are kept and a second import
 * adds nothing. What the item derives from its data (title, actors, pillars, place) comes back by
 * itself; positions, stream versions, recording times and the lineage belong to the first store and
 * are not carried. Retracted items are never in an export.
 */
export interface ItemLine {
  line: number;
  record: Record<string, unknown>;
}

/** An item has an `id` and `sources` where an event line has an `eventId` and `metadata`. */
export function isExportItem(record: Record<string, unknown>): boolean {
  return 'id' in record && 'sources' in record && !('eventId' in record);
}

/** The event that records an item's current state. */
export function itemAsEvent(item: Record<string, unknown>): Record<string, unknown> {
  const { id, streamId, type, schemaVersion, occurredAt, data, sources } = item;
  return { streamId, eventId: id, type, schemaVersion, occurredAt, data, metadata: { sources } };
}

/**
 * Validates the items as the events they become, in the order of the first store's log (an item's
 * `position`), so the new log records them in the same order and items at the same valid time keep
 * their order on the timeline. Problems name the item's fields, not the event's.
 */
export function validateItems(
  items: readonly ItemLine[],
  options: { defaultStream?: string | undefined },
): RecordResult[] {
  const position = ({ record }: ItemLine) =>
    typeof record.position === 'number' ? record.position : Number.POSITIVE_INFINITY;
  return [...items]
    .sort((a, b) => position(a) - position(b))
    .map(({ line, record }): RecordResult => {
      if (record.retracted === true) {
        const message = 'is true: a retracted item is no longer a fact to import (an export leaves it out)';
        return { problems: [{ line, path: 'retracted', message }] };
      }
      const result = validateRecord(itemAsEvent(record), line, options);
      if ('event' in result) return result;
      return { problems: result.problems.map(asItemProblem) };
    });
}

function asItemProblem(problem: ImportProblem): ImportProblem {
  const path = problem.path
    .replace(/^eventId(?=\.|$)/, 'id')
    .replace(/^metadata\.sources(?=\.|$)/, 'sources');
  return { ...problem, path };
}
