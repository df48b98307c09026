import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { EVENT_TYPES } from '@timeline/shared-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PUBLIC_ROUTE } from '../http/security/public.decorator.js';
import { buildOpenApiDocument, openApiJson } from './openapi.js';
import { queryParams } from './openapi/parameters.js';
import { AccessPolicy } from '../http/security/access-policy.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');
const API_MD = join(SRC, '../../../docs/api.md');
const OPENAPI_JSON = join(SRC, '../../../docs/openapi.json');

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; description?: string }>;
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

const document = buildOpenApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

interface Route {
  method: string;
  /** As Nest declares it: `/api/admin/rebuild/:id`. */
  path: string;
  /** As OpenAPI writes it: `/api/admin/rebuild/{id}`. */
  openApiPath: string;
  source: string;
  /** `@Public()` on the handler or its controller: the access guard lets it through. */
  isPublic: boolean;
}

/** Every `.ts` file under src (tests excluded) that declares a controller. */
function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) return [];
    return /@Controller\(/.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;
const asArray = (value: unknown): string[] =>
  value === undefined ? [''] : Array.isArray(value) ? value.map(String) : [String(value)];

/**
 * The routes Nest would register, read from the decorators' metadata of every controller in src.
 * Found by scanning the source rather than a hand-kept list, so a controller or handler added
 * anywhere is seen here without anyone remembering to add it.
 */
async function declaredRoutes(): Promise<Route[]> {
  const routes: Route[] = [];
  for (const file of controllerFiles(SRC)) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const exported of Object.values(module)) {
      if (typeof exported !== 'function') continue;
      const base = Reflect.getMetadata(PATH_METADATA, exported) as unknown;
      if (base === undefined) continue;
      const proto = (exported as { prototype: Record<string, unknown> }).prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const prefix of asArray(base)) {
          for (const sub of asArray(Reflect.getMetadata(PATH_METADATA, handler))) {
            const path = joinPath(prefix, sub);
            routes.push({
              method: RequestMethod[method]!.toLowerCase(),
              path,
              openApiPath: path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
              source: `${relative(SRC, file)} ${(exported as { name: string }).name}.${name}`,
              isPublic: Boolean(
                Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, exported),
              ),
            });
          }
        }
      }
    }
  }
  return routes;
}

