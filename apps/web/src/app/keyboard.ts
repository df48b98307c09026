import { navActionFor, stepSelection } from '../model/nav.ts';
import type { Shell } from '../ui/shell.ts';

export interface KeyboardActions {
  /** The ids on screen, in timeline order. */
  visibleOrder(): readonly string[];
  selected(): string | undefined;
  select(itemId: string | undefined, reveal: boolean): void;
  openDetail(): void;
  zoom(direction: 'in' | 'out'): void;
  fit(): void;
  toggleStats(): void;
}

/**
 * The timeline's keys (see `navActionFor`), taken only while the focus is on the timeline or on
 * nothing in particular, so typing in a filter or the replay bar is left alone.
 */
export function wireKeyboard(shell: Shell, actions: KeyboardActions): void {
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    const onTimeline = target === document.body || (target !== null && shell.timelineRegion.contains(target));
    if (!onTimeline || event.defaultPrevented) return;
    const action = navActionFor(event.key, { ctrl: event.ctrlKey, meta: event.metaKey, alt: event.altKey });
    if (!action) return;
    event.preventDefault();
    switch (action) {
      case 'next':
      case 'prev':
      case 'first':
      case 'last':
        actions.select(stepSelection(actions.visibleOrder(), actions.selected(), action), true);
        break;
      case 'open':
        if (actions.selected()) actions.openDetail();
        break;
      case 'zoom-in':
        actions.zoom('in');
        break;
      case 'zoom-out':
        actions.zoom('out');
        break;
      case 'fit':
        actions.fit();
        break;
      case 'stats':
        actions.toggleStats();
        break;
      case 'clear':
        actions.select(undefined, false);
        break;
    }
  });
  // Escape in the panel returns to where the user was on the timeline.
  shell.detail.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') shell.timelineRegion.focus();
  });
}
