import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

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
  app: NestExpressApplication,
  configuredDir: string | undefined,
  embedOrigins: readonly string[] = [],
): string | undefined {
  const dir = webDistDir(configuredDir);
  if (!dir) return undefined;
  const index = join(dir, 'index.html');
  app.use('/embed', (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.path !== '/' && req.path !== ''))
      return next();
    const ancestors = embedOrigins.length > 0 ? embedOrigins.join(' ') : "'none'";
    if (embedOrigins.length > 0) res.removeHeader('X-Frame-Options');
    res.setHeader('Content-Security-Policy', `${PAGE_POLICY}; frame-ancestors ${ancestors}`);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  app.useStaticAssets(dir, {
    index: 'index.html',
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('Content-Security-Policy', `${PAGE_POLICY}; frame-ancestors 'none'`);
      res.setHeader(
        'Cache-Control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return dir;
}
