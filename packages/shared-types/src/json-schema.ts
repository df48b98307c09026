import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * The one way the project turns a zod schema into JSON Schema, for every published description of
 * it (OpenAPI, AsyncAPI, docs/event-catalog.md). The draft marker is dropped: the documents that
 * embed these schemas name their own dialect. `io: 'input'` is what a client sends (defaults are
 * optional); `'output'` is what the schema returns, so what the store keeps and Kafka carries.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}
