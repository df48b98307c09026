import { foldTimeline, type TimelineItem, upcastEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewState } from '../model/url-state.ts';
import { LogBuilder } from '../testing/events.ts';
import type { Displayed } from './displayed.ts';
import { type RenderOptions, ViewStore } from './view-store.ts';

const given = new LogBuilder();
const late = given.fact('Late', { occurredAt: { start: '2024-09-01', precision: 'day' }, pillars: ['ai'] });
const early = given.fact('Early', {
  occurredAt: { start: '2024-01-01', precision: 'day' },
  pillars: ['telecom'],
});
const ITEMS = foldTimeline(given.events.map(upcastEnvelope));

function harness(displayed: Displayed = { items: ITEMS, position: 2 }) {
  const frames: Array<() => void> = [];
  const draws: Array<{ ids: string[]; options: RenderOptions }> = [];
  const computed: ViewState[] = [];
  const view: ViewState = { ...DEFAULT_VIEW, filter: { ...DEFAULT_VIEW.filter } };
  const store = new ViewStore(view, {
    compute: (v) => {
      computed.push(v);
      return displayed;
    },
    draw: (visible: readonly TimelineItem[], options) =>
      draws.push({ ids: visible.map((i) => i.id), options }),
    requestFrame: (callback) => frames.push(callback),
  });
  const runFrames = () => {
    for (const frame of frames.splice(0)) frame();
  };
  return { store, frames, draws, computed, runFrames };
}

describe('ViewStore', () => {
  it('draws once on the next frame however often a render is queued before it', () => {
    const { store, frames, draws, runFrames } = harness();
    store.recompute();
    for (let i = 0; i < 5; i++) store.queueRender();
    expect(draws).toHaveLength(0);
    expect(frames).toHaveLength(1);
    runFrames();
    expect(draws).toHaveLength(1);
    // After that frame a new request schedules a new one.
    store.queueRender();
    expect(frames).toHaveLength(1);
    runFrames();
    expect(draws).toHaveLength(2);
  });

  it('renders at once when asked, passing the options, and keeps the drawn order for the keyboard', () => {
    const { store, draws } = harness();
    store.refresh({ facetsNow: true });
    expect(draws).toEqual([{ ids: [early.eventId, late.eventId], options: { facetsNow: true } }]);
    expect(store.visibleOrder).toEqual([early.eventId, late.eventId]);
  });

  it('draws only what passes the filters', () => {
    const { store, draws } = harness();
    store.view.filter = { ...store.view.filter, pillars: ['ai'] };
    store.refresh();
    expect(draws.at(-1)?.ids).toEqual([late.eventId]);
    expect(store.visibleOrder).toEqual([late.eventId]);
  });

  it('computes the state on screen from the current view, and keeps a placed sweep marker in it', () => {
    const marker = Date.parse('2024-03-01T00:00:00Z');
    const sweep = { stops: [Date.parse('2024-01-01'), Date.parse('2024-09-01')], passed: 1, marker };
    const { store, computed, draws } = harness({ items: ITEMS, position: 2, sweep });
    store.view = { ...store.view, mode: 'sweep' };
    store.refresh();
    expect(computed.at(-1)?.mode).toBe('sweep');
    expect(store.view.sweep).toBe(marker);
    // The sweep hides what starts after the marker.
    expect(draws.at(-1)?.ids).toEqual([early.eventId]);
  });
});
