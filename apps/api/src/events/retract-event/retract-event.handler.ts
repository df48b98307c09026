import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { METRICS } from '../../infrastructure/infrastructure.tokens.js';
import type { TimelineMetrics } from '../../infrastructure/metrics.js';
import { appendLineage } from '../lineage/append-lineage.js';
import { decide } from './decide.js';
import { RetractEventCommand } from './retract-event.command.js';

@CommandHandler(RetractEventCommand)
export class RetractEventHandler implements ICommandHandler<RetractEventCommand, AppendResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(METRICS) private readonly metrics: TimelineMetrics,
  ) {}

  execute({ retract }: RetractEventCommand): Promise<AppendResponse> {
    return appendLineage(this.store, this.metrics, retract.targetEventId, (state) => decide(retract, state));
  }
}
