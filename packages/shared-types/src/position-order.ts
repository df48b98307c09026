/** Positions `from..to`, both included. */
export interface PositionRange {
  from: number;
  to: number;
}

export interface PositionOrderOptions {
  /** The last position already delivered (0: start at position 1). */
  after?: number;
  /**
   * The gap policy: told after every push that leaves events waiting, with the first hole. The order
   * itself never fetches anything; the caller decides how a hole is filled (read the store after a
   * timeout, refetch from the API, or nothing, reading to a fixed end and checking `missing()`),
   * and pushes what it finds.
   */
  onHole?: (hole: PositionRange) => void;
}

const INITIAL_SLOTS = 1024;

/**
 * Restores the log's total order from events that arrive in any order (Kafka partitions interleave
 * freely, a browser stream may lose or repeat some). Positions are gapless, so the next one to emit
 * is always known: it goes out at once, with every one after it already waiting; anything further
 * ahead waits; anything at or below the last emitted position (a redelivery, a relay retry) is a
 * duplicate and is dropped.
 *
 * What waits is kept in a ring indexed by position: a replay pushes every event of the log through
 * here, and a slot write costs far less than a Map insert and delete (hashing, rehashing as it grows
 * and shrinks). What waits is a window of positions just past the next one, so the ring stays small;
 * it doubles only when an event arrives further ahead than it can hold.
 */
export class PositionOrder<T extends { position: number }> {
  private slots: Array<T | undefined> = new Array(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;
  private nextPosition: number;
  private waiting = 0;
  /** The highest position waiting (meaningful only while something waits). */
  private highest = 0;
  private readonly onHole: ((hole: PositionRange) => void) | undefined;
  /** Events dropped because their position was already emitted or already waiting. */
  duplicates = 0;

  constructor(
    private readonly emit: (event: T) => void,
    options: PositionOrderOptions = {},
  ) {
    this.nextPosition = (options.after ?? 0) + 1;
    this.onHole = options.onHole;
  }

  /** The last position emitted. */
  get position(): number {
    return this.nextPosition - 1;
  }

  /** Events held back, waiting for a position before them. */
  get buffered(): number {
    return this.waiting;
  }

  /** The first hole: from the next position to just before the lowest one waiting; undefined when none. */
  get hole(): PositionRange | undefined {
    if (this.waiting === 0) return undefined;
    let lowest = this.nextPosition + 1;
    while (this.slots[lowest & this.mask] === undefined) lowest += 1;
    return { from: this.nextPosition, to: lowest - 1 };
  }

  push(event: T): void {
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
    if (this.waiting > 0 && this.onHole) this.onHole(this.hole!);
  }

  /** Up to `limit` positions that never arrived between the last emitted one and the highest waiting. */
  missing(limit = 10): number[] {
    if (this.waiting === 0) return [];
    const missing: number[] = [];
    for (let p = this.nextPosition; p < this.highest && missing.length < limit; p++)
      if (this.slots[p & this.mask] === undefined) missing.push(p);
    return missing;
  }

  /** Drops everything waiting (the reader is shutting down). */
  clear(): void {
    this.slots.fill(undefined);
    this.waiting = 0;
  }

  /** Doubles the ring until `ahead` fits, keeping each waiting event at its position's new slot. */
  private grow(ahead: number): void {
    let size = this.slots.length;
    while (ahead >= size) size *= 2;
    const slots: Array<T | undefined> = new Array(size).fill(undefined);
    for (const event of this.slots) if (event) slots[event.position & (size - 1)] = event;
    this.slots = slots;
    this.mask = size - 1;
  }
}
