import { describe, expect, it } from 'vitest';
import { bucketGroupId, bucketSpanOf, bucketSpecs } from './bucket-items.ts';

const row = (group: string, start: string, end: string, count: number) => ({
  start,
  end,
  group,
  count,
  byPillar: { ai: count },
  byType: {},
});

describe('density bars', () => {
  it('one bar per non-empty bucket per group, shaded against the fullest', () => {
    const bars = bucketSpecs(
      [
        row('ai', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 100),
        row('ai', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z', 10),
        row('ai', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z', 0),
      ],
      'pillar',
    );
    expect(bars).toHaveLength(2);
    expect(bars[0]?.group).toBe('pillar:ai');
    expect(bars[0]?.className).toContain('density-5');
    expect(bars[1]?.className).toContain('density-1');
    expect(bars[0]?.className).toContain('pillar-ai');
  });

  it('a bar id gives back the span to zoom into; an item id gives nothing', () => {
    const [bar] = bucketSpecs(
      [row('pillar:ai', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', 3)],
      'pillar',
    );
    expect(bucketSpanOf(bar?.id)).toEqual({
      start: Date.parse('2024-01-01T00:00:00Z'),
      end: Date.parse('2024-01-02T00:00:00Z'),
    });
    expect(bucketSpanOf('evt-1::pillar:ai')).toBeUndefined();
  });

  it('names groups as the app does', () => {
    expect(bucketGroupId('ai', 'pillar')).toBe('pillar:ai');
    expect(bucketGroupId('actor:UK', 'actor')).toBe('actor:UK');
    expect(bucketGroupId('other', 'actor')).toBe('other');
  });
});
