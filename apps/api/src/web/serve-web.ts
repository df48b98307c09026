import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * In production the API serves the built web app (`apps/web/dist`) at `/`. Apps never import each
 * other: this is a folder of static files found at run time, `TIMELINE_WEB_DIR` (config.webDir) or
 * the sibling build.
 */
export function webDistDir(configured: string | undefined): string | undefined {
  if (configured) return existsSync(join(configured, 'index.html')) ? resolve(configured) : undefined;
  const sibling = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');
  return existsSync(join(sibling, 'index.html')) ? sibling : undefined;
}

const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

/**
 * The app's pages may be framed by no site (`frame-ancestors 'none'`, and `X-Frame-Options: DENY`
 * from the security headers), except `/embed`, the read-only view, which the sites of
 * `TIMELINE_EMBED_ORIGINS` may frame: its `frame-ancestors` lists them and it drops
 * `X-Frame-Options`, which cannot name a site. With no origins set, `/embed` is refused like the rest.
 */
export function serveWeb(
  app: NestFastifyApplication,
  configuredDir: string | undefined,
  embedOrigins: readonly string[] = [],
): string | undefined {
  const dir = webDistDir(configuredDir);
  if (!dir) return undefined;
  const index = join(dir, 'index.html');
  const embed = async (_request: unknown, reply: FastifyReply) => {
    const ancestors = embedOrigins.length > 0 ? embedOrigins.join(' ') : "'none'";
    if (embedOrigins.length > 0) reply.raw.removeHeader('X-Frame-Options');
    return reply
      .header('Content-Security-Policy', `${PAGE_POLICY}; frame-ancestors ${ancestors}`)
      .header('Cache-Control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await readFile(index));
  };
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.get('/embed', embed);
  app.useStaticAssets({
    root: dir,
    prefix: '/',
    index: 'index.html',
    cacheControl: false,
    // @fastify/static hands the reply here, whatever its types say.
    setHeaders: (reply: unknown, path: string) => {
      (reply as FastifyReply)
        .header('Content-Security-Policy', `${PAGE_POLICY}; frame-ancestors 'none'`)
        .header(
          'Cache-Control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
    },
  });
  return dir;
}
