// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { el, replaceChildren } from './dom.ts';

describe('el', () => {
  it('puts strings in as text, so markup in data stays characters', () => {
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    const node = el('p', { class: 'title' }, hostile, ' & ', 3);
    expect(node.textContent).toBe(`${hostile} & 3`);
    expect(node.children.length).toBe(0);
    expect(node.querySelector('img, script')).toBeNull();
    expect(node.innerHTML).toContain('&lt;img');
  });

  it('sets attributes as values, never as markup', () => {
    const node = el('div', {
      title: '"><b>x</b>',
      'data-x': 1,
      hidden: true,
      disabled: false,
      'aria-label': null,
    });
    expect(node.getAttribute('title')).toBe('"><b>x</b>');
    expect(node.getAttribute('data-x')).toBe('1');
    expect(node.hasAttribute('hidden')).toBe(true);
    expect(node.hasAttribute('disabled')).toBe(false);
    expect(node.hasAttribute('aria-label')).toBe(false);
    expect(node.children.length).toBe(0);
  });

  it('refuses event-handler attributes and script URLs', () => {
    expect(() => el('div', { onclick: 'alert(1)' })).toThrow(/addEventListener/);
    expect(() => el('div', { OnMouseOver: 'alert(1)' })).toThrow();
    expect(() => el('a', { href: 'javascript:alert(1)' })).toThrow(/refusing href/);
    expect(() => el('a', { href: ' JavaScript:alert(1)' })).toThrow();
    expect(el('a', { href: 'https://example.org/a?b' }).getAttribute('href')).toBe('https://example.org/a?b');
    expect(el('a', { href: '#main' }).getAttribute('href')).toBe('#main');
  });

  it('nests elements and skips empty children', () => {
    const node = el('ul', null, el('li', null, 'a'), null, undefined, false, el('li', null, 'b'));
    expect([...node.children].map((c) => c.textContent)).toEqual(['a', 'b']);
  });

  it('replaceChildren clears what was there', () => {
    const node = el('div', null, 'old', el('span', null, 'old'));
    replaceChildren(node, 'new');
    expect(node.childNodes.length).toBe(1);
    expect(node.textContent).toBe('new');
  });
});
