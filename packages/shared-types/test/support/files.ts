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

/** Set by CI (`.ci/run`): a missing article then fails the checks against it instead of skipping them. */
export const REQUIRE_SOURCES = process.env.TIMELINE_REQUIRE_SOURCES === '1';

export type ArticleLookup = { found: true; path: string; text: string } | { found: false; reason: string };

/**
 * The article lives outside the repository, never in it: in a `shared/sources` folder next to the
 * clone (or further up), or wherever `TIMELINE_SOURCES_DIR` points. A plain clone has neither, so
 * the checks against the article skip there with this reason, and run wherever the article is.
 */
export function findArticle(): ArticleLookup {
  const fromEnv = process.env.TIMELINE_SOURCES_DIR;
  const candidates = fromEnv
    ? [resolve(fromEnv, ARTICLE_FILE)]
    : ancestors(here).map((dir) => join(dir, 'shared', 'sources', ARTICLE_FILE));
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path) return { found: true, path, text: readFileSync(path, 'utf8') };
  const reason = fromEnv
    ? `TIMELINE_SOURCES_DIR=${fromEnv} holds no ${ARTICLE_FILE}`
    : `${ARTICLE_FILE} is not in a shared/sources folder beside the clone; set TIMELINE_SOURCES_DIR to the folder that holds it`;
  if (REQUIRE_SOURCES) throw new Error(`TIMELINE_REQUIRE_SOURCES=1 but ${reason}`);
  return { found: false, reason };
}

export function repoRoot(): string {
  const root = ancestors(here).find((dir) => existsSync(join(dir, 'pnpm-workspace.yaml')));
  if (!root) throw new Error(`no pnpm-workspace.yaml above ${here}`);
  return root;
}
