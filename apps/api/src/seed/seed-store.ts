import type { CommandBus } from '@nestjs/cqrs';
import { MetadataSchema } from '@timeline/shared-types';
import { EventIdConflictError, WrongExpectedVersionError } from '../event-store/event-store.port.js';
import { AppendEventsCommand } from '../events/append-events/append-events.command.js';
import type { EventToRecord } from '../events/append-events/decide.js';

export type SeedOutcome = 'appended' | 'already-present' | 'conflict';

export interface SeedProgress {
  index: number;
  total: number;
  streamId: string;
  events: number;
  outcome: SeedOutcome;
  /** First and last position written, when appended. */
  positions?: [number, number];
  /** Why a stream could not be seeded. */
  reason?: string;
}

export interface SeedSummary {
  streams: number;
  appended: number;
  alreadyPresent: number;
  conflicts: number;
}

/**
 * Appends the seed dataset stream by stream through the AppendEvents command, each stream expected
 * not to exist yet. Event ids are fixed, so a stream seeded before comes back as an idempotent
 * duplicate and nothing is written twice. A stream that holds other events is reported, not touched.
 */
export async function seedStore(
  commandBus: CommandBus,
  onProgress: (progress: SeedProgress) => void = () => {},
): Promise<SeedSummary> {
  // Loaded only when seeding, so the server starts without paying for the dataset.
  const { seedEventsByStream } = await import('@timeline/shared-types/seed');
  const streams = [...seedEventsByStream()];
  const summary: SeedSummary = { streams: streams.length, appended: 0, alreadyPresent: 0, conflicts: 0 };

  for (const [i, [streamId, seedEvents]] of streams.entries()) {
    const events: EventToRecord[] = seedEvents.map((event) => ({
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      occurredAt: event.occurredAt,
      data: event.data as Record<string, unknown>,
      metadata: MetadataSchema.parse(event.metadata),
    }));
    const base = { index: i + 1, total: streams.length, streamId, events: events.length };
    try {
      const result = await commandBus.execute(
        new AppendEventsCommand({ streamId, expectedVersion: 'no_stream', events }),
      );
      const first = result.events[0]?.position ?? 0;
      const last = result.events.at(-1)?.position ?? 0;
      if (result.duplicate) {
        summary.alreadyPresent += 1;
        onProgress({ ...base, outcome: 'already-present', positions: [first, last] });
      } else {
        summary.appended += 1;
        onProgress({ ...base, outcome: 'appended', positions: [first, last] });
      }
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError)) throw error;
      summary.conflicts += 1;
      onProgress({ ...base, outcome: 'conflict', reason: error.message });
    }
  }
  return summary;
}

export function describeProgress(p: SeedProgress): string {
  const where = `[${p.index}/${p.total}] ${p.streamId}`;
  const events = p.events === 1 ? '1 event' : `${p.events} events`;
  switch (p.outcome) {
    case 'appended':
      return `${where}: ${events} appended (positions ${p.positions?.[0]}-${p.positions?.[1]})`;
    case 'already-present':
      return `${where}: ${events} already present, nothing written`;
    case 'conflict':
      return `${where}: not seeded, the stream holds other events (${p.reason})`;
  }
}
