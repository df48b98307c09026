#!/usr/bin/env node
/**
 * Web rendering benchmark: how long the web app takes to first draw and to become interactive with
 * 1,000 and 10,000 timeline items, beside a bare vis-timeline page given the same items in the same
 * browser run. The ratio app / bare is the figure.
 *
 *   node bench/web-render/run.mjs [--sizes 1000,10000] [--runs 5] [--no-docs]
 *
 * Needs the built API and web app (`pnpm --filter @timeline/api... build && pnpm --filter @timeline/web
 * build`) and Kafka on 127.0.0.1:9092 (`pnpm infra:up`). See docs/benchmarks.md, "Web rendering", for
 * what is measured and how.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { syntheticEvent } from './generate.mjs';
import { HERE, importFromWeb, REPO_ROOT, WEB_ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '5' },
    'no-docs': { type: 'boolean', default: false },
    /** Rewrite the docs section from the last run's results.json (no measuring). */
    'docs-from-results': { type: 'boolean', default: false },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const RUNS = Number(args.runs);
const BATCH = 500;
const DAY_MS = 86_400_000;
/** Scenario "window": 30 days in the middle of the synthetic valid time, below the app's 45-day clustering. */
const WINDOW = {
  start: Date.parse('2024-01-01T00:00:00Z'),
  end: Date.parse('2024-01-01T00:00:00Z') + 30 * DAY_MS,
};
const RUN_TIMEOUT_MS = 180_000;

const log = (text) => process.stderr.write(`[web-render] ${text}\n`);

/**
 * Runs in every page before its own scripts. `firstItem`: the first `.vis-item` element in the DOM
 * (a MutationObserver; its callback runs at the end of the task that inserted it). `ready`: the app's
 * `window.__timeline.ready` resolved (the bare page sets it itself once its Timeline is constructed).
 * `clickAt`: the timestamp of the harness's pointerdown; `handled`: when the click reached a listener;
 * `response`: when the page showed the answer (set by the harness's observer or the bare page).
 */
