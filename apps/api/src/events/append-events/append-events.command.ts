import { Command } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import type { AppendEvents } from './decide.js';

/** AppendEvents on the CommandBus. */
export class AppendEventsCommand extends Command<AppendResponse> {
  constructor(readonly append: AppendEvents) {
    super();
  }
}
