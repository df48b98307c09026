import type { TimelineItem } from '@timeline/shared-types';
import { el } from '../base/dom.ts';
import { formatOccurredAt, isApproximate } from '../base/format.ts';
import { pillarLabel, typeStyle } from '../base/styling.ts';
import type { GroupSpec, VisItemSpec } from './vis-mapping.ts';

/** A vis item: the mapping's plain data plus a DOM element as content, never an HTML string. */
export interface VisItem extends VisItemSpec {
  content: HTMLElement;
}

export interface VisGroup {
  id: string;
  content: HTMLElement;
  title: string;
  order: number;
  className: string;
}

export function toVisItem(spec: VisItemSpec, item: TimelineItem): VisItem {
  const type = typeStyle(item.type);
  const content = el(
    'span',
    { class: 'tl-content' },
    el('span', { class: 'tl-glyph', 'aria-hidden': 'true' }, type.glyph),
    el('span', { class: 'tl-title' }, item.title || '(untitled)'),
    isApproximate(item.occurredAt)
      ? el('span', { class: 'tl-when' }, formatOccurredAt(item.occurredAt))
      : null,
  );
  return { ...spec, content };
}

export function toVisGroup(spec: GroupSpec): VisGroup {
  const content = el(
    'span',
    { class: 'tl-group' },
    spec.kind === 'actor' ? null : el('span', { class: `swatch ${spec.className}`, 'aria-hidden': 'true' }),
    el('span', { class: 'tl-group-label' }, spec.label),
  );
  return {
    id: spec.id,
    content,
    title: spec.label,
    order: spec.order,
    className: `tl-group-row ${spec.className}`,
  };
}

/** The hover card of an item: its title, type, date, actors and pillars, as text nodes. */
export function tooltipFor(item: TimelineItem | undefined, fallbackTitle: unknown): HTMLElement {
  if (!item)
    return el('span', { class: 'tl-tooltip' }, typeof fallbackTitle === 'string' ? fallbackTitle : '');
  const type = typeStyle(item.type);
  return el(
    'div',
    { class: 'tl-tooltip' },
    el('strong', null, item.title || '(untitled)'),
    el('div', null, `${type.label} · ${formatOccurredAt(item.occurredAt)}`),
    item.actors.length ? el('div', null, item.actors.join(', ')) : null,
    item.pillars.length ? el('div', null, item.pillars.map(pillarLabel).join(', ')) : null,
    el('div', { class: 'tl-tooltip-hint' }, 'Click for details'),
  );
}
