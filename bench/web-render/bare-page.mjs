/** The bare vis-timeline page the app is measured against: built with Vite, served with the app's own items. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { HERE, importFromWeb, WEB_ROOT } from './paths.mjs';

export async function buildBarePage() {
  const { build } = await importFromWeb('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'timeline-bench-bare-'));
  const bareDir = join(HERE, 'bare');
  const webEntry = join(WEB_ROOT, 'src/main.ts');
  await build({
    configFile: false,
    root: bareDir,
    base: './',
    logLevel: 'warn',
    plugins: [
      {
        // The bench package does not depend on vis-*: resolve them as apps/web does (same versions).
        name: 'resolve-vis-from-web',
        enforce: 'pre',
        resolveId(source, importer, options) {
          if (!/^vis-(timeline|data)(\/|$)/.test(source) || !importer?.startsWith(bareDir)) return null;
          return this.resolve(source, webEntry, { ...options, skipSelf: true });
        },
      },
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
      reportCompressedSize: false,
    },
  });
  return outDir;
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves the built bare page and `/items.json` (the app's own vis items and groups). */
export async function serveBare(dir, getItems) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/items.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(getItems());
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const immutable = file.includes('/assets/');
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((d) => server.close(d)),
  };
}
