export * from './body-reader.js';
export * from './client.js';
export type { components, operations, paths } from './schema.js';
export type * from './shapes.js';
