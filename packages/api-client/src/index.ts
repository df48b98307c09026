import type { components } from './schema.js';

export * from './body-reader.js';
export * from './client.js';
export type { components, operations, paths } from './schema.js';

/** A request or response body by its component name in docs/openapi.json: `Schema<'TimelineResponse'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
