import { Command } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import type { RetractEvent } from './decide.js';

/** RetractEvent on the CommandBus. */
export class RetractEventCommand extends Command<AppendResponse> {
  constructor(readonly retract: RetractEvent) {
    super();
  }
}
