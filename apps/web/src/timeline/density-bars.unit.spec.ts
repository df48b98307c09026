import { describe, expect, it } from 'vitest';
import {
  BAR_INSET_PX,
  BAR_MAX_HEIGHT_PX,
  type BarSpec,
  barAt,
  barRects,
  barSpecs,
  bucketGroupId,
} from './density-bars.ts';

const row = (group: string, start: string, end: string, count: number) => ({
  start,
  end,
  group,
  count,
  byPillar: { ai: count },
  byType: {},
});

const DAY = 86_400_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');
const bar = (group: string, day: number, days = 1): BarSpec => ({
  group,
  start: T0 + day * DAY,
  end: T0 + (day + days) * DAY,
  count: 1,
  shade: 1,
  pillarClass: 'pillar-ai',
  label: '1',
  title: '1 event: click to zoom in',
});

describe('density bars', () => {
  it('one bar per non-empty bucket per group, shaded against the fullest', () => {
    const bars = barSpecs(
      [
        row('ai', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 100),
        row('ai', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z', 10),
        row('ai', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z', 0),
      ],
      'pillar',
    );
    expect(bars).toHaveLength(2);
    expect(bars[0]).toMatchObject({
      group: 'pillar:ai',
      shade: 5,
      pillarClass: 'pillar-ai',
      start: Date.parse('2024-01-01T00:00:00Z'),
      end: Date.parse('2024-02-01T00:00:00Z'),
      label: '100',
      title: '100 events: click to zoom in',
    });
    expect(bars[1]?.shade).toBe(1);
  });

  it('a bar of an actor row takes the colour of its bucket’s main pillar', () => {
    const [bar] = barSpecs(
      [
        {
          ...row('actor:UK', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', 5),
          byPillar: { ai: 1, quantum: 4 },
        },
      ],
      'actor',
    );
    expect(bar?.pillarClass).toBe('pillar-quantum');
    expect(bar?.title).toBe('5 events: click to zoom in');
  });

  it('names groups as the app does', () => {
    expect(bucketGroupId('ai', 'pillar')).toBe('pillar:ai');
    expect(bucketGroupId('actor:UK', 'actor')).toBe('actor:UK');
    expect(bucketGroupId('other', 'actor')).toBe('other');
  });
});

describe('where bars are drawn', () => {
  // 10 px a day from T0; rows 30 px high, the second scrolled 5 px up.
  const toX = (ms: number) => ((ms - T0) / DAY) * 10;
  const rows: Record<string, { top: number; height: number }> = {
    'pillar:ai': { top: 0, height: 30 },
    'pillar:quantum': { top: 25, height: 60 },
  };
  const rowOf = (group: string) => rows[group];

  it('x from the time conversion, y inside the row, a pixel between neighbours', () => {
    const [a, b] = barRects([bar('pillar:ai', 2), bar('pillar:ai', 3)], toX, rowOf, 500, 300);
    expect(a).toMatchObject({ x: 20, y: BAR_INSET_PX, w: 9, h: 30 - 2 * BAR_INSET_PX });
    expect(b).toMatchObject({ x: 30, w: 9 });
  });

  it('a row grown by items keeps its bars at the usual height, at the top', () => {
    const [rect] = barRects([bar('pillar:quantum', 1)], toX, rowOf, 500, 300);
    expect(rect).toMatchObject({ y: 25 + BAR_INSET_PX, h: BAR_MAX_HEIGHT_PX });
  });

  it('leaves out bars off the panel or without a row, clips the ones across its edges', () => {
    const rects = barRects(
      [
        bar('pillar:ai', -5, 2),
        bar('pillar:ai', -1, 3),
        bar('pillar:ai', 49, 10),
        bar('pillar:ai', 60),
        bar('other', 1),
      ],
      toX,
      rowOf,
      500,
      300,
    );
    expect(rects.map((r) => [r.x, r.x + r.w + 1])).toEqual([
      [-1, 20],
      [490, 501],
    ]);
  });

  it('leaves out rows scrolled out of the panel', () => {
    expect(barRects([bar('pillar:quantum', 1)], toX, rowOf, 500, 20)).toEqual([]);
  });
});

describe('which bar a click hits', () => {
  const bars = [bar('pillar:ai', 0), bar('pillar:ai', 1), bar('pillar:ai', 5), bar('pillar:quantum', 2)];

  it('the bar of the clicked row whose bucket holds the time', () => {
    expect(barAt(bars, T0 + 1.5 * DAY, 'pillar:ai')).toBe(bars[1]);
    // A bucket's end is the next one's start.
    expect(barAt(bars, T0 + DAY, 'pillar:ai', DAY / 10)).toBe(bars[1]);
    expect(barAt(bars, T0 + 2.5 * DAY, 'pillar:quantum')).toBe(bars[3]);
  });

  it('nothing in another row, in a gap, or off any row', () => {
    expect(barAt(bars, T0 + 2.5 * DAY, 'pillar:ai')).toBeUndefined();
    expect(barAt(bars, T0 + 0.5 * DAY, 'pillar:quantum')).toBeUndefined();
    expect(barAt(bars, T0 + 0.5 * DAY, null)).toBeUndefined();
  });

  it('a near miss within the slack hits the nearest bar', () => {
    expect(barAt(bars, T0 + 4.9 * DAY, 'pillar:ai', DAY / 5)).toBe(bars[2]);
    expect(barAt(bars, T0 + 2.1 * DAY, 'pillar:ai', DAY / 5)).toBe(bars[1]);
    expect(barAt(bars, T0 + 3.5 * DAY, 'pillar:ai', DAY / 5)).toBeUndefined();
  });
});
