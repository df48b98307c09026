import { type JsonSchema, jsonSchemaOf } from '@timeline/shared-types';
import type { z } from 'zod';

export type { JsonSchema };

/** What a client sends (`io: 'input'`: defaults are optional). */
export const requestSchema = (schema: z.ZodType) => jsonSchemaOf(schema, 'input');
/** What the server sends. */
export const outputSchema = (schema: z.ZodType) => jsonSchemaOf(schema, 'output');

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
export const rawText = (description: string) => ({ type: 'string', description });
