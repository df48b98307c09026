/**
 * A second web site for the interop specs, on its own port: it serves TimelineJS 3 from the npm
 * package's `dist` (never a CDN), a page that opens a TimelineJS document in it, and a page that
 * frames the app's `/embed` view, as a site embedding the timeline would.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { WEB_ROOT } from './stack.ts';

const TIMELINEJS_DIST = join(WEB_ROOT, 'node_modules/@knight-lab/timelinejs/dist');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

export interface InteropSite {
  port: number;
  /** Serves `document` as `/document.json` for the TimelineJS page. */
  setDocument(document: unknown): void;
  close(): Promise<void>;
}

const TIMELINEJS_PAGE = `<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/timelinejs/css/timeline.css">
<script src="/timelinejs/js/timeline.js"></script></head>
<body style="margin:0"><div id="timeline" style="width:1200px;height:700px"></div>
<script>
fetch('/document.json').then((r) => r.json()).then((doc) => {
  window.timeline = new TL.Timeline('timeline', doc, { hash_bookmark: false });
  window.timeline.on('loaded', () => { window.timelineLoaded = true; });
});
</script></body></html>`;

const framePage = (src: string) => `<!doctype html>
<html><head><meta charset="utf-8"></head><body>
<iframe id="embed" src="${src.replaceAll('"', '&quot;')}" width="900" height="500" style="border:0"></iframe>
</body></html>`;

export async function startInteropSite(): Promise<InteropSite> {
  let document: unknown = { events: [] };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/timelinejs.html') return send(200, TYPES['.html']!, TIMELINEJS_PAGE);
    if (url.pathname === '/document.json') return send(200, TYPES['.json']!, JSON.stringify(document));
    if (url.pathname === '/frame.html')
      return send(200, TYPES['.html']!, framePage(url.searchParams.get('src') ?? ''));
    if (url.pathname.startsWith('/timelinejs/')) {
      const path = normalize(url.pathname.slice('/timelinejs/'.length));
      if (path.startsWith('..')) return send(404, 'text/plain', 'not found');
      try {
        const body = await readFile(join(TIMELINEJS_DIST, path));
        return send(200, TYPES[extname(path)] ?? 'application/octet-stream', body);
      } catch {
        return send(404, 'text/plain', 'not found');
      }
    }
    return send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    setDocument(next) {
      document = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
