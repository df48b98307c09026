import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTICLE_FILE = 'india-uk-tsi-article.txt';

const here = dirname(fileURLToPath(import.meta.url));

function ancestors(from: string): string[] {
  const dirs = [from];
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) dirs.push(dirname(dir));
  return dirs;
}

/**
 * The article lives outside the repository (`<repo>/../shared/sources`, or wherever
 * `TIMELINE_SOURCES_DIR` points), never in it: the tests read it where it is.
 */
export function articlePath(): string {
  const fromEnv = process.env.TIMELINE_SOURCES_DIR;
  if (fromEnv) {
    const path = resolve(fromEnv, ARTICLE_FILE);
    if (!existsSync(path)) throw new Error(`TIMELINE_SOURCES_DIR is set but ${path} does not exist`);
    return path;
  }
  for (const dir of ancestors(here)) {
    const path = join(dir, 'shared', 'sources', ARTICLE_FILE);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `${ARTICLE_FILE} not found in a shared/sources folder above ${here}; set TIMELINE_SOURCES_DIR to the folder that holds it`,
  );
}

export function readArticle(): string {
  return readFileSync(articlePath(), 'utf8');
}

export function repoRoot(): string {
  const root = ancestors(here).find((dir) => existsSync(join(dir, 'pnpm-workspace.yaml')));
  if (!root) throw new Error(`no pnpm-workspace.yaml above ${here}`);
  return root;
}
