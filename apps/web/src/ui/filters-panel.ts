import { PILLARS } from '@timeline/shared-types';
import { el, replaceChildren } from '../base/dom.ts';
import {
  FACET_NAMES,
  type FacetName,
  type Facets,
  type FilterState,
  isFilterActive,
  toggleValue,
} from '../model/filters.ts';
import { formatCount } from '../base/format.ts';
import { NO_PILLAR, PILLAR_STYLE, pillarClass, pillarLabel } from '../base/styling.ts';

const FACET_TITLES: Record<FacetName, string> = { pillars: 'Pillar', types: 'Event type', actors: 'Actor' };
const SEARCH_DEBOUNCE_MS = 250;
/** Past this many actors the list scrolls; it is sorted by count so the common ones come first. */
const ACTORS_SHOWN = 200;

/**
 * Search box and checkbox facets. The panel owns no state: it shows the filter and counts it is
 * given and reports every change; the app filters.
 */
export class FiltersPanel {
  private readonly search: HTMLInputElement;
  private readonly lists = {} as Record<FacetName, HTMLElement>;
  private readonly clear: HTMLButtonElement;
  private readonly summary: HTMLElement;
  private state: FilterState;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor(
    root: HTMLElement,
    initial: FilterState,
    private readonly onChange: (state: FilterState) => void,
  ) {
    this.state = initial;
    this.search = el('input', {
      id: 'search',
      type: 'search',
      'data-testid': 'search',
      placeholder: 'Title, actor, place, quote…',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '200',
    });
    this.search.value = initial.q;
    this.search.addEventListener('input', () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(
        () => this.emit({ ...this.state, q: this.search.value }),
        SEARCH_DEBOUNCE_MS,
      );
    });
    this.search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      clearTimeout(this.debounce);
      this.emit({ ...this.state, q: this.search.value });
    });
    this.clear = el(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': 'filters-clear' },
      'Clear filters',
    );
    this.clear.addEventListener('click', () => {
      this.search.value = '';
      this.emit({ pillars: [], actors: [], types: [], q: '' });
    });
    this.summary = el('p', { class: 'muted filter-summary', role: 'status' });
    const fieldsets = FACET_NAMES.map((facet) => {
      const list = el('div', { class: `facet-list facet-${facet}` });
      this.lists[facet] = list;
      return el('fieldset', { class: 'facet' }, el('legend', null, FACET_TITLES[facet]), list);
    });
    replaceChildren(
      root,
      el('h2', { class: 'sr-only' }, 'Filters'),
      el('label', { for: 'search', class: 'field-label' }, 'Search'),
      this.search,
      this.summary,
      ...fieldsets,
      this.clear,
      legend(),
    );
  }

  update(state: FilterState, facets: Facets, shown: number, total: number): void {
    this.state = state;
    if (document.activeElement !== this.search && this.search.value !== state.q) this.search.value = state.q;
    this.clear.disabled = !isFilterActive(state);
    this.summary.textContent = isFilterActive(state)
      ? `Showing ${formatCount(shown)} of ${formatCount(total)} events`
      : `${formatCount(total)} events`;
    for (const facet of FACET_NAMES) this.renderFacet(facet, facets[facet]);
  }

  private renderFacet(facet: FacetName, values: Facets[FacetName]): void {
    const list = this.lists[facet];
    const focused = list.contains(document.activeElement)
      ? (document.activeElement as HTMLInputElement).value
      : undefined;
    const shown = facet === 'actors' ? values.slice(0, ACTORS_SHOWN) : values;
    const rows = shown.map((value, index) => {
      const id = `facet-${facet}-${index}`;
      const input = el('input', {
        type: 'checkbox',
        id,
        value: value.value,
        'data-testid': `facet-${facet}`,
        'data-value': value.value,
      });
      input.checked = value.checked;
      input.addEventListener('change', () => {
        this.emit({ ...this.state, [facet]: toggleValue(this.state[facet], value.value, input.checked) });
      });
      const swatch =
        facet === 'pillars'
          ? el('span', { class: `swatch ${pillarClass(value.value)}`, 'aria-hidden': 'true' })
          : null;
      return el(
        'div',
        { class: `facet-row${value.count === 0 && !value.checked ? ' empty' : ''}` },
        input,
        el(
          'label',
          { for: id },
          swatch,
          el('span', { class: 'facet-label' }, value.label),
          el('span', { class: 'count' }, formatCount(value.count)),
        ),
      );
    });
    if (facet === 'actors' && values.length > ACTORS_SHOWN) {
      rows.push(
        el('p', { class: 'muted' }, `and ${formatCount(values.length - ACTORS_SHOWN)} more: use the search`),
      );
    }
    if (!rows.length) rows.push(el('p', { class: 'muted' }, 'None yet.'));
    replaceChildren(list, ...rows);
    if (focused !== undefined) {
      const again = [...list.querySelectorAll<HTMLInputElement>('input')].find((i) => i.value === focused);
      again?.focus();
    }
  }

  private emit(state: FilterState): void {
    this.state = state;
    this.onChange(state);
  }
}

/** Pillar colours and the "approximate date" pattern, so the drawing can be read without the tooltips. */
function legend(): HTMLElement {
  return el(
    'section',
    { class: 'legend', 'aria-label': 'Legend' },
    el('h3', null, 'Legend'),
    el(
      'ul',
      null,
      ...PILLARS.map((p) =>
        el(
          'li',
          null,
          el('span', { class: `swatch ${PILLAR_STYLE[p].className}`, 'aria-hidden': 'true' }),
          pillarLabel(p),
        ),
      ),
      el(
        'li',
        null,
        el('span', { class: `swatch ${NO_PILLAR.className}`, 'aria-hidden': 'true' }),
        NO_PILLAR.label,
      ),
      el(
        'li',
        null,
        el('span', { class: 'swatch swatch-approximate', 'aria-hidden': 'true' }),
        'Approximate date (year or month): drawn across the whole period',
      ),
      el(
        'li',
        null,
        el('span', { class: 'swatch swatch-exact', 'aria-hidden': 'true' }),
        'Day or exact time',
      ),
    ),
  );
}
