import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type AppendResponse, RetractionRequestSchema } from '@timeline/shared-types';
import type { z } from 'zod';
import { ZodValidationPipe } from '../../http/validation/zod-validation.pipe.js';
import { eventIdParam } from '../lineage/event-id.param.js';
import { RetractEventCommand } from './retract-event.command.js';

type ParsedRetractionRequest = z.output<typeof RetractionRequestSchema>;

@Controller('api/events')
export class RetractEventHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':eventId/retraction')
  @HttpCode(201)
  retract(
    @Param('eventId', eventIdParam()) targetEventId: string,
    @Body(new ZodValidationPipe(RetractionRequestSchema)) request: ParsedRetractionRequest,
  ): Promise<AppendResponse> {
    const { eventId, reason, metadata } = request;
    return this.commandBus.execute(
      new RetractEventCommand({
        targetEventId,
        eventId: (eventId ?? randomUUID()).toLowerCase(),
        reason,
        metadata,
      }),
    );
  }
}
