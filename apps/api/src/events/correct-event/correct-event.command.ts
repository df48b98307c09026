import { Command } from '@nestjs/cqrs';
import type { AppendResponse, Metadata, OccurredAt } from '@timeline/shared-types';

export interface Correction {
  /** A JSON merge patch (RFC 7396) for the target's data. */
  patch?: Record<string, unknown> | undefined;
  /** The corrected valid time. */
  occurredAt?: OccurredAt | undefined;
  reason: string;
}

export class CorrectEventCommand extends Command<AppendResponse> {
  constructor(
    readonly targetEventId: string,
    /** The EventCorrected event's own id. */
    readonly eventId: string,
    readonly correction: Correction,
    readonly metadata: Metadata | undefined,
  ) {
    super();
  }
}
