import type { EventEnvelope, OccurredAt } from '@timeline/shared-types';

/**
 * Builds a log the way the store would: gapless positions, per-stream versions and increasing
 * recordedAt. Tests describe their fixtures as events, never as timeline items.
 */
export class LogBuilder {
  readonly events: EventEnvelope[] = [];
  private readonly versions = new Map<string, number>();
  private clock = Date.parse('2024-07-25T09:00:00Z');
  private ids = 0;

  fact(
    title: string,
    options: {
      type?: string;
      streamId?: string;
      occurredAt?: OccurredAt;
      actors?: string[];
      pillars?: string[];
      data?: Record<string, unknown>;
      quote?: string;
    } = {},
  ): EventEnvelope {
    const type = options.type ?? 'StatementIssued';
    const data: Record<string, unknown> =
      type === 'StatementIssued' ? { speaker: options.actors?.[0] ?? 'Someone', channel: 'remarks' } : {};
    return this.push(
      type,
      options.streamId ?? 'stream-a',
      options.occurredAt ?? { start: '2024-07-24', precision: 'day' },
      {
        title,
        actors: options.actors ?? [],
        pillars: options.pillars ?? [],
        ...data,
        ...options.data,
      },
      options.quote,
    );
  }

  correct(
    target: EventEnvelope,
    patch: Record<string, unknown>,
    reason: string,
    occurredAt?: OccurredAt,
  ): EventEnvelope {
    const data: Record<string, unknown> = { correctedEventId: target.eventId, patch, reason };
    if (occurredAt) data.occurredAt = occurredAt;
    return this.push('EventCorrected', target.streamId, target.occurredAt, data);
  }

  retract(target: EventEnvelope, reason: string): EventEnvelope {
    return this.push('EventRetracted', target.streamId, target.occurredAt, {
      retractedEventId: target.eventId,
      reason,
    });
  }

  /** Moves knowledge time on, e.g. to separate what was known "as of" two moments. */
  wait(ms: number): this {
    this.clock += ms;
    return this;
  }

  recordedAt(position: number): string {
    const event = this.events[position - 1];
    if (!event) throw new Error(`no event at ${position}`);
    return event.recordedAt;
  }

  private push(
    type: string,
    streamId: string,
    occurredAt: OccurredAt,
    data: Record<string, unknown>,
    quote?: string,
  ): EventEnvelope {
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.ids += 1;
    this.clock += 1000;
    const envelope: EventEnvelope = {
      eventId: `00000000-0000-4000-8000-${String(this.ids).padStart(12, '0')}`,
      streamId,
      streamVersion: version,
      position: this.events.length + 1,
      type,
      schemaVersion: 1,
      occurredAt,
      recordedAt: new Date(this.clock).toISOString(),
      data,
      metadata: { sources: quote ? [{ publisher: 'Test', title: 'Test source', quote }] : [] },
    };
    this.events.push(envelope);
    return envelope;
  }
}
