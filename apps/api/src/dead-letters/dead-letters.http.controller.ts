import { Controller, Get, HttpCode, HttpStatus, Inject, NotFoundException, Post } from '@nestjs/common';
import { z } from 'zod';
import { RetryLaterException } from '../http/errors/http-errors.js';
import { ValidParam, ValidQuery } from '../http/validation/validated.js';
import {
  type DeadLetterAdmin,
  type DeadLetterDetail,
  type DeadLetterEntry,
  DeadLetterNotFoundError,
  DeadLettersUnavailableError,
} from './dead-letter-admin.js';
import { DEAD_LETTER_ADMIN } from './dead-letters.tokens.js';

export const DeadLetterListQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .default(100)
    .describe('how many dead letters at most, oldest first'),
});
export type DeadLetterListQuery = z.output<typeof DeadLetterListQuerySchema>;

export const DeadLetterIdSchema = z
  .string()
  .regex(/^\d{1,9}:\d{1,19}$/, 'must be <partition>:<offset>, e.g. 0:12')
  .describe('`<partition>:<offset>` of the message on the dead-letter topic');

/**
 * The projector's dead letters: list, show, redrive. Under /api/admin, so the guard asks for a write
 * token even to read them (the raw messages may hold data the read tokens should not see).
 */
@Controller('api/admin/dlq')
export class DeadLettersHttpController {
  constructor(@Inject(DEAD_LETTER_ADMIN) private readonly admin: DeadLetterAdmin) {}

  @Get()
  async list(
    @ValidQuery(DeadLetterListQuerySchema) query: DeadLetterListQuery,
  ): Promise<{ messages: DeadLetterEntry[] }> {
    return { messages: await answer(this.admin.list(query.limit)) };
  }

  @Get(':id')
  async show(@ValidParam('id', DeadLetterIdSchema) id: string): Promise<DeadLetterDetail> {
    return answer(this.admin.get(id));
  }

  /** Folds the event at the dead letter's position again, from the store. 409 when it cannot. */
  @Post(':id/redrive')
  @HttpCode(202)
  async redrive(@ValidParam('id', DeadLetterIdSchema) id: string): Promise<{ id: string; position: number }> {
    return answer(this.admin.redrive(id));
  }
}

async function answer<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DeadLetterNotFoundError) throw new NotFoundException(error.message);
    if (error instanceof DeadLettersUnavailableError)
      throw new RetryLaterException(error.message, 5, HttpStatus.SERVICE_UNAVAILABLE);
    throw error;
  }
}
