import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** JSON Schema of a zod schema, without the draft marker OpenAPI does not want. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** What a client sends (`io: 'input'`: defaults are optional). */
export const requestSchema = (schema: z.ZodType) => jsonSchemaOf(schema, 'input');
/** What the server sends. */
export const outputSchema = (schema: z.ZodType) => jsonSchemaOf(schema, 'output');

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
export const rawText = (description: string) => ({ type: 'string', description });
