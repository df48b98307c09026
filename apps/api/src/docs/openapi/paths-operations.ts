import { SessionRequestSchema } from '../../http/security/session.http.controller.js';
import { RebuildQuerySchema } from '../../replay/rebuild.http.controller.js';
import { json, rawText, ref, requestSchema } from './json-schema.js';
import { queryParams } from './parameters.js';
import { error, OPEN, READ, readErrors, WRITE, writeErrors } from './responses.js';

/** Running the service: read model rebuilds, metrics, these docs and the event catalog, browser sessions, health. */
export function operationPaths() {
  return {
    '/api/admin/rebuild': {
      post: {
        operationId: 'startRebuild',
        ...WRITE,
        summary: 'Rebuild the timeline read model beside the live one and swap it in',
        description:
          'The service keeps answering. `source=store` (default) folds the event store; `source=kafka` folds the events topic from offset 0, then ' +
          'whatever the topic cannot give (not yet relayed, lost to retention, undecodable) from the store, so the result is the same. ' +
          'Without `Accept: application/x-ndjson`: 202 with the first status and a `Location` to poll. With it: 200 and one RebuildStatus ' +
          'per line until the last (`state` `swapped` or `failed`). No request body is needed.',
        parameters: queryParams(RebuildQuerySchema, { source: '`store` (default) or `kafka`' }),
        responses: {
          '200': {
            description:
              'With `Accept: application/x-ndjson`: progress, one status per line (`Location` set too)',
            headers: { Location: { schema: { type: 'string' }, description: '/api/admin/rebuild/{id}' } },
            content: { 'application/x-ndjson': { schema: ref('RebuildStatus') } },
          },
          '202': {
            description: 'Started',
            headers: { Location: { schema: { type: 'string' }, description: '/api/admin/rebuild/{id}' } },
            content: json(ref('RebuildStatus')),
          },
          '400': error('Invalid query parameter (`source`), named in `issues`'),
          '401': writeErrors['401'],
          '409': error(
            'A rebuild is already running (here or on another instance; the message names it), or `source=kafka` on an instance without Kafka',
          ),
          '429': writeErrors['429'],
        },
      },
    },
    '/api/admin/rebuild/{id}': {
      get: {
        operationId: 'getRebuild',
        ...READ,
        summary: "A rebuild's last recorded status (from any instance)",
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': { description: 'The status', content: json(ref('RebuildStatus')) },
          ...readErrors,
          '404': error('No rebuild with that id'),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        ...OPEN,
        summary: 'Prometheus metrics (always open)',
        description: 'The metric names and what to alert on are in docs/operations.md.',
        responses: {
          '200': {
            description: 'Prometheus text exposition format',
            content: { 'text/plain; version=0.0.4': { schema: rawText('Prometheus text format 0.0.4') } },
          },
        },
      },
    },
    '/api/docs/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        ...OPEN,
        summary: 'This document (always open)',
        responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
      },
    },
    '/api/docs/asyncapi.json': {
      get: {
        operationId: 'getAsyncApiDocument',
        summary:
          'The AsyncAPI 3 document of the Kafka topics, with this deployment’s topic prefix (always open)',
        ...OPEN,
        responses: { '200': { description: 'AsyncAPI 3', content: json({ type: 'object' }) } },
      },
    },
    '/api/docs': {
      get: {
        operationId: 'getDocsPage',
        ...OPEN,
        summary: 'A plain page listing the routes (always open)',
        responses: {
          '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
    '/api/catalog': {
      get: {
        operationId: 'getCatalog',
        ...OPEN,
        summary: 'The event types, each with the JSON Schema of every schema version (always open)',
        description:
          'From the catalog the server validates with: each type’s `latestVersion`, its `kind` (`fact`, or `lineage` for ' +
          'EventCorrected and EventRetracted) and, oldest first, the JSON Schema of `data` at every version. Takes no parameters.',
        responses: {
          '200': { description: 'The catalog', content: json(ref('EventCatalog')) },
          '400': readErrors['400'],
        },
      },
    },
    '/api/session': {
      post: {
        operationId: 'openReadSession',
        ...OPEN,
        summary: 'Open a browser read session (reads closed by TIMELINE_READ_TOKENS)',
        description:
          'EventSource cannot send `Authorization`, so a browser posts a read (or write) token once and gets it back as an HttpOnly, ' +
          'SameSite=Strict cookie (`timeline_read`, 12 h) that counts for reads only; writes still need the header. Public; attempts ' +
          'are rate limited per address like writes.',
        requestBody: { required: true, content: json(requestSchema(SessionRequestSchema)) },
        responses: {
          '204': { description: 'Session open: `Set-Cookie: timeline_read=…; HttpOnly; SameSite=Strict`' },
          '400': error('Invalid body: `issues` names `token`'),
          '401': error('The token is neither a read nor a write token'),
          '413': writeErrors['413'],
          '415': error('Not application/json'),
          '429': writeErrors['429'],
        },
      },
      delete: {
        operationId: 'closeReadSession',
        ...OPEN,
        summary: 'End the browser read session (clears the cookie)',
        responses: { '204': { description: 'Cookie cleared' } },
      },
    },
    '/api/health/live': {
      get: {
        operationId: 'checkLiveness',
        ...OPEN,
        summary: 'The process is up',
        responses: {
          '200': {
            description: 'Up',
            content: json({ type: 'object', required: ['status'], properties: { status: { const: 'ok' } } }),
          },
        },
      },
    },
    '/api/health/ready': {
      get: {
        operationId: 'checkReadiness',
        ...OPEN,
        summary: 'Every dependency (store, and Kafka where configured) answers',
        responses: {
          '200': { description: 'Ready', content: json(ref('Readiness')) },
          '503': { description: 'Not ready; the failing checks are named', content: json(ref('Readiness')) },
        },
      },
    },
  };
}
