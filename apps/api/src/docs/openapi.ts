import { READ_SESSION_COOKIE } from '../http/security/read-session.js';
import { componentSchemas } from './openapi/components.js';
import { deadLetterPaths, deadLetterSchemas } from './openapi/paths-dead-letters.js';
import type { JsonSchema } from './openapi/json-schema.js';
import { eventPaths } from './openapi/paths-events.js';
import { operationPaths } from './openapi/paths-operations.js';
import { readPaths } from './openapi/paths-reads.js';
import { timelineWindowPaths, timelineWindowSchemas } from './openapi/paths-timeline-window.js';
import { SHARED_ERRORS } from './openapi/responses.js';

/** The OpenAPI 3.1 document, assembled from the shared zod schemas so it cannot drift from validation. */
export function buildOpenApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Timeline API',
      version: '1',
      description:
        'An event-sourced timeline. Writes append typed domain events; corrections and retractions are events too. See docs/api.md.',
      // The repository has no licence file and the package is private: nothing is licensed to others.
      license: { name: 'Proprietary' },
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An admin token (TIMELINE_ADMIN_TOKENS, or the one the embedded server writes to TIMELINE_DATA_DIR/admin-token) for /api/admin/*; ' +
            'a write token (TIMELINE_WRITE_TOKENS, or TIMELINE_DATA_DIR/write-token) or an admin token for writes; ' +
            'any of them or a read token for reads when TIMELINE_READ_TOKENS closes them',
        },
        readSession: {
          type: 'apiKey',
          in: 'cookie',
          name: READ_SESSION_COOKIE,
          description:
            'The browser read session `POST /api/session` opens (signed, it never holds the token): counts for reads only, never for writes',
        },
      },
      schemas: { ...componentSchemas(), ...deadLetterSchemas(), ...timelineWindowSchemas() },
      responses: SHARED_ERRORS,
    },
    paths: {
      ...eventPaths(),
      ...readPaths(),
      ...timelineWindowPaths(),
      ...operationPaths(),
      ...deadLetterPaths(),
    },
  };
}

/** The document as committed in docs/openapi.json (scripts/write-openapi.mjs), byte for byte. */
export const openApiJson = () => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
