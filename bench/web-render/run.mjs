#!/usr/bin/env node
/**
 * Web rendering benchmark: how long the web app takes to first draw and to become interactive with
 * 1,000 and 10,000 timeline items, beside a bare vis-timeline page given the same items in the same
 * browser run. The ratio app / bare is the figure.
 *
 *   node bench/web-render/run.mjs [--sizes 1000,10000] [--runs 5] [--no-docs]
 *   node bench/web-render/run.mjs --scale 10000,100000,1000000 [--scale-runs 3] [--scale-scrubs 20] [--scale-keep]
 *   node bench/web-render/run.mjs --scale 1 --scale-database NAME --scale-prefix P   (a kept database, no fill)
 *     (the timeline read by window at scale, filled directly into PostgreSQL: see scale.mjs)
 *
 * Needs the built API and web app (`pnpm --filter @timeline/api... build && pnpm --filter @timeline/web
 * build`) and Kafka on 127.0.0.1:9092 (`pnpm infra:up`). See docs/benchmarks.md, "Web rendering", for
 * what is measured and how.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { buildBarePage, serveBare } from './bare-page.mjs';
import { renderTable, writeDocs } from './docs-section.mjs';
import { syntheticEvent } from './generate.mjs';
import { measure } from './page-load.mjs';
import { HERE, importFromWeb, WEB_ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '5' },
    'no-docs': { type: 'boolean', default: false },
    /**
     * The scale runs instead (issue 12, scale.mjs): the app read by window at these event counts
     * (e.g. 10000,100000,1000000) beside the bare page with 10,000 items.
     */
    scale: { type: 'string' },
    'scale-runs': { type: 'string', default: '3' },
    'scale-scrubs': { type: 'string', default: '20' },
    /** Keep the filled database; or measure one kept earlier (with the topic prefix it logged). */
    'scale-keep': { type: 'boolean', default: false },
    'scale-database': { type: 'string' },
    'scale-prefix': { type: 'string' },
    'scale-trace': { type: 'string' },
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

const log = (text) => process.stderr.write(`[web-render] ${text}\n`);
/** What each page load reports, summarised as the median over the runs. */
const MEASURES = ['firstItem', 'ready', 'interactive', 'clickLatency', 'longTaskMs', 'drawn', 'heapMiB'];

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

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

async function main() {
  if (args.scale) {
    const { runScale } = await import('./scale.mjs');
    await runScale({
      sizes: args.scale,
      runs: args['scale-runs'],
      scrubs: args['scale-scrubs'],
      keep: args['scale-keep'],
      database: args['scale-database'],
      prefix: args['scale-prefix'],
      trace: args['scale-trace'],
    });
    return;
  }
  if (args['docs-from-results']) {
    const last = JSON.parse(await readFile(join(HERE, 'results.json'), 'utf8'));
    log(
      `wrote the "Web rendering" section of ${await writeDocs(renderTable(last.rows), last.machine, last)}`,
    );
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
        const summary = (kind) => ({
          ...Object.fromEntries(MEASURES.map((key) => [key, median(samples[kind].map((r) => r[key]))])),
          samples: samples[kind],
        });
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
  if (!args['no-docs']) {
    const file = await writeDocs(table, machine, {
      command: COMMAND,
      runs: RUNS,
      date: new Date().toISOString(),
    });
    log(`wrote the "Web rendering" section of ${file}`);
  }
}

const ARGS = process.argv.slice(2).join(' ');
/** How this run was started: through the bench package's script, or directly. */
const COMMAND =
  process.env.npm_lifecycle_event === 'bench:web-render'
    ? `pnpm --filter @timeline/bench bench:web-render${ARGS ? ` -- ${ARGS}` : ''}`
    : `node bench/web-render/run.mjs${ARGS ? ` ${ARGS}` : ''}`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
