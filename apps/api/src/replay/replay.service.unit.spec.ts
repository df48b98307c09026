import { normalizeReplaySelection } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../event-store/event-store.port.js';
import { FoldGate, FoldsBusyException } from '../infrastructure/fold-gate.js';
import { ReplayService } from './replay.service.js';

describe('ReplayService, timeline mode', () => {
  it('folds through the process fold gate: with every slot and queue place taken it answers 503 at once, without reading the store', async () => {
    const gate = new FoldGate(1, 0);
    let release: () => void = () => undefined;
    const holding = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    const untouched = new Proxy({} as EventStore, {
      get: (_, key) => {
        throw new Error(`the store was read (${String(key)})`);
      },
    });
    const replay = new ReplayService(untouched, 1000, gate);
    const busy = replay.timeline(normalizeReplaySelection({ mode: 'timeline' }));
    await expect(busy).rejects.toBeInstanceOf(FoldsBusyException);
    release();
    await holding;
  });
});
