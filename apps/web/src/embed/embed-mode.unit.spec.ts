import { describe, expect, it } from 'vitest';
import { embedModeOf } from './embed-mode.ts';

describe('embedModeOf', () => {
  it('is the embed mode on /embed only, with the panels the link asks for', () => {
    expect(embedModeOf({ pathname: '/', search: '?panels=filters' })).toBeUndefined();
    expect(embedModeOf({ pathname: '/embed', search: '' })).toEqual({ panels: [] });
    expect(embedModeOf({ pathname: '/embed/', search: '?panels=replay,filters,stats' })).toEqual({
      panels: ['filters', 'replay'],
    });
  });
});
