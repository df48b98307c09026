#!/usr/bin/env node
/**
 * The web app at scale (issue 12): the timeline read by window at 10,000, 100,000 and 1,000,000
 * events, beside the bare vis-timeline page given 10,000 items, in the same browser run.
 *
 *   node bench/web-render/scale.mjs [--sizes 10000,100000,1000000] [--runs 3] [--scrubs 20] [--keep]
 *   node bench/web-render/scale.mjs --database NAME --prefix P     (a database a --keep run filled)
 *   … --trace FILE   (a Chrome trace of the pan and zoom; each long task's work by kind logged)
 *
 * The events are written straight into a PostgreSQL database (`fillTimeline` from
 * @timeline/testing/timeline-fill, as bench/src/replay.ts fills the store), with the read model the
 * window API reads (items, version rows, projected positions, the watermark) and the relay checkpoint,
 * while the built API is stopped; it is then started again on them. Per size, the app's whole-range page load (first
 * `.vis-item`, ready) against the bare page with 10,000 items; at the largest size, zooming from the
 * whole range to one day in steps (long tasks during it, p95), the JS heap after a GC, and replay
 * scrubs to random log positions (input → state shown, p95). Goals: app at 10,000 first item ≤ 0.5×
 * bare-10k; at 100,000 and 1,000,000 ≤ 1.0×; at 1,000,000 long task p95 ≤ 100 ms, heap ≤ 150 MB,
 * scrub p95 ≤ 1 s. Results: bench/web-render/scale-results.json.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PILLARS, topicNames } from '@timeline/shared-types';
import { BASE_DATABASE_URL, createTestDatabase } from '@timeline/testing/postgres';

/** The URL of database `name` on the server the tests use. */
function databaseUrlOf(name) {
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
import { fillTimeline } from '@timeline/testing/timeline-fill';
import { buildBarePage, serveBare } from './bare-page.mjs';
import { measure } from './page-load.mjs';
import { HERE, importFromWeb, WEB_ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';
import { startTrace, summariseLongTasks } from './trace.mjs';

const BARE_ITEMS = 10_000;
const DAY_MS = 86_400_000;
const log = (text) => process.stderr.write(`[web-render scale] ${text}\n`);

const median = (values) => percentile(values, 50);
function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** 10,000 vis items as the app draws day-dated facts, over 2023–2024, one group per pillar. */
function bareItems() {
  const from = Date.parse('2023-01-01T00:00:00Z');
  const items = Array.from({ length: BARE_ITEMS }, (_, i) => ({
    id: `bare-${i}`,
    group: `pillar:${PILLARS[i % PILLARS.length]}`,
    type: 'box',
    start: from + ((i * 7919) % 731) * DAY_MS,
    className: 'tl-item',
    title: `Synthetic event ${i}`,
  }));
  const groups = PILLARS.map((p, order) => ({ id: `pillar:${p}`, label: p, order }));
  return JSON.stringify({ items, groups });
}

/**
 * In the page: zooms from the whole range to one day in halvings, each left to settle, then on into the
 * day until it is drawn as items; long tasks meanwhile.
 */
async function panZoom(page, day) {
  return page.evaluate(async (at) => {
    const t = window.__timeline;
    const tasks = [];
    const starts = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        tasks.push(entry.duration);
        starts.push(entry.startTime);
      }
    });
    observer.observe({ type: 'longtask' });
    const settle = async () => {
      const deadline = performance.now() + 15_000;
      await new Promise((r) => setTimeout(r, 150));
      while (t.state().windowed?.loading && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    };
    const { start, end } = t.timeline.getWindow();
    let s = start.valueOf();
    let e = end.valueOf();
    const t0 = performance.now();
    let steps = 0;
    // Per step: the visible days, what the window holds then, and the long tasks that began in it.
    const perStep = [];
    const step = async (from, to) => {
      const began = performance.now();
      t.timeline.setWindow(from, to, { animation: false });
      await settle();
      await new Promise((r) => setTimeout(r, 50));
      const w = t.state().windowed;
      const inStep = tasks.filter((_, i) => starts[i] >= began).map((d) => Math.round(d));
      perStep.push({
        days: Math.round(((to - from) / 86_400_000) * 100) / 100,
        mode: w?.mode,
        buckets: w?.buckets,
        items: document.querySelectorAll('.vis-item').length,
        bars: Number(document.querySelector('.tl-bars')?.dataset.bars ?? 0),
        longTasks: inStep,
      });
    };
    while (e - s > 86_400_000 * 1.5) {
      // Halve the span, moving its middle towards the target day.
      const span = (e - s) / 2;
      const middle = (s + e) / 2 + (at + 43_200_000 - (s + e) / 2) * 0.5;
      s = middle - span / 2;
      e = middle + span / 2;
      await step(s, e);
      steps++;
    }
    await step(at, at + 86_400_000);
    // Where one day still holds more than the page draws as items (density bars of hours), on into the
    // day until the window is drawn as items, so the switch from bars to items is always measured.
    let span = 86_400_000;
    while (t.state().windowed?.mode !== 'items' && span > 2 * 3_600_000) {
      span /= 2;
      await step(at + 43_200_000 - span / 2, at + 43_200_000 + span / 2);
      steps++;
    }
    observer.disconnect();
    return { steps: steps + 1, ms: performance.now() - t0, longTasks: tasks, perStep };
  }, day);
}

