import type { DomainEventEnvelope } from '@timeline/shared-types';

/**
 * Puts events read from several partitions back in log order. Positions are gapless from 1, so the
 * next event to emit is always known: anything ahead of it waits in a buffer, anything at or below
 * the last emitted position (a redelivery, a relay retry) is a duplicate and is dropped.
 *
 * The buffer is a ring indexed by position: every event of a replay passes through it, and a slot
 * write costs far less than a Map insert and delete (hashing, rehashing as it grows and shrinks).
 * What waits is a window of positions just past the next one, so the ring stays small; it grows
 * (doubling) only when an event arrives further ahead than it can hold.
 */
export class OrderRestorer {
  private slots: Array<DomainEventEnvelope | undefined> = new Array(1024).fill(undefined);
  private mask = 1023;
  private nextPosition: number;
  private waiting = 0;
  /** The highest position buffered (meaningful only while something waits). */
  private highest = 0;
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
    return this.waiting;
  }

  push(event: DomainEventEnvelope): void {
    const position = event.position;
    const ahead = position - this.nextPosition;
    if (ahead < 0) {
      this.duplicates += 1;
      return;
    }
    if (ahead === 0 && this.waiting === 0) {
      // In order with nothing waiting (one partition, or the partitions taking turns): no buffering.
      this.nextPosition += 1;
      this.emit(event);
      return;
    }
    if (ahead > this.mask) this.grow(ahead);
    const slot = position & this.mask;
    if (this.slots[slot] !== undefined) {
      this.duplicates += 1;
      return;
    }
    this.slots[slot] = event;
    this.waiting += 1;
    if (position > this.highest) this.highest = position;
    for (let at = this.nextPosition & this.mask, next = this.slots[at]; next; next = this.slots[at]) {
      this.slots[at] = undefined;
      this.waiting -= 1;
      this.nextPosition += 1;
      at = this.nextPosition & this.mask;
      this.emit(next);
    }
  }

  /** The positions that never arrived between the last emitted one and the highest buffered one. */
  missing(limit = 10): number[] {
    if (this.waiting === 0) return [];
    const missing: number[] = [];
    for (let p = this.nextPosition; p < this.highest && missing.length < limit; p++)
      if (this.slots[p & this.mask] === undefined) missing.push(p);
    return missing;
  }

  /** Doubles the ring until `ahead` fits, keeping each waiting event at its position's new slot. */
  private grow(ahead: number): void {
    let size = this.slots.length;
    while (ahead >= size) size *= 2;
    const slots: Array<DomainEventEnvelope | undefined> = new Array(size).fill(undefined);
    for (const event of this.slots) if (event) slots[event.position & (size - 1)] = event;
    this.slots = slots;
    this.mask = size - 1;
  }
}
