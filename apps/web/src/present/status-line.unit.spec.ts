import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewState } from '../model/url-state.ts';
import { type StatusFacts, statusText } from './status-line.ts';

function facts(view: Partial<ViewState>, patch: Partial<StatusFacts> = {}): StatusFacts {
  return {
    view: { ...DEFAULT_VIEW, ...view },
    connection: { state: 'open', after: 0 },
    livePosition: 1234,
    position: 12,
    head: 1234,
    newEvents: 0,
    ...patch,
  };
}

describe('statusText', () => {
  it('says live, the live position and how the link is', () => {
    expect(statusText(facts({}))).toBe('● Live · position 1,234 · connected');
    expect(
      statusText(
        facts(
          {},
          { connection: { state: 'reconnecting', inMs: 1500, attempt: 2, reason: 'connection lost' } },
        ),
      ),
    ).toBe('● Live · position 1,234 · reconnecting in 2 s (connection lost)');
    expect(statusText(facts({}, { connection: { state: 'connecting', after: 3 } }))).toMatch(/connecting…$/);
    expect(statusText(facts({}, { connection: { state: 'stopped' } }))).toMatch(/stopped$/);
  });

  it('says where a replay, a sweep or a diff stands', () => {
    expect(statusText(facts({ mode: 'replay' }))).toBe('Replay · position 12 of 1,234');
    expect(statusText(facts({ mode: 'replay', asOf: '2024-07-24T10:00:00.000Z' }))).toMatch(
      /^Replay as of .+ · position 12 of 1,234$/,
    );
    expect(statusText(facts({ mode: 'sweep' }))).toBe('Sweeping dates · knowledge at position 12');
    expect(statusText(facts({ mode: 'diff', diff: { a: 3, b: 1000 } }))).toBe(
      'Comparing positions 3 → 1,000',
    );
  });
});
