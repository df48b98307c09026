/** The results as a Markdown table, and the "Web rendering" section of docs/benchmarks.md that holds it. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { REPO_ROOT } from './paths.mjs';

function fmt(ms) {
  return Number.isFinite(ms) ? Math.round(ms).toLocaleString('en-GB') : '–';
}

function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';
}

export function renderTable(rows) {
  const header =
    '| items (vis items) | view | app: first item | bare: first item | **ratio** | app: ready | app: interactive | bare: interactive | **ratio** | click latency app / bare | drawn app / bare |';
  const rule = '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
  const lines = rows.map((r) =>
    [
      `${r.items.toLocaleString('en-GB')} (${r.visItems.toLocaleString('en-GB')})`,
      r.scenario === 'window' ? '30-day window' : 'whole range (fit)',
      fmt(r.app.firstItem),
      fmt(r.bare.firstItem),
      `**${ratio(r.app.firstItem, r.bare.firstItem)}**`,
      fmt(r.app.ready),
      fmt(r.app.interactive),
      fmt(r.bare.interactive),
      `**${ratio(r.app.interactive, r.bare.interactive)}**`,
      `${fmt(r.app.clickLatency)} / ${fmt(r.bare.clickLatency)}`,
      `${fmt(r.app.drawn)} / ${fmt(r.bare.drawn)}`,
    ].join(' | '),
  );
  return [header, rule, ...lines.map((l) => `| ${l} |`)].join('\n');
}

const SECTION = '## Web rendering';

/** Writes (or replaces) the section; `run` says how the results were produced: { command, runs, date }. Returns the file. */
export async function writeDocs(table, machine, run) {
  const file = join(REPO_ROOT, 'docs/benchmarks.md');
  let doc = '';
  try {
    doc = await readFile(file, 'utf8');
  } catch {
    doc = '# Benchmarks\n';
  }
  const body = `${SECTION}

How long the web app takes to draw and to answer the user with 1,000 and 10,000 timeline items, beside
a bare vis-timeline page given the same items in the same browser run. **The ratio app / bare is the
figure**: absolute times depend on the machine (and on what else runs on it); the ratio much less.

Produced by \`${run.command}\` (from the repository root; needs the built API and web app and Kafka on
127.0.0.1:9092), ${run.date.slice(0, 10)}, on ${machine}. Times in ms from the start of
the navigation, medians of ${run.runs} loads per page after one unmeasured warm-up load each.

${table}

**Set-up.** One stack (the built API, which also serves the built app, on an embedded PGlite store, with
Kafka) holds the seed (${SEED_EVENTS.length} events) plus synthetic events (\`bench/web-render/generate.mjs\`: day-precision
facts spread over 2023-2024, 0-2 pillars and 1-2 of 30 actors each), appended through
\`POST /api/streams/:streamId/events\` in batches of 500, then the read model is awaited; 1,000 items is
measured first, then the store is topped up to 10,000. The bare page (\`bench/web-render/bare/\`, built
with Vite from the same vis-timeline and vis-data "peer" builds the app ships) fetches a JSON file
holding **the app's own vis items and groups** (read from \`window.__timeline.dataset\`/\`groups\`:
one vis item per group an item is in, hence the larger "vis items" count), each item's content a
\`<span>\` with its title, and draws them with the app's layout options (groups, stacking, top axis,
margins) in a container of the app's timeline size. The app fetches \`/api/timeline\` (full items:
data, sources, lineage) and does everything it does on a normal load. Each load is a new tab of one
headless Chromium (1440×900, fresh profile); loads alternate app, bare, app, bare…

**Views.** *30-day window*: both open on January 2024 (the app through its shareable URL,
\`?start=&end=\`; the bare page through vis-timeline's \`start\`/\`end\` options); the app does not cluster
below 45 days, so both draw the same items. *Whole range (fit)*: no window given; the app fits every
item (2021-2024) and clusters crowded neighbours above 45 days, the bare page fits every item with
vis-timeline's defaults (no clustering), which is what a page that hands vis-timeline the items gets.

**Definitions.**
- *First item*: the first \`.vis-item\` element in the DOM (an item or, in the app's fit view, a
  cluster), observed with a \`MutationObserver\` installed before any page script (its callback runs at
  the end of the task that inserted the element).
- *Ready* (app): \`window.__timeline.ready\` resolved. The app resolves it right after it first sets the
  window, and until the timeline has been drawn with items the view draws at that point (not on
  vis-timeline's next animation frame), so \`ready\` comes after the first item, in the same task.
- *Interactive*: as soon as the page is ready (the app: \`ready\` resolved; the bare page: its Timeline
  constructed) and an item is drawn, the harness clicks (a real mouse click through Chromium's input
  pipeline). In the 30-day window it clicks the first drawn item (not a cluster) and *interactive* is the
  moment the app's detail panel shows that item's title (a \`MutationObserver\` on the panel heading) or
  the bare page's \`select\` handler ran. The harness only clicks an item that is on top at the point
  clicked (\`elementFromPoint\`) and has not moved for 30 ms: vis-timeline keeps its loading-screen
  overlay over freshly drawn items for a while, and a click on it is lost, so that time counts as not
  yet interactive (it is most of the bare page's gap between first item and interactive). In the fit
  view (where the app shows clusters) it clicks the middle of the timeline and *interactive* is the
  moment the click reached a listener, i.e. the main thread was free to answer. A click sent while the
  main thread is busy waits, so both include any long task still running. *Click latency* is that
  moment minus the click's \`pointerdown\` timestamp.
- *Drawn*: \`.vis-item\` elements in the DOM at the end (items, clusters, not the lines and dots of boxes).
  The bare page draws fewer in the window view because vis-timeline's default item style is taller, so
  fewer group rows fit in the same height (rows out of view are not drawn).

**Reading.**
- *Fit view.* A Chrome DevTools CPU profile (2026-11-25, 10,000 items) put almost all of the fit view's
  11-19 s (3.8× the bare page) in \`TimelineView.fit()\`: vis-timeline's \`getItemRange()\` drew and
  measured every item, then turning clustering on re-laid-out all those elements. The fit window now
  comes from the items' own dates (\`apps/web/src/timeline/fit-window.ts\`: the earliest start and latest end
  in the vis DataSet, so a year or month counts to its end, with room in pixels for the boxes at the
  edges), set once with \`setWindow\` without animation, clustering switched after the window so
  vis-timeline lays out once, at the new scale; no item is measured. The fit view is now no slower to
  its first drawn element than the window view (at 10,000 items about as fast as the bare page, which
  draws every item unclustered), and answers a click well before the bare page, which stays busy laying
  out 13,346 items after its first one.
- *30-day window.* The app takes roughly 1.5-2× as long as the bare page to its first item: loading
  a 770 kB bundle, fetching and parsing the full items from \`/api/timeline\` (served by the API on
  the same machine), the filter and facet passes and building an element per vis item; vis-timeline's
  own work is the same.
- *Ready.* \`ready\` used to resolve when the items were handed to vis-timeline, 100-700 ms before the
  first item was drawn; it now follows the first draw (the *app: ready* column is within 1 ms of
  *app: first item*), so harnesses that wait on it measure a drawn page.
- *The machine was shared* with other engineers' builds and tests while this ran (2 cores, load
  average in the set-up line): single samples spread widely and ratios moved by several tenths from
  one run to the next, so read the ratios, not the absolute times, and compare runs only roughly; the
  figures are to be re-taken on a quiet machine with \`pnpm bench\`.

\`bench/web-render/results.json\` keeps every sample of the last run (with long-task totals and heap).
`;
  const at = doc.indexOf(SECTION);
  let next;
  if (at === -1) next = `${doc.trimEnd()}\n\n${body}`;
  else {
    const after = doc.slice(at + SECTION.length);
    const end = after.search(/\n## /);
    next = `${doc.slice(0, at)}${body}${end === -1 ? '' : after.slice(end + 1)}`;
  }
  await writeFile(file, next.endsWith('\n') ? next : `${next}\n`);
  return file;
}
