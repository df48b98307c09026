import type { LineageEntry, Source, TimelineItem } from '@timeline/shared-types';
import { type Child, el, replaceChildren } from '../base/dom.ts';
import { changedFields, type TimelineDiff } from '../model/diff.ts';
import { formatCount, formatInstant, formatOccurredAt, humanizeKey } from '../base/format.ts';
import { DIFF_CLASS, isPillar, pillarClass, pillarLabel, typeStyle } from '../base/styling.ts';
import { type DetailActions, detailActions } from './detail-actions.ts';

/** Fields every item shows in its header; the rest of `data` is listed under "Details". */
const HEADER_FIELDS = new Set(['title', 'summary', 'actors', 'pillars', 'place']);
const MAX_DEPTH = 4;

export interface DetailContext {
  /** Why the selected item is not in the state shown, when it is not. */
  missingReason?: string;
  diff?: TimelineDiff;
  onSelect(itemId: string): void;
  /** Permalink, and correcting and retracting when signed in. */
  actions?: DetailActions;
}

/**
 * The right-hand panel: everything known about the selected item, built from text nodes only.
 * The container is an `aria-live` region, so moving the selection with the keyboard is announced.
 */
export class DetailPanel {
  readonly heading: HTMLElement;
  private readonly body: HTMLElement;
  private readonly diffSection: HTMLElement;

  constructor(readonly root: HTMLElement) {
    this.heading = el('h2', { id: 'detail-heading', tabindex: '-1' }, 'Details');
    this.body = el('div', { class: 'detail-body', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.diffSection = el('section', {
      class: 'diff-list',
      'aria-label': 'Changes between A and B',
      hidden: true,
    });
    replaceChildren(root, this.diffSection, this.heading, this.body);
  }

  show(item: TimelineItem | undefined, context: DetailContext): void {
    this.renderDiff(context);
    if (!item) {
      this.heading.textContent = 'Details';
      replaceChildren(
        this.body,
        el(
          'p',
          { class: 'muted' },
          context.missingReason ??
            'Select an event on the timeline (click it, or focus the timeline and use the arrow keys) to see its sources and history.',
        ),
      );
      return;
    }
    const type = typeStyle(item.type);
    this.heading.textContent = item.title || '(untitled)';
    replaceChildren(
      this.body,
      el(
        'p',
        { class: `detail-type ${type.className}` },
        el('span', { 'aria-hidden': 'true' }, `${type.glyph} `),
        type.label,
      ),
      context.actions ? detailActions(item, context.actions, context.missingReason === undefined) : null,
      item.retracted
        ? el('p', { class: 'banner banner-retracted', role: 'note' }, 'This event has been retracted.')
        : null,
      context.missingReason ? el('p', { class: 'banner', role: 'note' }, context.missingReason) : null,
      item.summary ? el('p', { class: 'detail-summary' }, item.summary) : null,
      definitionList([
        ['When', when(item)],
        ['Place', item.place],
        ['Actors', item.actors.length ? list(item.actors) : undefined],
        ['Pillars', item.pillars.length ? pillarList(item.pillars) : 'None (shown under “Other”)'],
        ['Recorded', formatInstant(item.recordedAt)],
        ['Stream', el('code', null, item.streamId)],
        [
          'Position',
          `${formatCount(item.position)} (stream version ${item.streamVersion}${item.lastPosition !== item.position ? `, last changed at ${formatCount(item.lastPosition)}` : ''})`,
        ],
      ]),
      section('Details', dataFields(item.data)),
      section(
        `Sources (${item.sources.length})`,
        item.sources.length
          ? el('div', { class: 'sources' }, ...item.sources.map(sourceView))
          : el('p', { class: 'muted' }, 'No source given.'),
      ),
      section('History', el('ol', { class: 'lineage' }, ...item.lineage.map(lineageView))),
    );
  }

  private renderDiff(context: DetailContext): void {
    const diff = context.diff;
    if (!diff) {
      this.diffSection.hidden = true;
      this.diffSection.replaceChildren();
      return;
    }
    this.diffSection.hidden = false;
    const groups = (['added', 'changed', 'retracted'] as const).map((kind) => {
      const entries = diff.entries.filter((e) => e.kind === kind);
      return el(
        'div',
        { class: `diff-group ${DIFF_CLASS[kind]}` },
        el('h4', null, `${kind[0]!.toUpperCase()}${kind.slice(1)} (${entries.length})`),
        entries.length
          ? el(
              'ul',
              null,
              ...entries.map((entry) => {
                const button = el(
                  'button',
                  { type: 'button', class: 'link-button' },
                  entry.item.title || '(untitled)',
                );
                button.addEventListener('click', () => context.onSelect(entry.item.id));
                const fields =
                  entry.kind === 'changed' && entry.before ? changedFields(entry.before, entry.item) : [];
                return el(
                  'li',
                  null,
                  button,
                  fields.length
                    ? el('span', { class: 'muted' }, ` — ${fields.map(humanizeKey).join(', ')}`)
                    : null,
                );
              }),
            )
          : el('p', { class: 'muted' }, 'None.'),
      );
    });
    replaceChildren(
      this.diffSection,
      el('h3', null, `Changes from position ${formatCount(diff.from)} to ${formatCount(diff.to)}`),
      ...groups,
    );
  }
}

function when(item: TimelineItem): HTMLElement {
  const at = item.occurredAt;
  return el(
    'span',
    null,
    formatOccurredAt(at),
    el('span', { class: 'muted' }, ` — ${at.precision} precision`),
    at.derivation
      ? el('span', { class: 'derivation' }, el('strong', null, 'Date derived: '), at.derivation)
      : null,
  );
}

function definitionList(rows: ReadonlyArray<readonly [string, Child]>): HTMLElement {
  const dl = el('dl', { class: 'fields' });
  for (const [term, value] of rows) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(el('dt', null, term), el('dd', null, value));
  }
  return dl;
}

function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'detail-section' }, el('h3', null, title), ...children);
}

