import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseViewState, serializeViewState, type ViewState } from './url-state.ts';

describe('view state in the URL', () => {
  it('round-trips everything a shared link restores', () => {
    const view: ViewState = {
      mode: 'replay',
      groupBy: 'actor',
      filter: {
        pillars: ['ai', 'telecom'],
        types: ['StatementIssued'],
        actors: ['David Lammy', 'Smith, John'],
        q: 'tsi & more',
      },
      window: { start: Date.UTC(2024, 6, 1), end: Date.UTC(2024, 7, 1) },
      position: 12,
      selected: 'abc',
      stats: 'shown',
    };
    expect(parseViewState(serializeViewState(view))).toEqual(view);
  });

  it('keeps "as of" over a position in replay, and the sweep marker in sweep', () => {
    const asOf = parseViewState(
      serializeViewState({ ...DEFAULT_VIEW, mode: 'replay', position: 3, asOf: '2024-08-01T00:00:00.000Z' }),
    );
    expect(asOf).toMatchObject({ mode: 'replay', asOf: '2024-08-01T00:00:00.000Z' });
    const sweep = parseViewState(
      serializeViewState({ ...DEFAULT_VIEW, mode: 'sweep', position: 7, sweep: Date.UTC(2024, 6, 24) }),
    );
    expect(sweep).toMatchObject({ mode: 'sweep', position: 7, sweep: Date.UTC(2024, 6, 24) });
    const diff = parseViewState(serializeViewState({ ...DEFAULT_VIEW, mode: 'diff', diff: { a: 2, b: 9 } }));
    expect(diff).toMatchObject({ mode: 'diff', diff: { a: 2, b: 9 } });
  });

  it('writes nothing for the default view', () => {
    expect(serializeViewState(DEFAULT_VIEW)).toBe('');
  });

  it('drops what is malformed instead of trusting it', () => {
    const view = parseViewState(
      '?mode=evil&group=x&pillar=telecom&pillar=nope&type=bad%20type&pos=-1&asOf=whenever&start=2024&end=2023&a=1&stats=<b>',
    );
    expect(view).toEqual({ ...DEFAULT_VIEW, filter: { pillars: ['telecom'], types: [], actors: [], q: '' } });
    expect(parseViewState('?mode=diff').mode).toBe('live');
  });
});
