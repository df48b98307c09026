import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  type AppendResponse,
  CorrectionRequestSchema,
  RetractionRequestSchema,
} from '@timeline/shared-types';
import type { z } from 'zod';
import { ValidBody } from '../http/validation/validated.js';
import { CorrectEventCommand } from './correct-event/correct-event.command.js';
import { RetractEventCommand } from './retract-event/retract-event.command.js';
import { eventIdParam } from './lineage/event-id.param.js';

/** Corrections and retractions: both name the fact they are about in the path. */
@Controller('api/events/:eventId')
export class LineageHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post('corrections')
  @HttpCode(201)
  correct(
    @Param('eventId', eventIdParam()) targetEventId: string,
    @ValidBody(CorrectionRequestSchema) request: z.output<typeof CorrectionRequestSchema>,
  ): Promise<AppendResponse> {
    const { eventId, patch, occurredAt, reason, metadata } = request;
    return this.commandBus.execute(
      new CorrectEventCommand({
        targetEventId,
        eventId: lineageEventId(eventId),
        correction: { patch, occurredAt, reason },
        metadata,
      }),
    );
  }

  @Post('retraction')
  @HttpCode(201)
  retract(
    @Param('eventId', eventIdParam()) targetEventId: string,
    @ValidBody(RetractionRequestSchema) request: z.output<typeof RetractionRequestSchema>,
  ): Promise<AppendResponse> {
    const { eventId, reason, metadata } = request;
    return this.commandBus.execute(
      new RetractEventCommand({ targetEventId, eventId: lineageEventId(eventId), reason, metadata }),
    );
  }
}

/** The client's id for the new event (a retry sends the same one), or a fresh one; lower case as stored. */
function lineageEventId(requested: string | undefined): string {
  return (requested ?? randomUUID()).toLowerCase();
}
