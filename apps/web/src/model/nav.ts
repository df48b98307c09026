/** Keyboard actions on the timeline, kept apart from the DOM so the key map is unit-tested. */
export type NavAction =
  | 'next'
  | 'prev'
  | 'first'
  | 'last'
  | 'open'
  | 'zoom-in'
  | 'zoom-out'
  | 'fit'
  | 'stats'
  | 'clear';

export function navActionFor(
  key: string,
  modifiers: { ctrl?: boolean; meta?: boolean; alt?: boolean } = {},
): NavAction | undefined {
  if (modifiers.ctrl || modifiers.meta || modifiers.alt) return undefined;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Enter':
      return 'open';
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
    case '_':
      return 'zoom-out';
    case 'f':
    case 'F':
      return 'fit';
    case 's':
    case 'S':
      return 'stats';
    case 'Escape':
      return 'clear';
    default:
      return undefined;
  }
}

/** The id to select after `action`, walking `ordered` (items in time order); wraps nowhere. */
export function stepSelection(
  ordered: readonly string[],
  current: string | undefined,
  action: 'next' | 'prev' | 'first' | 'last',
): string | undefined {
  if (ordered.length === 0) return undefined;
  if (action === 'first') return ordered[0];
  if (action === 'last') return ordered.at(-1);
  const at = current === undefined ? -1 : ordered.indexOf(current);
  if (at === -1) return action === 'next' ? ordered[0] : ordered.at(-1);
  const next = action === 'next' ? Math.min(at + 1, ordered.length - 1) : Math.max(at - 1, 0);
  return ordered[next];
}
