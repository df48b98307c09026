import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewState } from '../model/url-state.ts';
import { statsCaption, statsDownloads } from './stats-presenter.ts';

const view = (patch: Partial<ViewState>): ViewState => ({ ...DEFAULT_VIEW, ...patch });
const AS_OF = '2024-07-24T10:00:00.000Z';

describe('the stats panel caption', () => {
  it('names the state the figures describe', () => {
    expect(statsCaption(view({}), 37)).toBe('live at position 37');
    expect(statsCaption(view({ mode: 'replay', asOf: AS_OF }), 12)).toMatch(/^as of .+ \(position 12\)$/);
    expect(statsCaption(view({ mode: 'replay' }), 12)).toBe('at position 12');
    expect(statsCaption(view({ mode: 'diff', diff: { a: 1, b: 9 } }), 9)).toBe(
      "at position 9 (the diff's B side)",
    );
  });
});

describe('the stats downloads', () => {
  it('link to GET /api/stats for the states the API can name, unfiltered only', () => {
    expect(statsDownloads(view({}), 'all')).toEqual({ json: '/api/stats', csv: '/api/stats?format=csv' });
    expect(statsDownloads(view({ mode: 'replay', asOf: AS_OF }), 'all')).toEqual({
      json: '/api/stats?asOf=2024-07-24T10%3A00%3A00.000Z',
      csv: '/api/stats?format=csv&asOf=2024-07-24T10%3A00%3A00.000Z',
    });
    expect(statsDownloads(view({}), 'shown')).toBeUndefined();
    expect(statsDownloads(view({ mode: 'replay', position: 3 }), 'all')).toBeUndefined();
    expect(statsDownloads(view({ mode: 'sweep' }), 'all')).toBeUndefined();
  });
});
