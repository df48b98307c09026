/**
 * How many SSE connections are open, per client address and in all. Each one holds a socket, a
 * timer and a store reader while it catches up, so both are capped: one address cannot take the
 * server's share, and all of them together cannot exhaust it.
 */
export class SseAdmission {
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { perAddress: number; total: number }) {}

  get open(): number {
    return this.total;
  }

  /** Takes a place for `address`; returns how to give it back, or undefined when a cap is reached. */
  enter(address: string): (() => void) | undefined {
    const mine = this.perAddress.get(address) ?? 0;
    if (mine >= this.limits.perAddress || this.total >= this.limits.total) return undefined;
    this.perAddress.set(address, mine + 1);
    this.total += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.total -= 1;
      const now = (this.perAddress.get(address) ?? 1) - 1;
      if (now <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, now);
    };
  }
}

/** Open streaming responses that must be ended when the server stops (main.ts ends them on SIGTERM). */
export class OpenStreams {
  private readonly closers = new Set<(reason: string) => void>();

  add(close: (reason: string) => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get size(): number {
    return this.closers.size;
  }

  closeAll(reason: string): void {
    for (const close of [...this.closers]) close(reason);
  }
}
