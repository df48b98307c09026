import {
  lineageTargetOf,
  ndjsonLine,
  type ReplaySelection,
  type ReplaySubject,
  readOwnStoredEnvelope,
  selectReplayEvents,
  subjectOf,
  type TimelineItem,
} from '@timeline/shared-types';
import type { EventStore } from '../event-store/event-store.port.js';
import { replayHorizon, replayPages } from '../event-store/replay-pages.js';
import { FoldGate } from '../infrastructure/fold-gate.js';
import { foldTimeline } from '../read-model/timeline-as-of.js';

export interface OpenReplay {
  /** The last log position the replay can contain: pass it as `until` to get the same bytes again. */
  horizon: number;
  /** NDJSON lines (canonical JSON, one value each), produced as the consumer reads them. */
  lines: AsyncIterable<string>;
}

/** Lines are sent in chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Replays over the store. The selection's rules live in shared-types (`replay.ts`); the store feeds
 * them the log page by page (replay-pages.ts), so the whole log is never in memory.
 */
export class ReplayService {
  /** `gate`: the process's fold gate, shared with `asOf` reads (a timeline replay folds the log). */
  constructor(
    private readonly store: EventStore,
    private readonly pageSize = 1000,
    private readonly gate: FoldGate = new FoldGate(2),
  ) {}

  /** Pins the horizon now, then streams the selection as NDJSON lines. */
  async open(selection: ReplaySelection): Promise<OpenReplay> {
    const horizon = await replayHorizon(this.store, selection);
    const pinned: ReplaySelection = { ...selection, until: horizon };
    const lines = selection.mode === 'events' ? this.eventLines(pinned) : this.timelineLines(pinned);
    return { horizon, lines };
  }

  /** The timeline as the selection's horizon knew it, filtered, in timeline order. */
  timeline(selection: ReplaySelection): Promise<{ items: TimelineItem[]; position: number }> {
    return this.gate.run(() => foldTimeline(this.store, selection, this.pageSize));
  }

  private eventLines(selection: ReplaySelection): AsyncGenerator<string> {
    const pages = replayPages(this.store, selection, { windowed: true, pageSize: this.pageSize });
    const resolve = (ids: readonly string[]) => this.subjects(ids, selection.until ?? 0);
    return chunked(selectReplayEvents(pages, selection, resolve));
  }

  private async *timelineLines(selection: ReplaySelection): AsyncGenerator<string> {
    const { items } = await this.timeline(selection);
    yield* chunked(items);
  }

  /** The recorded facts (within the horizon) that corrections and retractions are about. */
  private async subjects(ids: readonly string[], horizon: number): Promise<Map<string, ReplaySubject>> {
    const subjects = new Map<string, ReplaySubject>();
    for (const raw of await this.store.readEventsById(ids, horizon)) {
      const event = readOwnStoredEnvelope(raw);
      const subject = lineageTargetOf(event) === undefined ? subjectOf(event) : undefined;
      if (subject) subjects.set(subject.eventId, subject);
    }
    return subjects;
  }
}

/** NDJSON lines of the values, batched so a large replay is not one write per line. */
async function* chunked(values: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<string> {
  let batch = '';
  for await (const value of values) {
    batch += ndjsonLine(value);
    if (batch.length >= CHUNK_CHARS) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}