const INIT = `(() => {
  const b = (window.__bench = { longTasks: 0, longTaskMs: 0 });
  const mo = new MutationObserver(() => {
    if (b.firstItem === undefined && document.querySelector('.vis-item')) {
      b.firstItem = performance.now();
      mo.disconnect();
    }
  });
  mo.observe(document, { childList: true, subtree: true });
  let handle;
  Object.defineProperty(window, '__timeline', {
    configurable: true,
    get: () => handle,
    set: (value) => {
      handle = value;
      value.ready.then(() => { b.ready = performance.now(); }, () => {});
    },
  });
  addEventListener('pointerdown', (e) => { if (b.clickAt === undefined) b.clickAt = e.timeStamp; }, true);
  addEventListener('click', () => { if (b.handled === undefined) b.handled = performance.now(); }, true);
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (b.response !== undefined) return;
        b.longTasks += 1;
        b.longTaskMs += entry.duration;
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

/**
 * In the page: a drawn item (not a cluster, not a box's line or dot) whose point to click is inside
 * the timeline, on top (nothing covers it), and has not moved for 30 ms (vis-timeline lays items out
 * again after the first draw; a click on where an item was would hit nothing).
 */
function findTarget() {
  const b = window.__bench;
  if (!b || b.ready === undefined) return false;
  const panel = document.querySelector('.vis-panel.vis-center');
  if (!panel) return false;
  const area = panel.getBoundingClientRect();
  const selector =
    '.vis-item:not(.vis-cluster):not(.vis-line):not(.vis-dot):not(.vis-cluster-line):not(.vis-cluster-dot)';
  for (const element of document.querySelectorAll(selector)) {
    const r = element.getBoundingClientRect();
    const x = r.left + Math.min(r.width / 2, 30);
    const y = r.top + r.height / 2;
    if (!(x > area.left + 2 && x < area.right - 2 && y > area.top + 2 && y < area.bottom - 2 && r.width > 4))
      continue;
    if (document.elementFromPoint(x, y)?.closest('.vis-item') !== element) continue;
    const key = `${Math.round(x)},${Math.round(y)}`;
    const now = performance.now();
    const seen = b.candidate;
    if (!seen || seen.element !== element || seen.key !== key) {
      b.candidate = { element, key, since: now };
      return false;
    }
    if (now - seen.since < 30) return false;
    return { x, y, title: element.querySelector('.tl-title')?.textContent ?? element.textContent ?? '' };
  }
  return false;
}

/** In the page: the centre of the timeline panel, once the page is ready. */
function findPanel() {
  const b = window.__bench;
  if (!b || b.ready === undefined || b.firstItem === undefined) return false;
  const panel = document.querySelector('.vis-panel.vis-center');
  if (!panel) return false;
  const r = panel.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + Math.min(r.height / 2, 40) };
}

/**
 * One page load. `scenario.clickItem`: click a drawn item and wait for the app's detail panel (or the
 * bare page's select handler) to show it; otherwise click the timeline panel and wait for the click to
 * reach a listener (the main thread is free).
 */
async function measure(context, url, { app, clickItem }) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  try {
    await page.addInitScript(INIT);
    await page.goto(url, { waitUntil: 'commit', timeout: RUN_TIMEOUT_MS });
    const target = await (
      await page.waitForFunction(clickItem ? findTarget : findPanel, undefined, {
        polling: 10,
        timeout: RUN_TIMEOUT_MS,
      })
    ).jsonValue();
    if (clickItem && app) {
      await page.evaluate((title) => {
        const heading = document.getElementById('detail-heading');
        const observer = new MutationObserver(() => {
          if (heading.textContent === title) {
            window.__bench.response = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(heading, { childList: true, characterData: true, subtree: true });
      }, target.title);
    }
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(
      (item) => (item ? window.__bench.response : window.__bench.handled) !== undefined,
      clickItem,
      { polling: 10, timeout: RUN_TIMEOUT_MS },
    );
    const result = await page.evaluate(() => {
      const b = window.__bench;
      return {
        firstItem: b.firstItem,
        ready: b.ready,
        interactive: b.response ?? b.handled,
        clickLatency: (b.response ?? b.handled) - b.clickAt,
        longTasks: b.longTasks,
        longTaskMs: b.longTaskMs,
        drawn: document.querySelectorAll('.vis-item:not(.vis-line):not(.vis-dot)').length,
        heapMiB: (performance.memory?.usedJSHeapSize ?? 0) / 2 ** 20,
      };
    });
    return result;
  } catch (error) {
    const state = await page
      .evaluate(() => JSON.stringify({ ...window.__bench, candidate: window.__bench.candidate?.key }))
      .catch(() => '?');
    throw new Error(`${url}: ${error.message}\n__bench: ${state}\n${problems.join('\n')}`);
  } finally {
    await page.close();
  }
}

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---- the bare page -----------------------------------------------------------------------------

export async function buildBarePage() {
  const { build } = await importFromWeb('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'timeline-bench-bare-'));
  const bareDir = join(HERE, 'bare');
  const webEntry = join(WEB_ROOT, 'src/main.ts');
  await build({
    configFile: false,
    root: bareDir,
    base: './',
    logLevel: 'warn',
    plugins: [
      {
        // The bench package does not depend on vis-*: resolve them as apps/web does (same versions).
        name: 'resolve-vis-from-web',
        enforce: 'pre',
        resolveId(source, importer, options) {
          if (!/^vis-(timeline|data)(\/|$)/.test(source) || !importer?.startsWith(bareDir)) return null;
          return this.resolve(source, webEntry, { ...options, skipSelf: true });
        },
      },
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
      reportCompressedSize: false,
    },
  });
  return outDir;
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves the built bare page and `/items.json` (the app's own vis items and groups). */
export async function serveBare(dir, getItems) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/items.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(getItems());
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const immutable = file.includes('/assets/');
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((d) => server.close(d)),
  };
}

// ---- the data ------------------------------------------------------------------------------------

/** Appends synthetic events until the store holds `items` facts (the seed counts), then waits for the read model. */
async function fillTo(stack, items, state) {
  const wanted = items - SEED_EVENTS.length;
  const started = Date.now();
  while (state.generated < wanted) {
    const count = Math.min(BATCH, wanted - state.generated);
    const events = Array.from({ length: count }, (_, i) => syntheticEvent(state.generated + i + 1));
    await stack.append(`bench-web-${Math.floor(state.generated / BATCH)}`, events);
    state.generated += count;
  }
  const head = await stack.head();
  await stack.waitForReadModel(head);
  log(
    `store: ${items} items (head ${head}), filled and projected in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

// ---- main ----------------------------------------------------------------------------------------

