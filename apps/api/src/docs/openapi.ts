import { componentSchemas } from './openapi/components.js';
import type { JsonSchema } from './openapi/json-schema.js';
import { eventPaths } from './openapi/paths-events.js';
import { operationPaths } from './openapi/paths-operations.js';
import { readPaths } from './openapi/paths-reads.js';

/** The OpenAPI 3.1 document, assembled from the shared zod schemas so it cannot drift from validation. */
export function buildOpenApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Timeline API',
      version: '1',
      description:
        'An event-sourced timeline. Writes append typed domain events; corrections and retractions are events too. See docs/api.md.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: componentSchemas(),
    },
    paths: { ...eventPaths(), ...readPaths(), ...operationPaths() },
  };
}
