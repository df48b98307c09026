import { Query } from '@nestjs/cqrs';
import type { JsonSchema } from '@timeline/shared-types';

export interface CatalogVersion {
  schemaVersion: number;
  /** The JSON Schema of `data` at this version, as a client writes it (fields with a default are optional). */
  schema: JsonSchema;
}

export interface CatalogType {
  type: string;
  latestVersion: number;
  /** `lineage`: a correction or retraction of a fact, not drawn as an item of its own. */
  kind: 'fact' | 'lineage';
  /** Oldest first; stored events of older versions are upcast to `latestVersion` on read. */
  versions: CatalogVersion[];
}

export interface CatalogResponse {
  types: CatalogType[];
}

/** `GET /api/catalog`: every event type the store accepts, with the schema of each version. */
export class GetCatalogQuery extends Query<CatalogResponse> {}
