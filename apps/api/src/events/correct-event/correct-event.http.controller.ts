import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type AppendResponse, CorrectionRequestSchema } from '@timeline/shared-types';
import type { z } from 'zod';
import { ZodValidationPipe } from '../../http/validation/zod-validation.pipe.js';
import { eventIdParam } from '../lineage/event-id.param.js';
import { CorrectEventCommand } from './correct-event.command.js';

type ParsedCorrectionRequest = z.output<typeof CorrectionRequestSchema>;

@Controller('api/events')
export class CorrectEventHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':eventId/corrections')
  @HttpCode(201)
  correct(
    @Param('eventId', eventIdParam()) targetEventId: string,
    @Body(new ZodValidationPipe(CorrectionRequestSchema)) request: ParsedCorrectionRequest,
  ): Promise<AppendResponse> {
    const { eventId, patch, occurredAt, reason, metadata } = request;
    return this.commandBus.execute(
      new CorrectEventCommand({
        targetEventId,
        eventId: (eventId ?? randomUUID()).toLowerCase(),
        correction: { patch, occurredAt, reason },
        metadata,
      }),
    );
  }
}
