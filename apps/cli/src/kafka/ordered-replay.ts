import {
  type DomainEventEnvelope,
  lineageTargetOf,
  ndjsonLine,
  needsSubjects,
  PositionOrder,
  type ReplaySelection,
  type ReplaySubject,
  selectsEvent,
  subjectOf,
  TimelineReplay,
  withinHorizon,
} from '@timeline/shared-types';
import { CliError, EXIT } from '../errors.js';

const PAGE = 500;

/** Takes a chunk of output; returns a promise only when the caller must wait (backpressure). */
export type ChunkWriter = (chunk: string) => Promise<void> | undefined | void;

/**
 * A replay over events arriving in any order (several partitions, redeliveries): restores log order
 * by position, drops duplicates, and applies the shared selection and fold, so its output is the
 * API's byte for byte. It needs the horizon whole from position 1 (a fold, and a correction's fact,
 * can be anywhere before it): a hole is an error, never a silent gap. So its gap policy fetches
 * nothing: the topic is read to the end offsets it had at the start, then `finish` reports any hole.
 *
 * Every message of a replay goes through `push`, so it stays synchronous: it returns a promise only
 * when a page was written and the output asked to wait, never one per message.
 */
export class OrderedReplay {
  private readonly order = new PositionOrder<DomainEventEnvelope>((event) => this.take(event));
  private readonly timeline: TimelineReplay | undefined;
  private readonly subjects = new Map<string, ReplaySubject>();
  private readonly keepSubjects: boolean;
  private page: DomainEventEnvelope[] = [];
  private pastHorizon = false;
  private last = 0;
  lines = 0;

  constructor(
    private readonly selection: ReplaySelection,
    private readonly write: ChunkWriter,
  ) {
    this.timeline = selection.mode === 'timeline' ? new TimelineReplay(selection) : undefined;
    this.keepSubjects = needsSubjects(selection);
  }

  /** The last position inside the horizon seen in order. */
  get horizon(): number {
    return this.last;
  }

  get duplicates(): number {
    return this.order.duplicates;
  }

  /** Whether everything the selection can need has been seen (reading can stop). */
  get complete(): boolean {
    return (
      this.pastHorizon || (this.selection.until !== undefined && this.order.position >= this.selection.until)
    );
  }

  push(event: DomainEventEnvelope): Promise<void> | undefined {
    this.order.push(event);
    return this.page.length >= PAGE ? this.flush() : undefined;
  }

  /** The next event in log order. */
  private take(next: DomainEventEnvelope): void {
    // Knowledge time grows with position: the first event past the horizon ends it.
    if (this.pastHorizon || !withinHorizon(next, this.selection)) {
      this.pastHorizon = true;
      return;
    }
    this.last = next.position;
    if (this.timeline) {
      this.timeline.apply(next);
      return;
    }
    if (this.keepSubjects) {
      const subject = subjectOf(next);
      if (subject) this.subjects.set(subject.eventId, subject);
    }
    if (next.position > this.selection.after) this.page.push(next);
  }

  /** Checks the horizon was whole, then writes what is left (the timeline, or the last page). */
  async finish(source: string): Promise<void> {
    const missing = this.order.missing();
    const wanted = this.selection.until;
    const short = wanted !== undefined && this.order.position < wanted;
    if (!this.complete && (missing.length > 0 || short)) {
      const problems = [
        missing.length > 0
          ? `positions ${missing.join(', ')}${missing.length === 10 ? ', …' : ''} are missing`
          : '',
        short ? `it holds the log only up to position ${this.order.position}` : '',
      ].filter(Boolean);
      throw new CliError(
        EXIT.failed,
        `${source} does not hold the whole log up to the horizon: ${problems.join('; ')}`,
        [
          'the relay may not have published the latest events yet, or retention removed old ones:',
          'replay from the store instead (--source api), or pass an --until that it covers',
        ],
      );
    }
    if (!this.timeline) {
      await this.flush();
      return;
    }
    let chunk = '';
    for (const item of this.timeline.result()) {
      chunk += ndjsonLine(item);
      this.lines += 1;
      if (chunk.length >= 64 * 1024) {
        await this.write(chunk);
        chunk = '';
      }
    }
    if (chunk) await this.write(chunk);
  }

  /**
   * Selects and writes a page, as `selectReplayEvents` does over the store's pages, synchronously: a
   * correction's fact is looked up among every fact seen so far, which holds the whole page and all
   * before it (what the store's resolver answers from). Without subject filters `selectsEvent` never
   * reads the subject, so none is built.
   */
  private flush(): Promise<void> | undefined {
    if (this.page.length === 0) return undefined;
    const page = this.page;
    this.page = [];
    let chunk = '';
    for (const event of page) {
      let subject: ReplaySubject | undefined;
      if (this.keepSubjects) {
        const target = lineageTargetOf(event);
        subject = target === undefined ? subjectOf(event) : this.subjects.get(target);
      }
      if (!selectsEvent(event, subject, this.selection)) continue;
      chunk += ndjsonLine(event);
      this.lines += 1;
    }
    if (!chunk) return undefined;
    return this.write(chunk) ?? undefined;
  }
}
