import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetCatalogHandler } from './get-catalog/get-catalog.handler.js';
import { GetCatalogHttpController } from './get-catalog/get-catalog.http.controller.js';

/** `GET /api/catalog`: the event types and their schemas, from the shared catalog. */
@Module({
  imports: [CqrsModule],
  controllers: [GetCatalogHttpController],
  providers: [GetCatalogHandler],
})
export class CatalogModule {}
