import { type DynamicModule, Module } from '@nestjs/common';
import { DocsHttpController } from './docs.http.controller.js';

/** `GET /api/docs` (OpenAPI) and `GET /api/docs/asyncapi.json`; the topic prefix comes from the config. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static register
export class DocsModule {
  static register(infrastructure: DynamicModule): DynamicModule {
    return { module: DocsModule, imports: [infrastructure], controllers: [DocsHttpController] };
  }
}
