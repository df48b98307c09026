import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { AppendEventsCommand } from './append-events.command.js';
import { decide } from './decide.js';

@CommandHandler(AppendEventsCommand)
export class AppendEventsHandler implements ICommandHandler<AppendEventsCommand, AppendResponse> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: AppendEventsCommand): Promise<AppendResponse> {
    const events = decide(command);
    return this.store.append(command.streamId, command.expectedVersion, events);
  }
}
