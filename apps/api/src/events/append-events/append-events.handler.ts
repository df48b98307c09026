import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { METRICS } from '../../infrastructure/infrastructure.tokens.js';
import type { TimelineMetrics } from '../../infrastructure/metrics.js';
import { appendOutcomeOf, countAppendedEvents } from '../append-counts.js';
import { AppendEventsCommand } from './append-events.command.js';
import { decide } from './decide.js';

@CommandHandler(AppendEventsCommand)
export class AppendEventsHandler implements ICommandHandler<AppendEventsCommand, AppendResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(METRICS) private readonly metrics: TimelineMetrics,
  ) {}

  /** Counts the request once by outcome, and its events by type when they were written (not on a replay). */
  async execute({ append }: AppendEventsCommand): Promise<AppendResponse> {
    let result: AppendResponse;
    try {
      const events = decide(append);
      result = await this.store.append(append.streamId, append.expectedVersion, events);
    } catch (error) {
      this.metrics.appendRequests.inc({ outcome: appendOutcomeOf(error) });
      throw error;
    }
    this.metrics.appendRequests.inc({ outcome: result.duplicate ? 'duplicate' : 'appended' });
    if (!result.duplicate) countAppendedEvents(this.metrics, append.events);
    return result;
  }
}
