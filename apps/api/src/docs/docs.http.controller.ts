import { Controller, Get, Header, Inject } from '@nestjs/common';
import { buildAsyncApiDocument } from '@timeline/shared-types';
import type { AppConfig } from '../config/config.js';
import { CONFIG } from '../infrastructure/infrastructure.tokens.js';
import { Public } from '../http/security/public.decorator.js';
import { buildOpenApiDocument } from './openapi.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

@Public()
@Controller('api/docs')
export class DocsHttpController {
  private readonly document = buildOpenApiDocument();
  private readonly page = renderPage(this.document);
  /** The Kafka topics as this deployment names them (its topic prefix). */
  private readonly asyncApiDocument: Record<string, unknown>;

  constructor(@Inject(CONFIG) config: Pick<AppConfig, 'kafka'>) {
    this.asyncApiDocument = buildAsyncApiDocument({ topicPrefix: config.kafka.topicPrefix });
  }

  @Get('openapi.json')
  openApi(): Record<string, unknown> {
    return this.document;
  }

  @Get('asyncapi.json')
  asyncApi(): Record<string, unknown> {
    return this.asyncApiDocument;
  }

  /** A dependency-free page: the routes, linking to the full document. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  html(): string {
    return this.page;
  }
}

function renderPage(document: Record<string, unknown>): string {
  const paths = document.paths as Record<string, Record<string, { summary?: string; description?: string }>>;
  const rows = Object.entries(paths)
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, op]) =>
          `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}${
            op.description ? `<br><small>${escapeHtml(op.description)}</small>` : ''
          }</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Timeline API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td{padding:.4rem .6rem;vertical-align:top;border-top:1px solid #ddd}code{white-space:nowrap}</style>
</head><body>
<h1>Timeline API</h1>
<p>OpenAPI 3.1 document: <a href="/api/docs/openapi.json">/api/docs/openapi.json</a>. Writes need <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<p>The Kafka topics (AsyncAPI 3, CloudEvents headers): <a href="/api/docs/asyncapi.json">/api/docs/asyncapi.json</a>.</p>
<table>
${rows}
</table>
</body></html>
`;
}
