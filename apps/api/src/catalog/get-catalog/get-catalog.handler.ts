import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_CATALOG, EVENT_TYPES, jsonSchemaOf, LINEAGE_EVENT_TYPES } from '@timeline/shared-types';
import type { z } from 'zod';
import { type CatalogResponse, type CatalogType, GetCatalogQuery } from './get-catalog.query.js';

@QueryHandler(GetCatalogQuery)
export class GetCatalogHandler implements IQueryHandler<GetCatalogQuery, CatalogResponse> {
  /** The catalog is compiled in, so it is described once, on the first request. */
  private described: CatalogResponse | undefined;

  async execute(): Promise<CatalogResponse> {
    this.described ??= { types: EVENT_TYPES.map(describeType) };
    return this.described;
  }
}

function describeType(type: (typeof EVENT_TYPES)[number]): CatalogType {
  const { current, versions } = EVENT_CATALOG[type];
  return {
    type,
    latestVersion: current,
    kind: (LINEAGE_EVENT_TYPES as readonly string[]).includes(type) ? 'lineage' : 'fact',
    versions: Object.entries(versions as Record<string, z.ZodType>)
      .map(([version, schema]) => ({ schemaVersion: Number(version), schema: jsonSchemaOf(schema, 'input') }))
      .sort((a, b) => a.schemaVersion - b.schemaVersion),
  };
}
