import { Body, Param, Query } from '@nestjs/common';
import type { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe.js';

/** The query string parsed by `schema`; a failure is a 400 naming the field. */
export const ValidQuery = (schema: z.ZodType) => Query(new ZodValidationPipe(schema));

/** The JSON body parsed by `schema`. */
export const ValidBody = (schema: z.ZodType) => Body(new ZodValidationPipe(schema));

/** The path parameter `name` parsed by `schema`; failures are reported at the path `name`. */
export const ValidParam = (name: string, schema: z.ZodType) =>
  Param(name, new ZodValidationPipe(schema, [name]));
