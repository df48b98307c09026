import { PILLARS } from '@timeline/shared-types';
import type { z } from 'zod';
import { type JsonSchema, requestSchema } from './json-schema.js';

export const streamIdParam = {
  name: 'streamId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$' },
};
export const eventIdParam = {
  name: 'eventId',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
export const queryParam = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

/**
 * The query parameters of a route, taken from the zod schema its controller validates with (so a
 * parameter cannot be added, renamed or re-typed without the document following), each with the
 * prose only a person can write. A parameter without a description, or a description for a parameter
 * the schema does not have, throws: the unit spec builds the document, so such a change fails there.
 */
export function queryParams(schema: z.ZodType, descriptions: Record<string, string>): JsonSchema[] {
  const { properties = {} } = requestSchema(schema) as { properties?: Record<string, JsonSchema> };
  const names = Object.keys(properties);
  const undocumented = names.filter((name) => !(name in descriptions));
  const stale = Object.keys(descriptions).filter((name) => !names.includes(name));
  if (undocumented.length > 0 || stale.length > 0) {
    throw new Error(
      `OpenAPI query parameters out of date: undocumented [${undocumented.join(', ')}], not in the schema [${stale.join(', ')}]`,
    );
  }
  return names.map((name) => queryParam(name, descriptions[name]!, properties[name]));
}

export const PILLAR_LIST = PILLARS.join(', ');
export const list = (what: string) => `Comma-separated ${what} (at most 100); an item matches any of them`;
export const isoDateOrDatetime =
  'an ISO date (`2024`, `2024-07`, `2024-07-24`) or datetime with offset (`2024-07-24T09:30:00Z`)';
export const knowledgeTime = (what: string) =>
  `Knowledge time: ${what} as it was known at this instant (only events recorded at or before it); ${isoDateOrDatetime}. A date alone is its first instant, UTC.`;