/** In the page: replay mode, then scrubs to `positions` one by one; input → position shown and loaded. */
async function scrubs(page, positions) {
  await page.click('[data-testid="mode-replay"]');
  return page.evaluate(async (list) => {
    const t = window.__timeline;
    const input = document.querySelector('[data-testid="replay-scrubber"]');
    const times = [];
    for (const position of list) {
      const t0 = performance.now();
      input.value = String(position);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const deadline = t0 + 20_000;
      for (;;) {
        const s = t.state();
        if ((s.position === position && !s.windowed?.loading) || performance.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => requestAnimationFrame(r));
      times.push(performance.now() - t0);
    }
    return times;
  }, positions);
}

async function heapMiB(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN) / 2 ** 20;
}

/**
 * `sizes`: comma-separated event counts (ascending: each fills on top of the last); `runs` page loads of
 * each; `scrubs` replay scrubs at the largest size.
 */
export async function runScale({
  sizes = '10000,100000,1000000',
  runs = '3',
  scrubs: scrubCount = '20',
  keep = false,
  database,
  prefix,
  trace: traceFile,
} = {}) {
  if (database && !prefix)
    throw new Error('--database needs --prefix (the topic prefix the kept run logged)');
  const SIZES = String(sizes)
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const RUNS = Number(runs);
  const SCRUBS = Number(scrubCount);
  const playwright = await importFromWeb('playwright-core');
  const { CHROMIUM_ARGS } = await import(pathToFileURL(join(WEB_ROOT, 'test/support/browser.mjs')).href);
  const { chromium } = playwright.chromium ? playwright : playwright.default;
  const loadBefore = loadavg()[0];
  log('building the bare vis-timeline page…');
  const bareDir = await buildBarePage();
  const items = bareItems();
  const bare = await serveBare(bareDir, () => items);
  // --keep: the filled database stays (its name and topic prefix are logged); --database NAME with
  // --prefix P measures one kept earlier at its size, without filling (a web change measured again in
  // minutes instead of a 1M fill).
  const kept = database
    ? { name: database, url: databaseUrlOf(database), drop: async () => undefined }
    : undefined;
  const db = kept ?? (await createTestDatabase('bench_web_scale'));
  const topicPrefix = prefix ?? `bench-web-scale-${Date.now().toString(36)}.`;
  log(
    `database ${db.name} (topic prefix ${topicPrefix}); starting the stack (built API + web app on PostgreSQL, Kafka)…`,
  );
  const stackOptions = {
    databaseUrl: db.url,
    timeoutMs: 120_000,
    topicPrefix,
    seed: false,
  };
  let stack = await startStack(stackOptions);
  const profile = await mkdtemp(join(tmpdir(), 'timeline-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
    viewport: { width: 1440, height: 900 },
  });
  const rows = [];
  let largest;
  try {
    let filled = kept ? await stack.head() : 0;
    const bareSamples = [];
    for (const size of kept ? [filled] : SIZES) {
      const t0 = Date.now();
      if (!kept) {
        await stack.stop();
        await fillTimeline(db.url, {
          total: size - filled,
          pillars: PILLARS,
          readModel: { relayTopic: topicNames(stackOptions.topicPrefix).events },
          onProgress: (done) =>
            log(`filling: ${(filled + done).toLocaleString('en-GB')}/${size.toLocaleString('en-GB')}`),
        });
        filled = size;
        stack = await startStack(stackOptions);
      }
      const head = filled;
      log(
        `${size.toLocaleString('en-GB')} events filled with their read model, API restarted, in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      const app = [];
      const bareRun = [];
      for (let run = -1; run < RUNS; run++) {
        const a = await measure(context, `${stack.url}/`, { app: true, clickItem: false });
        const b = await measure(context, `${bare.url}/`, { app: false, clickItem: false });
        if (run >= 0) {
          app.push(a);
          bareRun.push(b);
        }
      }
      bareSamples.push(...bareRun);
      const row = {
        events: size,
        app: {
          firstItem: median(app.map((r) => r.firstItem)),
          ready: median(app.map((r) => r.ready)),
          samples: app,
        },
        bare10k: { firstItem: median(bareRun.map((r) => r.firstItem)), samples: bareRun },
      };
      row.ratio = row.app.firstItem / row.bare10k.firstItem;
      row.goal = size <= 10_000 ? 0.5 : 1.0;
      rows.push(row);
      log(
        `${size.toLocaleString('en-GB')}: app first item ${row.app.firstItem.toFixed(0)} ms, bare-10k ${row.bare10k.firstItem.toFixed(0)} ms → ${row.ratio.toFixed(2)}× (goal ≤ ${row.goal}×)`,
      );
      largest = { size, head };
    }
    // At the largest size: pan and zoom, heap, scrubs.
    const page = await context.newPage();
    await page.goto(`${stack.url}/`);
    await page.waitForFunction(() => window.__timeline !== undefined);
    await page.evaluate(() => window.__timeline.ready);
    const trace = traceFile ? await startTrace(page) : undefined;
    const zoom = await panZoom(page, Date.parse('2012-06-15T00:00:00Z'));
    if (trace) {
      // What the main thread did inside each long task of the zoom (--trace FILE: the whole trace, for
      // chrome://tracing or DevTools' Performance panel).
      for (const task of summariseLongTasks(await trace.stop(traceFile), 50))
        log(
          `  long task ${task.ms} ms: ${Object.entries(task.by)
            .map(([k, ms]) => `${k} ${ms}`)
            .join(', ')}; top functions ${task.functions
            .slice(0, 6)
            .map((f) => `${f.fn} ${f.ms}`)
            .join(' | ')}`,
        );
      log(`trace written to ${traceFile}`);
    }
    const heap = await heapMiB(page);
    const positions = Array.from({ length: SCRUBS }, (_, i) =>
      Math.max(1, Math.round((((i * 7919) % 1000) / 1000) * largest.head)),
    );
    const scrubMs = await scrubs(page, positions);
    await page.close();
    const atLargest = {
      events: largest.size,
      panZoom: {
        steps: zoom.steps,
        ms: Math.round(zoom.ms),
        longTasks: zoom.longTasks.length,
        longTaskP95: zoom.longTasks.length > 0 ? percentile(zoom.longTasks, 95) : 0,
        longTaskMax: Math.max(0, ...zoom.longTasks),
        goal: 100,
        perStep: zoom.perStep,
      },
      heapMiB: heap,
      heapGoalMiB: 150,
      scrub: { p50: percentile(scrubMs, 50), p95: percentile(scrubMs, 95), samples: scrubMs, goal: 1000 },
    };
    for (const st of zoom.perStep)
      log(
        `  zoom step: ${st.days} days visible, ${st.mode} (${st.buckets} buckets, ${st.items} vis items, ${st.bars} canvas bars drawn), long tasks ${st.longTasks.join(', ') || '–'} ms`,
      );
    log(
      `${largest.size.toLocaleString('en-GB')}: pan/zoom ${zoom.steps} steps, long task p95 ${atLargest.panZoom.longTaskP95 ?? 0} ms (${zoom.longTasks.length} long tasks); heap ${heap.toFixed(1)} MiB; scrub p50 ${atLargest.scrub.p50.toFixed(0)} / p95 ${atLargest.scrub.p95.toFixed(0)} ms`,
    );
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium ${context.browser()?.version() ?? ''} (load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end)`;
    const file = join(HERE, 'scale-results.json');
    await writeFile(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), command: `node bench/web-render/scale.mjs ${process.argv.slice(2).join(' ')}`.trim(), machine, runs: RUNS, rows, atLargest }, null, 2)}\n`,
    );
    process.stdout.write(`${renderScale(rows, atLargest)}\n\n${machine}\nresults: ${file}\n`);
  } finally {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    await stack.stop();
    if (keep)
      log(`kept database ${db.name}: measure it again with --database ${db.name} --prefix ${topicPrefix}`);
    else await db.drop();
    await bare.close();
    await rm(bareDir, { recursive: true, force: true });
  }
}

/** The results as Markdown, beside their goals. */
export function renderScale(rows, atLargest) {
  const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-GB') : '–');
  const lines = [
    '| events | app: first item (ms) | bare, 10,000 items (ms) | ratio | goal |',
    '|--:|--:|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.events.toLocaleString('en-GB')} | ${fmt(r.app.firstItem)} | ${fmt(r.bare10k.firstItem)} | **${r.ratio.toFixed(2)}×** | ≤ ${r.goal}× |`,
    ),
    '',
    `At ${atLargest.events.toLocaleString('en-GB')} events:`,
    '',
    '| measure | figure | goal |',
    '|---|--:|--:|',
    `| pan and zoom, whole range → one day, then on until items are drawn (${atLargest.panZoom.steps} steps): long task p95 | ${fmt(atLargest.panZoom.longTaskP95 ?? 0)} ms (${atLargest.panZoom.longTasks} long tasks, max ${fmt(atLargest.panZoom.longTaskMax)} ms) | ≤ 100 ms |`,
    `| JS heap after GC | ${atLargest.heapMiB.toFixed(1)} MiB | ≤ 150 MB |`,
    `| replay scrub to a position, input → shown: p50 / p95 | ${fmt(atLargest.scrub.p50)} / ${fmt(atLargest.scrub.p95)} ms | p95 ≤ 1,000 ms |`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000,1000000' },
      runs: { type: 'string', default: '3' },
      scrubs: { type: 'string', default: '20' },
      keep: { type: 'boolean', default: false },
      database: { type: 'string' },
      prefix: { type: 'string' },
      trace: { type: 'string' },
    },
  });
  runScale(values).catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
