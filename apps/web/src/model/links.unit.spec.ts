import { describe, expect, it } from 'vitest';
import { exportHref, permalink } from './links.ts';
import { parseViewState } from './url-state.ts';

describe('links', () => {
  it('points the export at the knowledge time shown', () => {
    expect(exportHref('jsonl', undefined)).toBe('/api/export?format=jsonl');
    expect(exportHref('csv', '2024-07-24T10:00:00.000Z')).toBe(
      '/api/export?format=csv&asOf=2024-07-24T10%3A00%3A00.000Z',
    );
  });

  it('makes a permalink that opens the live page with the item selected', () => {
    const link = permalink({ origin: 'http://h:1', pathname: '/' }, 'abc');
    expect(link).toBe('http://h:1/?sel=abc');
    expect(parseViewState(new URL(link).search)).toMatchObject({ mode: 'live', selected: 'abc' });
  });
});
