import { PositionOrder, type PositionRange } from '@timeline/shared-types';

/**
 * The live feed's view of the shared position order: pushes return what became ready, and the hole
 * is read by the feed's own gap policy (a timer that reads it from the store), so nothing here waits.
 */
export class ReorderBuffer<T extends { position: number }> {
  private ready: T[] = [];
  private readonly order: PositionOrder<T>;

  constructor(nextPosition: number) {
    this.order = new PositionOrder<T>((event) => this.ready.push(event), { after: nextPosition - 1 });
  }

  get next(): number {
    return this.order.position + 1;
  }

  get size(): number {
    return this.order.buffered;
  }

  /** The positions known to exist (something later arrived) but not received: fetch them elsewhere. */
  get missing(): PositionRange | undefined {
    return this.order.hole;
  }

  /** Adds one event; returns every event now ready, in order. Duplicates and old positions are dropped. */
  push(event: T): T[] {
    this.order.push(event);
    const ready = this.ready;
    this.ready = [];
    return ready;
  }
}