function list(values: readonly string[]): HTMLElement {
  return el('ul', { class: 'chips' }, ...values.map((v) => el('li', null, v)));
}

function pillarList(values: readonly string[]): HTMLElement {
  return el(
    'ul',
    { class: 'chips' },
    ...values.map((p) =>
      el(
        'li',
        null,
        el('span', { class: `swatch ${pillarClass(p)}`, 'aria-hidden': 'true' }),
        isPillar(p) ? pillarLabel(p) : p,
      ),
    ),
  );
}

function dataFields(data: Record<string, unknown>): HTMLElement {
  const rows = Object.entries(data).filter(([key]) => !HEADER_FIELDS.has(key));
  if (!rows.length) return el('p', { class: 'muted' }, 'No further fields.');
  return definitionList(rows.map(([key, value]) => [humanizeKey(key), valueView(value, 0)] as const));
}

/** Any JSON value as nested lists of text. */
function valueView(value: unknown, depth: number): Child {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatCount(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (depth >= MAX_DEPTH) return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (!value.length) return '—';
    return el('ul', { class: 'plain' }, ...value.map((v) => el('li', null, valueView(v, depth + 1))));
  }
  if (typeof value === 'object') {
    return definitionList(
      Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => [humanizeKey(k), valueView(v, depth + 1)] as const,
      ),
    );
  }
  return String(value);
}

function sourceView(source: Source): HTMLElement {
  const quote = el('blockquote', null, source.quote);
  if (source.url && /^https?:\/\//i.test(source.url)) quote.setAttribute('cite', source.url);
  const title =
    source.url && /^https?:\/\//i.test(source.url)
      ? el('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, source.title)
      : el('cite', null, source.title);
  return el(
    'figure',
    { class: 'source' },
    quote,
    el(
      'figcaption',
      null,
      source.attribution ? el('span', { class: 'attribution' }, `— ${source.attribution}`) : null,
      el('span', { class: 'publisher' }, source.publisher),
      title,
    ),
  );
}

const LINEAGE_LABEL: Record<LineageEntry['kind'], string> = {
  recorded: 'Recorded',
  corrected: 'Corrected',
  retracted: 'Retracted',
};

function lineageView(entry: LineageEntry): HTMLElement {
  return el(
    'li',
    {
      class: `lineage-${entry.kind === 'recorded' || entry.kind === 'corrected' || entry.kind === 'retracted' ? entry.kind : 'recorded'}`,
    },
    el('strong', null, LINEAGE_LABEL[entry.kind] ?? entry.kind),
    ` at position ${formatCount(entry.position)}, ${formatInstant(entry.recordedAt)}`,
    entry.reason
      ? el('p', { class: 'reason' }, el('span', { class: 'muted' }, 'Reason: '), entry.reason)
      : null,
    entry.occurredAt
      ? el('p', null, el('span', { class: 'muted' }, 'Date set to: '), formatOccurredAt(entry.occurredAt))
      : null,
    entry.patch
      ? el(
          'details',
          null,
          el('summary', null, 'Patch'),
          el('pre', null, JSON.stringify(entry.patch, null, 2)),
        )
      : null,
    el('p', { class: 'muted event-id' }, `Event ${entry.eventId}`),
  );
}
