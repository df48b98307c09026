/**
 * Restores total order from events that arrive out of order (Kafka partitions interleave freely).
 * Positions are gapless, so the next one to emit is always `next`; anything further waits here.
 */
export class ReorderBuffer<T extends { position: number }> {
  private readonly pending = new Map<number, T>();
  private lowestPending = Number.POSITIVE_INFINITY;

  constructor(private nextPosition: number) {}

  get next(): number {
    return this.nextPosition;
  }

  get size(): number {
    return this.pending.size;
  }

  /** The positions known to exist (something later arrived) but not received: fetch them elsewhere. */
  get missing(): { from: number; to: number } | undefined {
    if (this.pending.size === 0) return undefined;
    return { from: this.nextPosition, to: this.lowestPending - 1 };
  }

  /** Adds one event; returns every event now ready, in order. Duplicates and old positions are dropped. */
  push(event: T): T[] {
    if (event.position < this.nextPosition || this.pending.has(event.position)) return [];
    this.pending.set(event.position, event);
    if (event.position < this.lowestPending) this.lowestPending = event.position;
    return this.drain();
  }

  private drain(): T[] {
    const ready: T[] = [];
    for (let e = this.pending.get(this.nextPosition); e; e = this.pending.get(this.nextPosition)) {
      this.pending.delete(this.nextPosition);
      ready.push(e);
      this.nextPosition += 1;
    }
    if (ready.length > 0) {
      this.lowestPending = Number.POSITIVE_INFINITY;
      for (const p of this.pending.keys()) if (p < this.lowestPending) this.lowestPending = p;
    }
    return ready;
  }
}
