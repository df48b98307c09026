import type { TimelineItem } from '@timeline/shared-types';
import { el, setText } from '../base/dom.ts';

export interface DetailActions {
  /** Signed in with a write token, and the item is shown as it stands now (live). */
  canEdit: boolean;
  /** The link that opens the page with this item selected. */
  permalink(itemId: string): string;
  onCorrect(item: TimelineItem): void;
  onRetract(item: TimelineItem): void;
}

/** The row under the detail panel's heading: the item's permalink, and, when editing, Correct and Retract. */
export function detailActions(item: TimelineItem, actions: DetailActions, editable: boolean): HTMLElement {
  const link = actions.permalink(item.id);
  const status = el('span', { class: 'muted copy-status', role: 'status', 'data-testid': 'copy-status' });
  const copy = el(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'copy-link', title: link },
    'Copy link',
  );
  copy.addEventListener('click', () => {
    const copied = navigator.clipboard?.writeText(link) ?? Promise.reject(new Error('no clipboard'));
    copied.then(
      () => setText(status, 'Link copied.'),
      // No clipboard (an insecure origin, a denied permission): the link is there to copy by hand.
      () => setText(status, 'Copy the “Permalink” link instead.'),
    );
  });
  const row = el(
    'div',
    { class: 'detail-actions', 'data-testid': 'detail-actions' },
    copy,
    el('a', { href: link, 'data-testid': 'permalink' }, 'Permalink'),
    status,
  );
  if (actions.canEdit && editable && !item.retracted) {
    const correct = el('button', { type: 'button', 'data-testid': 'correct-event' }, 'Correct…');
    const retract = el(
      'button',
      { type: 'button', class: 'danger', 'data-testid': 'retract-event' },
      'Retract…',
    );
    correct.addEventListener('click', () => actions.onCorrect(item));
    retract.addEventListener('click', () => actions.onRetract(item));
    row.append(correct, retract);
  }
  return row;
}
