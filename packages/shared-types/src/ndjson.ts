import { canonicalJson } from './canonical.js';

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/** One line of a replay or an export: canonical JSON, so equal values are equal bytes. */
export function ndjsonLine(value: unknown): string {
  return `${canonicalJson(value)}\n`;
}
