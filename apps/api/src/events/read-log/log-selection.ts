import { type LogQuery, ValidationError } from '@timeline/shared-types';
import type { LogSelection } from '../../event-store/event-store.port.js';

const EARLIEST_MS = Date.UTC(1, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The store selection for `GET /api/events`. `asOf` is read the way the shared timeline fold reads it
 * (`Date.parse`: `2024-08-01` is that day's first instant, UTC) and handed to the store as one exact
 * ISO instant, so the database never has to guess at a date format. Without `limit`, an NDJSON read
 * is the whole selection.
 */
export function toLogSelection(
  query: LogQuery,
  options: { limitGiven: boolean; streamed: boolean },
): LogSelection {
  const selection: LogSelection = { after: query.after };
  if (options.limitGiven || !options.streamed) selection.limit = query.limit;
  if (query.types?.length) selection.types = query.types;
  if (query.streams?.length) selection.streams = query.streams;
  if (query.asOf !== undefined) selection.asOf = toInstant(query.asOf);
  return selection;
}

function toInstant(value: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms > LATEST_MS) {
    throw new ValidationError(
      [{ path: 'asOf', message: 'must be an ISO date or datetime between years 1 and 9999' }],
      'query',
    );
  }
  return new Date(ms).toISOString();
}