describe('buildOpenApiDocument', () => {
  let routes: Route[] = [];
  beforeAll(async () => {
    routes = await declaredRoutes();
  });

  it('finds the controllers it checks against (the scan itself works)', () => {
    const found = routes.map((r) => `${r.method} ${r.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'post /api/streams/:streamId/events',
        'get /api/replay',
        'post /api/admin/rebuild',
        'get /api/admin/rebuild/:id',
        'get /metrics',
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(17);
  });

  it('describes every route a controller declares', () => {
    const missing = routes
      .filter((r) => document.paths[r.openApiPath]?.[r.method] === undefined)
      .map((r) => `${r.method.toUpperCase()} ${r.openApiPath} (${r.source})`);
    expect(missing, 'routes served but missing from the OpenAPI document').toEqual([]);
  });

  it('describes no route that no controller serves', () => {
    const served = new Set(routes.map((r) => `${r.method} ${r.openApiPath}`));
    const stale = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => !served.has(`${method} ${path}`))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(stale, 'documented routes that no controller declares').toEqual([]);
  });

  it('has a section or entry for every route in docs/api.md', () => {
    const prose = readFileSync(API_MD, 'utf8');
    const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const missing = routes
      .map((r) => `${r.method.toUpperCase()} ${r.path}`)
      // The route then a character that cannot continue a path, so `/api/admin/rebuild` is not found inside `/api/admin/rebuild/:id`.
      .filter((route) => !new RegExp(`${escapeRegExp(route)}(?![A-Za-z0-9._:/{-])`).test(prose));
    expect(missing, 'routes not mentioned in docs/api.md').toEqual([]);
  });

  it('gives every operation a summary and a described 2xx, and every parameter a description or schema', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('2')),
          `${method} ${path}`,
        ).toBe(true);
        for (const p of op.parameters ?? []) {
          if (p.in !== 'path') expect(p.description, `${method} ${path} ${p.name}`).toBeTruthy();
        }
      }
    }
  });

  it('takes query parameters from the controllers’ zod schemas', () => {
    const names = (path: string) => document.paths[path]?.get?.parameters?.map((p) => p.name);
    expect(names('/api/replay')).toEqual([
      'mode',
      'after',
      'until',
      'streams',
      'types',
      'pillars',
      'actors',
      'from',
      'to',
      'asOf',
    ]);
    expect(names('/api/stats')).toEqual(['asOf', 'format']);
    expect(names('/api/export')).toEqual(['format', 'asOf', 'title']);
    expect(names('/api/stream')).toEqual(['after', 'types', 'streams', 'pillars', 'Last-Event-ID']);
    expect(names('/api/timeline')).toContain('includeRetracted');
  });

  it('refuses a query parameter without a description, and a description of no parameter', () => {
    const schema = z.strictObject({ after: z.coerce.number().int().min(0), mode: z.enum(['a', 'b']) });
    expect(queryParams(schema, { after: 'a', mode: 'b' }).map((p) => p.schema)).toEqual([
      { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      { type: 'string', enum: ['a', 'b'] },
    ]);
    expect(() => queryParams(schema, { after: 'a' })).toThrow(/undocumented \[mode\]/);
    expect(() => queryParams(schema, { after: 'a', mode: 'b', gone: 'c' })).toThrow(
      /not in the schema \[gone\]/,
    );
  });

  it('names the content types and headers of the streamed and negotiated answers', () => {
    const ok = (path: string, method = 'get') => document.paths[path]?.[method]?.responses['200'];
    expect(Object.keys(ok('/api/stream')?.content ?? {})).toEqual(['text/event-stream']);
    expect(Object.keys(ok('/api/replay')?.headers ?? {})).toEqual(['Timeline-Replay-Horizon']);
    expect(Object.keys(ok('/api/stats')?.content ?? {})).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(ok('/api/export')?.content ?? {})).toEqual([
      'application/x-ndjson',
      'text/csv',
      'application/json',
    ]);
    const rebuild = document.paths['/api/admin/rebuild']?.post;
    expect(Object.keys(rebuild?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '202', '401', '409', '429']),
    );
    expect(rebuild?.parameters?.map((p) => p.name)).toEqual(['source']);
    expect(Object.keys(document.components.schemas.RebuildStatus?.properties ?? {})).toEqual(
      expect.arrayContaining(['source', 'kafkaPosition']),
    );
  });

  it('derives request schemas from the zod schemas, and has one data schema per catalog type', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.schemas.AppendRequest?.properties ?? {})).toEqual([
      'expectedVersion',
      'events',
    ]);
    for (const type of EVENT_TYPES) expect(document.components.schemas[`EventData.${type}.v1`]).toBeDefined();
    expect(JSON.stringify(document)).not.toContain('$schema');
  });

  it('refers only to component schemas and responses that exist', () => {
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    expect(refs.some((m) => m[1] === 'responses')).toBe(true);
    for (const [, kind, name] of refs) {
      const components = document.components as unknown as Record<string, Record<string, unknown>>;
      expect(components[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
    }
  });

  it('is the document committed in docs/openapi.json (pnpm openapi rewrites it)', () => {
    expect(
      readFileSync(OPENAPI_JSON, 'utf8') === openApiJson(),
      'docs/openapi.json is stale: run `pnpm openapi`',
    ).toBe(true);
  });

  it('names every operation with a unique operationId', () => {
    const ids = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).map((op) => op.operationId),
    );
    expect(
      ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)),
      ids.join(', '),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares the security the access policy applies: public routes open, admin and writes a token, reads optional', () => {
    const READ = [{}, { bearer: [] }, { readSession: [] }];
    for (const route of routes) {
      const op = document.paths[route.openApiPath]?.[route.method];
      const role = AccessPolicy.requiredRole(route.method.toUpperCase(), route.openApiPath);
      const expected = route.isPublic ? [] : role === 'read' ? READ : [{ bearer: [] }];
      expect(op?.security, `${route.method.toUpperCase()} ${route.openApiPath}`).toEqual(expected);
    }
  });

  it('documents a 4xx for every operation that can answer one (redocly.yaml turns the rule off for the rest)', () => {
    const NO_CLIENT_ERROR = [
      'get /metrics',
      'get /api/docs',
      'get /api/docs/openapi.json',
      'get /api/docs/asyncapi.json',
      'delete /api/session',
      'get /api/health/live',
      'get /api/health/ready',
    ];
    const without = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => !Object.keys(op.responses).some((status) => status.startsWith('4')))
        .map(([method]) => `${method} ${path}`),
    );
    expect(without.sort()).toEqual([...NO_CLIENT_ERROR].sort());
  });
});
