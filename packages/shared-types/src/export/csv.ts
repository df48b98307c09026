import { csvRow } from '../csv.js';
import type { TimelineItem } from '../timeline.js';

export const EXPORT_CSV_COLUMNS = [
  'id',
  'stream_id',
  'type',
  'title',
  'summary',
  'occurred_start',
  'occurred_end',
  'precision',
  'derivation',
  'actors',
  'pillars',
  'place',
  'recorded_at',
  'position',
  'last_position',
  'corrections',
  'sources',
  'data',
] as const;

/**
 * One export row: the item's corrected state. Actors and pillars are joined with "; " for reading;
 * `sources` (verbatim quotes included) and `data` are canonical JSON so nothing is lost.
 */
export function exportCsvRow(item: TimelineItem): string {
  return csvRow([
    item.id,
    item.streamId,
    item.type,
    item.title,
    item.summary,
    item.occurredAt.start,
    item.occurredAt.end,
    item.occurredAt.precision,
    item.occurredAt.derivation,
    item.actors.join('; '),
    item.pillars.join('; '),
    item.place,
    item.recordedAt,
    item.position,
    item.lastPosition,
    item.lineage.filter((entry) => entry.kind === 'corrected').length,
    item.sources,
    item.data,
  ]);
}

export const EXPORT_CSV_HEADER = csvRow(EXPORT_CSV_COLUMNS);
