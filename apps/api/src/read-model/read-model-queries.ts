import { EXPORT_FORMATS, IsoDateOrInstantSchema } from '@timeline/shared-types';
import { z } from 'zod';

/**
 * The query schemas of the read model's own endpoints (the timeline's is shared with the web app):
 *
 * - `GET /api/stats?asOf=&format=json|csv`
 * - `GET /api/export?format=jsonl|csv|timelinejs&asOf=&title=`
 */
const asOf = IsoDateOrInstantSchema.optional();

export const StatsQuerySchema = z.strictObject({
  asOf,
  /** Content negotiation also works (`Accept: text/csv`); this wins when both are given. */
  format: z.enum(['json', 'csv']).optional(),
});
export type StatsQuery = z.output<typeof StatsQuerySchema>;

export const ExportQuerySchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('jsonl'),
  asOf,
  /** The TimelineJS title slide. */
  title: z.string().min(1).max(300).optional(),
});
export type ExportQuery = z.output<typeof ExportQuerySchema>;