async function main() {
  if (args['docs-from-results']) {
    const last = JSON.parse(await readFile(join(HERE, 'results.json'), 'utf8'));
    await writeDocs(renderTable(last.rows), last.machine, last);
    return;
  }
  const loadBefore = loadavg()[0];
  const playwright = await importFromWeb('playwright-core');
  const { CHROMIUM_ARGS } = await import(pathToFileURL(join(WEB_ROOT, 'test/support/browser.mjs')).href);
  const { chromium } = playwright.chromium ? playwright : playwright.default;
  log('building the bare vis-timeline page…');
  const bareDir = await buildBarePage();
  let itemsJson = '{"items":[],"groups":[]}';
  const bare = await serveBare(bareDir, () => itemsJson);
  log('starting the stack (built API + web app, PGlite, Kafka)…');
  const stack = await startStack();
  const profile = await mkdtemp(join(tmpdir(), 'timeline-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // The flags every browser run of the project uses (apps/web/test/support/browser.mjs), plus memory figures.
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
    viewport: { width: 1440, height: 900 },
  });
  const browserVersion = context.browser()?.version() ?? 'chromium';
  const rows = [];
  try {
    const state = { generated: 0 };
    for (const size of SIZES) {
      await fillTo(stack, size, state);
      const windowQuery = `start=${new Date(WINDOW.start).toISOString()}&end=${new Date(WINDOW.end).toISOString()}`;
      // The app's own vis items and groups, and its canvas size, become the bare page's input.
      const probe = await context.newPage();
      await probe.goto(`${stack.url}/?${windowQuery}`);
      await probe.waitForFunction(() => window.__timeline !== undefined);
      await probe.evaluate(() => window.__timeline.ready);
      const extracted = await probe.evaluate(() => {
        const canvas = document.querySelector('.timeline-canvas').getBoundingClientRect();
        return {
          items: window.__timeline.dataset.get().map((i) => ({
            id: i.id,
            group: i.group,
            type: i.type,
            start: i.start,
            end: i.end,
            className: i.className,
            title: i.content.querySelector('.tl-title')?.textContent ?? '',
          })),
          groups: window.__timeline.groups.get().map((g) => ({ id: g.id, label: g.title, order: g.order })),
          size: { w: Math.round(canvas.width), h: Math.round(canvas.height) },
          timelineItems: window.__timeline.state().items,
        };
      });
      await probe.close();
      itemsJson = JSON.stringify({ items: extracted.items, groups: extracted.groups });
      const { w, h } = extracted.size;
      const scenarios = [
        {
          name: 'window',
          clickItem: true,
          app: `${stack.url}/?${windowQuery}`,
          bare: `${bare.url}/?w=${w}&h=${h}&start=${WINDOW.start}&end=${WINDOW.end}`,
        },
        { name: 'fit', clickItem: false, app: `${stack.url}/`, bare: `${bare.url}/?w=${w}&h=${h}` },
      ];
      for (const scenario of scenarios) {
        const samples = { app: [], bare: [] };
        // One unmeasured load of each warms the HTTP cache (both serve their scripts as cacheable).
        for (let run = -1; run < RUNS; run++) {
          for (const kind of ['app', 'bare']) {
            const result = await measure(context, scenario[kind], {
              app: kind === 'app',
              clickItem: scenario.clickItem,
            });
            if (run >= 0) samples[kind].push(result);
          }
        }
        const summary = (kind) => {
          const s = samples[kind];
          return {
            firstItem: median(s.map((r) => r.firstItem)),
            ready: median(s.map((r) => r.ready)),
            interactive: median(s.map((r) => r.interactive)),
            clickLatency: median(s.map((r) => r.clickLatency)),
            longTaskMs: median(s.map((r) => r.longTaskMs)),
            drawn: median(s.map((r) => r.drawn)),
            heapMiB: median(s.map((r) => r.heapMiB)),
            samples: s,
          };
        };
        const row = {
          items: extracted.timelineItems,
          visItems: extracted.items.length,
          scenario: scenario.name,
          app: summary('app'),
          bare: summary('bare'),
        };
        rows.push(row);
        log(
          `${row.items} items, ${scenario.name}: app first ${row.app.firstItem.toFixed(0)} ms / interactive ${row.app.interactive.toFixed(0)} ms; bare ${row.bare.firstItem.toFixed(0)} / ${row.bare.interactive.toFixed(0)} ms`,
        );
      }
    }
  } finally {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    await stack.stop();
    await bare.close();
    await rm(bareDir, { recursive: true, force: true });
  }

  // The load average says how busy the machine was with other work (a shared machine skews absolute times).
  const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium ${browserVersion} (${load})`;
  const table = renderTable(rows);
  process.stdout.write(`\n${table}\n\n${machine}\n`);
  await writeFile(
    join(HERE, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), command: COMMAND, machine, runs: RUNS, rows }, null, 2)}\n`,
  );
  if (!args['no-docs']) await writeDocs(table, machine);
}

const ARGS = process.argv.slice(2).join(' ');
/** How this run was started: through the bench package's script, or directly. */
const COMMAND =
  process.env.npm_lifecycle_event === 'bench:web-render'
    ? `pnpm --filter @timeline/bench bench:web-render${ARGS ? ` -- ${ARGS}` : ''}`
    : `node bench/web-render/run.mjs${ARGS ? ` ${ARGS}` : ''}`;

function fmt(ms) {
  return Number.isFinite(ms) ? Math.round(ms).toLocaleString('en-GB') : '–';
}

function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–';
}

function renderTable(rows) {
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

async function writeDocs(
  table,
  machine,
  run = { command: COMMAND, runs: RUNS, date: new Date().toISOString() },
) {
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
Kafka) holds the seed (35 events) plus synthetic events (\`bench/web-render/generate.mjs\`: day-precision
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
  comes from the items' own dates (\`apps/web/src/fit-window.ts\`: the earliest start and latest end
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
  log(`wrote the "Web rendering" section of ${file}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
