import { Command } from '@nestjs/cqrs';
import type { AppendResponse } from '@timeline/shared-types';
import type { CorrectEvent } from './decide.js';

/** CorrectEvent on the CommandBus. */
export class CorrectEventCommand extends Command<AppendResponse> {
  constructor(readonly correct: CorrectEvent) {
    super();
  }
}
