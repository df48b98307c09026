import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';

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

export function serveWeb(app: NestExpressApplication, configuredDir: string | undefined): string | undefined {
  const dir = webDistDir(configuredDir);
  if (!dir) return undefined;
  app.useStaticAssets(dir, {
    index: 'index.html',
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
      res.setHeader(
        'Cache-Control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return dir;
}
