/**
 * Where things are. The benchmark borrows the web app's browser tooling and vis libraries
 * (playwright-core, vite, vis-timeline, vis-data) from `apps/web`'s dependencies, so that the bare page
 * runs exactly the versions the app ships; it imports no code of the app.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');
export const WEB_ROOT = join(REPO_ROOT, 'apps/web');
const webRequire = createRequire(join(WEB_ROOT, 'package.json'));

/** Imports a package the way `apps/web` resolves it. */
export async function importFromWeb(name) {
  return import(pathToFileURL(webRequire.resolve(name)).href);
}
