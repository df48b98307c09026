import { describe, expect, it } from 'vitest';
import { navActionFor, stepSelection } from './nav.ts';

describe('keyboard navigation', () => {
  it('maps keys to actions, leaving modified keys to the browser', () => {
    expect(navActionFor('ArrowRight')).toBe('next');
    expect(navActionFor('ArrowLeft')).toBe('prev');
    expect(navActionFor('Enter')).toBe('open');
    expect(navActionFor('+')).toBe('zoom-in');
    expect(navActionFor('-')).toBe('zoom-out');
    expect(navActionFor('f')).toBe('fit');
    expect(navActionFor('f', { ctrl: true })).toBeUndefined();
    expect(navActionFor('s')).toBe('stats');
    expect(navActionFor('s', { meta: true })).toBeUndefined();
    expect(navActionFor('x')).toBeUndefined();
  });

  it('walks items in time order without wrapping', () => {
    const order = ['a', 'b', 'c'];
    expect(stepSelection(order, undefined, 'next')).toBe('a');
    expect(stepSelection(order, undefined, 'prev')).toBe('c');
    expect(stepSelection(order, 'a', 'next')).toBe('b');
    expect(stepSelection(order, 'c', 'next')).toBe('c');
    expect(stepSelection(order, 'a', 'prev')).toBe('a');
    expect(stepSelection(order, 'gone', 'next')).toBe('a');
    expect(stepSelection(order, 'b', 'last')).toBe('c');
    expect(stepSelection([], 'b', 'next')).toBeUndefined();
  });
});
