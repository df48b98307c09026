import type { BucketUnit, TimelineFilter } from '@timeline/shared-types';
import type { ReadModelTables } from './timeline-read-model.js';
import { sqlTimestamp } from '../event-store/sql-time.js';

/** Numbered parameters for one statement: `add` returns the placeholder of the value it keeps. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** What a windowed read selects: a valid-time window (half-open, ms), the timeline's filters, a log position. */
export interface WindowSelection {
  fromMs?: number;
  toMs?: number;
  filter: Omit<TimelineFilter, 'from' | 'to'>;
  /** The timeline as it stood after this position (the version rows), instead of the current items. */
  at?: number;
}

/**
 * `FROM … s WHERE …` for a selection. Every condition is written the way an index answers it: the
 * window as `tstzrange(valid_from, valid_to) && …` (the GiST index on the period), a position as
 * `int8range(from_position, to_position) @> P` (the GiST index on versions, together with the period).
 * The rows in `s` have the same columns in both tables: position, type, stream_id, retracted,
 * valid_from, valid_to, pillars, actors, search, item.
 */
export function selectionSql(tables: ReadModelTables, selection: WindowSelection, params: SqlParams): string {
  const where: string[] = [];
  const { filter } = selection;
  const table = selection.at === undefined ? tables.items : tables.versions;
  if (selection.at !== undefined)
    where.push(`int8range(s.from_position, s.to_position) @> ${params.add(selection.at)}::int8`);
  if (selection.fromMs !== undefined || selection.toMs !== undefined) {
    const from = selection.fromMs === undefined ? 'NULL' : params.add(sqlTimestamp(selection.fromMs));
    const to = selection.toMs === undefined ? 'NULL' : params.add(sqlTimestamp(selection.toMs));
    where.push(`tstzrange(s.valid_from, s.valid_to) && tstzrange(${from}::timestamptz, ${to}::timestamptz)`);
  }
  if (!filter.includeRetracted) where.push('NOT s.retracted');
  if (filter.pillars?.length) where.push(`s.pillars && ${params.add(filter.pillars)}::text[]`);
  if (filter.actors?.length) where.push(`s.actors && ${params.add(filter.actors)}::text[]`);
  if (filter.types?.length) where.push(`s.type = ANY(${params.add(filter.types)}::text[])`);
  if (filter.streams?.length) where.push(`s.stream_id = ANY(${params.add(filter.streams)}::text[])`);
  if (filter.q) where.push(`strpos(s.search, ${params.add(filter.q.toLocaleLowerCase())}) > 0`);
  return `FROM ${table} s${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

/** The UTC start of the bucket `ts` falls in (`unit` is one of ours, never input). */
export function bucketSql(unit: BucketUnit, ts: string): string {
  return `(date_trunc('${unit}', (${ts}) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
}

/**
 * The groups an item is in, one row each: its pillars or actors, or NULL when it names none (the web
 * app's `other` group; `groupName` names them). `from` is the alias of the rows.
 */
export function groupsSql(groupBy: 'pillar' | 'actor', from = 's'): string {
  const column = `${from}.${groupBy === 'pillar' ? 'pillars' : 'actors'}`;
  return `unnest(CASE WHEN cardinality(${column}) = 0 THEN ARRAY[NULL::text] ELSE ${column} END)`;
}

export const groupName = (groupBy: 'pillar' | 'actor', name: string | null): string =>
  name === null ? 'other' : `${groupBy}:${name}`;
