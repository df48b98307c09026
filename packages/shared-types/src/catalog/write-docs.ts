import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAsyncApiJson } from './asyncapi.js';
import { renderEventCatalogMarkdown } from './describe.js';

/**
 * `pnpm --filter @timeline/shared-types catalog:docs` (after a build): rewrites
 * `<repo>/docs/event-catalog.md` and `<repo>/docs/asyncapi.json` from the catalog. The repo root is the nearest folder with a
 * `pnpm-workspace.yaml`, so it works from `dist/` and from a clone anywhere.
 */
function repoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
    dir = parent;
  }
  return dir;
}

const docs = join(repoRoot(dirname(fileURLToPath(import.meta.url))), 'docs');
mkdirSync(docs, { recursive: true });
for (const [file, text] of [
  ['event-catalog.md', renderEventCatalogMarkdown()],
  ['asyncapi.json', renderAsyncApiJson()],
] as const) {
  writeFileSync(join(docs, file), text);
  console.log(`wrote ${join(docs, file)}`);
}
