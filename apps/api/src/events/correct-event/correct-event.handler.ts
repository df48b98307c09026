import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { appendLineage } from '../lineage/append-lineage.js';
import { CorrectEventCommand } from './correct-event.command.js';
import { decide } from './decide.js';

@CommandHandler(CorrectEventCommand)
export class CorrectEventHandler implements ICommandHandler<CorrectEventCommand, AppendResponse> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ correct }: CorrectEventCommand): Promise<AppendResponse> {
    return appendLineage(this.store, correct.targetEventId, (state) => decide(correct, state));
  }
}
