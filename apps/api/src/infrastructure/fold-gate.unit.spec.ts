import { describe, expect, it } from 'vitest';
import { FoldGate, FoldsBusyException } from './fold-gate.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('FoldGate', () => {
  it('runs at most maxConcurrent folds, queues a few, and refuses the rest with 503 + Retry-After', async () => {
    const gate = new FoldGate(2, 1, 10_000);
    const blockers = [deferred(), deferred()];
    let active = 0;
    let peak = 0;
    const fold = (d: { promise: Promise<void> }) => async () => {
      peak = Math.max(peak, ++active);
      await d.promise;
      active--;
      return 'folded';
    };
    const running = blockers.map((d) => gate.run(fold(d)));
    const queued = gate.run(async () => 'queued');
    const refused = gate.run(async () => 'refused');
    await expect(refused).rejects.toBeInstanceOf(FoldsBusyException);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 1 });
    expect(((await refused.catch((e: unknown) => e)) as FoldsBusyException).getStatus()).toBe(503);
    for (const d of blockers) d.resolve();
    expect(await Promise.all([...running, queued])).toEqual(['folded', 'folded', 'queued']);
    expect(peak).toBe(2);
  });

  it('gives up on a waiter after maxWaitMs, and frees its slot when a fold fails', async () => {
    const gate = new FoldGate(1, 5, 20);
    const blocker = deferred();
    const first = gate.run(() => blocker.promise);
    await expect(gate.run(async () => 'late')).rejects.toBeInstanceOf(FoldsBusyException);
    blocker.resolve();
    await first;
    await expect(gate.run(() => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await gate.run(async () => 'after')).toBe('after');
  });
});
