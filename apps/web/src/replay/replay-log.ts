import {
  applyToTimeline,
  type DomainEventEnvelope,
  type EventEnvelope,
  type TimelineItem,
  upcastEnvelope,
} from '@timeline/shared-types';

interface Entry {
  position: number;
  recordedAt: string;
  /** Absent when the browser could not read the event (unknown type, invalid data): it is skipped. */
  event?: DomainEventEnvelope;
  error?: string;
}

/** Every this many positions the fold is kept, so scrubbing back costs at most this many applies. */
const SNAPSHOT_EVERY = 256;

/**
 * The log in the browser, for replay: the events in position order and the timeline folded to any
 * position with the same `applyToTimeline` the server's projector uses. Moving forward applies only
 * the new events; moving back restarts from the nearest snapshot.
 */
export class ReplayLog {
  private readonly entries: Entry[] = [];
  private readonly snapshots = new Map<number, Map<string, TimelineItem>>();
  private cursor = { position: 0, index: 0, items: new Map<string, TimelineItem>() };
  private first = 1;

  /** The last position the log holds (0 when empty). */
  get head(): number {
    const last = this.entries.at(-1);
    return last ? last.position : this.first - 1;
  }

  get size(): number {
    return this.entries.length;
  }

  get unreadable(): ReadonlyArray<{ position: number; error: string }> {
    return this.entries
      .filter((e) => e.error !== undefined)
      .map((e) => ({ position: e.position, error: e.error ?? '' }));
  }

  /**
   * Appends the next event. Positions are gapless, so anything but head + 1 is a caller's bug, except a
   * position at or below the head, which is a duplicate delivery and is ignored.
   */
  append(envelope: EventEnvelope): 'appended' | 'duplicate' {
    if (this.entries.length === 0 && this.head === 0) this.first = envelope.position;
    if (envelope.position <= this.head) return 'duplicate';
    if (envelope.position !== this.head + 1) {
      throw new Error(`replay log expects position ${this.head + 1}, got ${envelope.position}`);
    }
    const entry: Entry = { position: envelope.position, recordedAt: envelope.recordedAt };
    try {
      entry.event = upcastEnvelope(envelope);
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
    }
    this.entries.push(entry);
    return 'appended';
  }

  /** The timeline as it stood once `position` had been applied (a fresh Map each call). */
  stateAt(position: number): Map<string, TimelineItem> {
    const target = Math.max(0, Math.min(position, this.head));
    if (target < this.cursor.position) this.rewindTo(target);
    const { items } = this.cursor;
    let index = this.cursor.index;
    for (; index < this.entries.length; index++) {
      const entry = this.entries[index]!;
      if (entry.position > target) break;
      if (entry.event) applyToTimeline(items, entry.event);
      if (entry.position % SNAPSHOT_EVERY === 0 && !this.snapshots.has(entry.position)) {
        this.snapshots.set(entry.position, new Map(items));
      }
    }
    this.cursor.index = index;
    this.cursor.position = target;
    return new Map(items);
  }

  /**
   * The position reached by folding "as of" a knowledge time: the fold stops at the first event
   * recorded after it, exactly as `foldTimeline(events, { asOf })` does.
   */
  positionForAsOf(asOf: string): number {
    const asOfMs = Date.parse(asOf);
    if (Number.isNaN(asOfMs)) return this.head;
    let position = this.first - 1;
    for (const entry of this.entries) {
      if (Date.parse(entry.recordedAt) > asOfMs) break;
      position = entry.position;
    }
    return position;
  }

  recordedAtOf(position: number): string | undefined {
    return this.entryAt(position)?.recordedAt;
  }

  eventAt(position: number): DomainEventEnvelope | undefined {
    return this.entryAt(position)?.event;
  }

  private entryAt(position: number): Entry | undefined {
    const index = position - this.first;
    const entry = this.entries[index];
    return entry && entry.position === position ? entry : undefined;
  }

  private rewindTo(target: number): void {
    let best = 0;
    for (const at of this.snapshots.keys()) if (at <= target && at > best) best = at;
    const snapshot = best > 0 ? this.snapshots.get(best) : undefined;
    const index = snapshot ? this.entries.findIndex((e) => e.position > best) : 0;
    this.cursor = {
      position: snapshot ? best : 0,
      index: index === -1 ? this.entries.length : index,
      items: snapshot ? new Map(snapshot) : new Map(),
    };
  }
}
