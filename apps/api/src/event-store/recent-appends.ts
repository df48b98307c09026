import type { EventEnvelope } from '@timeline/shared-types';

/**
 * The events this process appended lately, whole, by position: what the relay would otherwise read
 * back from the store right after the append committed them. Only committed events enter (the store
 * adds them when `timeline_append` returned), each with its own position, so a run of consecutive
 * positions from here is exactly what the store holds there. Positions this process did not append
 * (another instance did, or they left memory) are absent: the caller then reads the store.
 *
 * Bounded: at most `capacity` events; the oldest go first, and `after` drops what a reader has
 * passed.
 */
export class RecentAppends {
  private readonly events = new Map<number, EventEnvelope>();

  constructor(private readonly capacity = 10_000) {}

  add(event: EventEnvelope): void {
    this.events.set(event.position, event);
    if (this.events.size <= this.capacity) return;
    for (const position of this.events.keys()) {
      this.events.delete(position);
      if (this.events.size <= this.capacity) break;
    }
  }

  /**
   * The run of consecutive positions from `after + 1`, at most `limit` events; [] when `after + 1` is
   * not held. Positions up to `after` are forgotten (the reader has them).
   */
  after(after: number, limit: number): EventEnvelope[] {
    // Entries arrive in (nearly) position order: the oldest ones are the first keys.
    for (const position of this.events.keys()) {
      if (position > after) break;
      this.events.delete(position);
    }
    const run: EventEnvelope[] = [];
    for (let position = after + 1; run.length < limit; position += 1) {
      const event = this.events.get(position);
      if (!event) break;
      run.push(event);
    }
    return run;
  }

  get size(): number {
    return this.events.size;
  }
}
