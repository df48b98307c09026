import {
  type DomainEventEnvelope,
  ndjsonLine,
  needsSubjects,
  type ReplaySelection,
  type ReplaySubject,
  selectReplayEvents,
  subjectOf,
  TimelineReplay,
  withinHorizon,
} from '@timeline/shared-types';
import { CliError, EXIT } from '../errors.js';
import { OrderRestorer } from './order-restorer.js';

const PAGE = 500;

/**
 * A replay over events arriving in any order (several partitions, redeliveries): restores log order
 * by position, drops duplicates, and applies the shared selection and fold, so its output is the
 * API's byte for byte. It needs the horizon whole from position 1 (a fold, and a correction's fact,
 * can be anywhere before it): a hole is an error, never a silent gap.
 */
export class OrderedReplay {
  private readonly restorer = new OrderRestorer((event) => this.ready.push(event));
  private readonly ready: DomainEventEnvelope[] = [];
  private readonly timeline: TimelineReplay | undefined;
  private readonly subjects = new Map<string, ReplaySubject>();
  private readonly keepSubjects: boolean;
  private page: DomainEventEnvelope[] = [];
  private pastHorizon = false;
  private last = 0;
  lines = 0;

  constructor(
    private readonly selection: ReplaySelection,
    private readonly write: (chunk: string) => Promise<void>,
  ) {
    this.timeline = selection.mode === 'timeline' ? new TimelineReplay(selection) : undefined;
    this.keepSubjects = needsSubjects(selection);
  }

  /** The last position inside the horizon seen in order. */
  get horizon(): number {
    return this.last;
  }

  get duplicates(): number {
    return this.restorer.duplicates;
  }

  /** Whether everything the selection can need has been seen (reading can stop). */
  get complete(): boolean {
    return (
      this.pastHorizon ||
      (this.selection.until !== undefined && this.restorer.position >= this.selection.until)
    );
  }

  async push(event: DomainEventEnvelope): Promise<void> {
    this.restorer.push(event);
    while (this.ready.length > 0) {
      const next = this.ready.shift()!;
      // Knowledge time grows with position: the first event past the horizon ends it.
      if (this.pastHorizon || !withinHorizon(next, this.selection)) {
        this.pastHorizon = true;
        continue;
      }
      this.last = next.position;
      if (this.timeline) {
        this.timeline.apply(next);
        continue;
      }
      if (this.keepSubjects) {
        const subject = subjectOf(next);
        if (subject) this.subjects.set(subject.eventId, subject);
      }
      if (next.position > this.selection.after) this.page.push(next);
      if (this.page.length >= PAGE) await this.flush();
    }
  }

  /** Checks the horizon was whole, then writes what is left (the timeline, or the last page). */
  async finish(source: string): Promise<void> {
    const missing = this.restorer.missing();
    const wanted = this.selection.until;
    const short = wanted !== undefined && this.restorer.position < wanted;
    if (!this.complete && (missing.length > 0 || short)) {
      const problems = [
        missing.length > 0
          ? `positions ${missing.join(', ')}${missing.length === 10 ? ', …' : ''} are missing`
          : '',
        short ? `it holds the log only up to position ${this.restorer.position}` : '',
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

  private async flush(): Promise<void> {
    if (this.page.length === 0) return;
    const page = this.page;
    this.page = [];
    const subjects = this.subjects;
    const resolve = async (ids: readonly string[]) =>
      new Map(ids.flatMap((id) => (subjects.has(id) ? [[id, subjects.get(id)!] as const] : [])));
    let chunk = '';
    for await (const event of selectReplayEvents([page], this.selection, resolve)) {
      chunk += ndjsonLine(event);
      this.lines += 1;
    }
    if (chunk) await this.write(chunk);
  }
}
