import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { appendLineage } from '../lineage/append-lineage.js';
import { decide } from './decide.js';
import { RetractEventCommand } from './retract-event.command.js';

@CommandHandler(RetractEventCommand)
export class RetractEventHandler implements ICommandHandler<RetractEventCommand, AppendResponse> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ retract }: RetractEventCommand): Promise<AppendResponse> {
    return appendLineage(this.store, retract.targetEventId, (state) => decide(retract, state));
  }
}
