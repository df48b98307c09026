import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import { Public } from '../../http/security/public.decorator.js';
import { ValidQuery } from '../../http/validation/validated.js';
import { type CatalogResponse, GetCatalogQuery } from './get-catalog.query.js';

/** No parameters: an unknown query parameter is refused, as everywhere. */
const NoParameters = z.strictObject({});

/** Open like the docs: it describes the contract, never the data. */
@Public()
@Controller('api/catalog')
export class GetCatalogHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  get(@ValidQuery(NoParameters) _query: Record<string, never>): Promise<CatalogResponse> {
    return this.queryBus.execute(new GetCatalogQuery());
  }
}
