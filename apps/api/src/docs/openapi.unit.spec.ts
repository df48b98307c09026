import { EVENT_TYPES } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.js';

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<string, unknown>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  it('describes the write and read routes', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/streams/{streamId}/events',
        '/api/events',
        '/api/events/{eventId}/corrections',
      ]),
    );
  });

  it('derives request schemas from the zod schemas, and has one data schema per catalog type', () => {
    expect(Object.keys(document.components.schemas.AppendRequest?.properties ?? {})).toEqual([
      'expectedVersion',
      'events',
    ]);
    for (const type of EVENT_TYPES) expect(document.components.schemas[`EventData.${type}.v1`]).toBeDefined();
    expect(JSON.stringify(document)).not.toContain('$schema');
  });
});
