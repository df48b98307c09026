/**
 * Writes the OpenAPI document the server serves at /api/docs/openapi.json to docs/openapi.json, built from
 * the compiled API (apps/api/dist) without starting it, so Redocly (`pnpm lint`) and openapi-typescript
 * (packages/api-client) read the very document clients get. Run after `pnpm build`; the API's unit spec fails
 * while the committed file differs from what the builder produces.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { openApiJson } = await import('../dist/docs/openapi.js');
const target = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
writeFileSync(target, openApiJson());
console.log(`wrote ${target}`);
