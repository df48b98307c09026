import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppendRequestSchema, type AppendResponse, StreamIdSchema } from '@timeline/shared-types';
import type { z } from 'zod';
import { ValidBody, ValidParam } from '../../http/validation/validated.js';
import { AppendEventsCommand } from './append-events.command.js';

type ParsedAppendRequest = z.output<typeof AppendRequestSchema>;

@Controller('api/streams')
export class AppendEventsHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  /** Without `expectedVersion` the append does not check the stream's version (`any`). */
  @Post(':streamId/events')
  @HttpCode(201)
  append(
    @ValidParam('streamId', StreamIdSchema) streamId: string,
    @ValidBody(AppendRequestSchema) request: ParsedAppendRequest,
  ): Promise<AppendResponse> {
    const events = request.events.map((event) => ({ ...event, eventId: event.eventId ?? randomUUID() }));
    return this.commandBus.execute(
      new AppendEventsCommand({ streamId, expectedVersion: request.expectedVersion ?? 'any', events }),
    );
  }
}
