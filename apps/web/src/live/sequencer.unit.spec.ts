import type { EventEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { Sequencer } from './sequencer.ts';
import { LogBuilder } from '../testing/events.ts';

function harness(log: EventEnvelope[], start = 0, options: { failFirstFetches?: number } = {}) {
  const applied: number[] = [];
  const fetches: Array<[number, number]> = [];
  let failures = options.failFirstFetches ?? 0;
  const sequencer = new Sequencer(start, {
    fetchRange: async (after, limit) => {
      fetches.push([after, limit]);
      if (failures > 0) {
        failures -= 1;
        throw new Error('network down');
      }
      return log.slice(after, after + limit);
    },
    apply: (e) => applied.push(e.position),
    sleep: async () => undefined,
    heartbeatGraceMs: 0,
  });
  return { sequencer, applied, fetches };
}

describe('Sequencer', () => {
  const given = new LogBuilder();
  for (let i = 0; i < 10; i++) given.fact(`fact ${i}`);
  const log = given.events;
  const at = (position: number) => log[position - 1]!;

  it('applies events that arrive in order, and drops duplicates', async () => {
    const { sequencer, applied, fetches } = harness(log);
    for (const p of [1, 2, 2, 3, 1]) sequencer.push(at(p));
    await sequencer.idle();
    expect(applied).toEqual([1, 2, 3]);
    expect(fetches).toEqual([]);
    expect(sequencer.position).toBe(3);
  });

  it('on a gap, reads the missing range from the log before applying what came after it', async () => {
    const { sequencer, applied, fetches } = harness(log, 2);
    sequencer.push(at(6));
    sequencer.push(at(7));
    await sequencer.idle();
    expect(fetches[0]).toEqual([2, 3]);
    expect(applied).toEqual([3, 4, 5, 6, 7]);
  });

  it('never skips: a failed read is retried until the hole is filled', async () => {
    const { sequencer, applied, fetches } = harness(log, 0, { failFirstFetches: 2 });
    sequencer.push(at(3));
    await sequencer.idle();
    expect(fetches.length).toBe(3);
    expect(applied).toEqual([1, 2, 3]);
  });

  it('when a heartbeat shows a head the stream has not delivered, reads up to it', async () => {
    const { sequencer, applied } = harness(log, 8);
    sequencer.noteHead(10);
    await sequencer.idle();
    expect(applied).toEqual([9, 10]);
  });

  it('ignores a heartbeat that is not ahead', async () => {
    const { sequencer, fetches } = harness(log, 10);
    sequencer.noteHead(10);
    await sequencer.idle();
    expect(fetches).toEqual([]);
  });

  it('events arriving while a gap is being filled wait their turn', async () => {
    const { sequencer, applied } = harness(log, 0);
    sequencer.push(at(4));
    sequencer.push(at(6));
    sequencer.push(at(5));
    await sequencer.idle();
    expect(applied).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
