import type { DomainEventEnvelope } from '@timeline/shared-types';

/**
 * Puts events read from several partitions back in log order. Positions are gapless from 1, so the
 * next event to emit is always known: anything ahead of it waits in a buffer, anything at or below
 * the last emitted position (a redelivery, a relay retry) is a duplicate and is dropped.
 */
export class OrderRestorer {
  private readonly waiting = new Map<number, DomainEventEnvelope>();
  private nextPosition: number;
  duplicates = 0;

  constructor(
    private readonly emit: (event: DomainEventEnvelope) => void,
    firstPosition = 1,
  ) {
    this.nextPosition = firstPosition;
  }

  /** The last position emitted. */
  get position(): number {
    return this.nextPosition - 1;
  }

  /** Events held back, waiting for a position before them. */
  get buffered(): number {
    return this.waiting.size;
  }

  push(event: DomainEventEnvelope): void {
    if (event.position < this.nextPosition || this.waiting.has(event.position)) {
      this.duplicates += 1;
      return;
    }
    this.waiting.set(event.position, event);
    for (let next = this.waiting.get(this.nextPosition); next; next = this.waiting.get(this.nextPosition)) {
      this.waiting.delete(this.nextPosition);
      this.nextPosition += 1;
      this.emit(next);
    }
  }

  /** The positions that never arrived between the last emitted one and the highest buffered one. */
  missing(limit = 10): number[] {
    if (this.waiting.size === 0) return [];
    const highest = Math.max(...this.waiting.keys());
    const missing: number[] = [];
    for (let p = this.nextPosition; p < highest && missing.length < limit; p++)
      if (!this.waiting.has(p)) missing.push(p);
    return missing;
  }
}
