import { Query } from '@nestjs/cqrs';
import type { StreamResponse } from '@timeline/shared-types';
import { z } from 'zod';

/** `GET /api/streams/:streamId?fromVersion=&limit=`; stream versions are 32-bit in the store. */
export const ReadStreamQuerySchema = z.strictObject({
  fromVersion: z.coerce.number().int().min(1).max(2_147_483_647).default(1),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export class ReadStreamQuery extends Query<StreamResponse> {
  constructor(
    readonly streamId: string,
    readonly fromVersion: number,
    readonly limit: number,
  ) {
    super();
  }
}
