import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEventCatalogMarkdown } from './describe.js';

/**
 * `pnpm --filter @timeline/shared-types catalog:docs` (after a build): rewrites
 * `<repo>/docs/event-catalog.md` from the catalog. The repo root is the nearest folder with a
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

const target = join(repoRoot(dirname(fileURLToPath(import.meta.url))), 'docs', 'event-catalog.md');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderEventCatalogMarkdown());
console.log(`wrote ${target}`);
