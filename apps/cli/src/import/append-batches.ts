import type { Schema } from '@timeline/api-client';
import { MAX_EVENTS_PER_APPEND } from '@timeline/shared-types';
import type { ApiClient } from '../api-client.js';
import { CliError, EXIT } from '../errors.js';
import type { ImportEvent } from './validate-events.js';

/** Well under the server's default 1 MB body limit. */
const MAX_BATCH_BYTES = 512 * 1024;

export interface AppendSummary {
  events: number;
  appended: number;
  alreadyStored: number;
  streams: number;
}

/**
 * Cuts each stream's events (in file order) into batches of at most 1,000 events and 512 KB: the
 * same file always gives the same batches, so a second run repeats the same appends and the store
 * answers each with its first result (`duplicate`). `as-listed` keeps the order across streams too
 * (a batch ends where the stream changes): a timeline export is re-recorded in its log order.
 */
export function planBatches(
  events: readonly ImportEvent[],
  order: BatchOrder = 'by-stream',
): Array<{ streamId: string; events: ImportEvent[] }> {
  const batches: Array<{ streamId: string; events: ImportEvent[] }> = [];
  for (const [streamId, list] of order === 'by-stream' ? byStream(events) : runs(events)) {
    let current: ImportEvent[] = [];
    let bytes = 0;
    for (const event of list) {
      const size = Buffer.byteLength(JSON.stringify(event.event));
      if (current.length > 0 && (current.length >= MAX_EVENTS_PER_APPEND || bytes + size > MAX_BATCH_BYTES)) {
        batches.push({ streamId, events: current });
        current = [];
        bytes = 0;
      }
      current.push(event);
      bytes += size;
    }
    if (current.length > 0) batches.push({ streamId, events: current });
  }
  return batches;
}

export type BatchOrder = 'by-stream' | 'as-listed';

function byStream(events: readonly ImportEvent[]): Map<string, ImportEvent[]> {
  const groups = new Map<string, ImportEvent[]>();
  for (const event of events) {
    const list = groups.get(event.streamId) ?? [];
    if (list.length === 0) groups.set(event.streamId, list);
    list.push(event);
  }
  return groups;
}

/** Consecutive events of one stream. */
function runs(events: readonly ImportEvent[]): Array<[string, ImportEvent[]]> {
  const groups: Array<[string, ImportEvent[]]> = [];
  for (const event of events) {
    const last = groups.at(-1);
    if (last && last[0] === event.streamId) last[1].push(event);
    else groups.push([event.streamId, [event]]);
  }
  return groups;
}

/**
 * Appends with `expectedVersion: any`, relying on idempotency. A batch the store refuses because
 * some of its ids are stored and some are not (the file grew since the last run) is retried event by
 * event: stored ones come back as duplicates, new ones are appended.
 */
export async function appendBatches(
  api: ApiClient,
  events: readonly ImportEvent[],
  onProgress: (done: number) => void = () => undefined,
  order: BatchOrder = 'by-stream',
): Promise<AppendSummary> {
  const summary: AppendSummary = { events: events.length, appended: 0, alreadyStored: 0, streams: 0 };
  const streams = new Set<string>();
  let done = 0;
  const post = async (streamId: string, batch: readonly ImportEvent[]) => {
    const response = await api.appendEvents(streamId, {
      expectedVersion: 'any',
      events: batch.map((e) => e.event) as Schema<'AppendRequest'>['events'],
    });
    if (response.duplicate) summary.alreadyStored += batch.length;
    else summary.appended += batch.length;
  };
  for (const batch of planBatches(events, order)) {
    streams.add(batch.streamId);
    try {
      await post(batch.streamId, batch.events);
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== EXIT.conflict || batch.events.length === 1) {
        throw withLine(error, batch.events.length === 1 ? batch.events[0] : undefined);
      }
      for (const event of batch.events) {
        try {
          await post(batch.streamId, [event]);
        } catch (single) {
          throw withLine(single, event);
        }
      }
    }
    done += batch.events.length;
    onProgress(done);
  }
  summary.streams = streams.size;
  return summary;
}

function withLine(error: unknown, event: ImportEvent | undefined): unknown {
  if (!(error instanceof CliError) || !event) return error;
  return new CliError(
    error.exitCode,
    `line ${event.line} (event ${event.event.eventId}): ${error.message}`,
    error.details,
  );
}
