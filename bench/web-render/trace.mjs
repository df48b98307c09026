/**
 * A Chrome performance trace of part of a benchmark, for the question a long-task list cannot answer:
 * what the main thread did inside each long task (script, style, layout, paint, garbage collection),
 * and which of our functions the script time went to.
 *
 *   const trace = await startTrace(page);  …  const events = await trace.stop(file);
 *   summariseLongTasks(events, 50)  →  [{ ms, by: { Layout: 310, … }, functions: [...] }]
 */
import { writeFile } from 'node:fs/promises';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.gc',
  'blink.user_timing',
];

/** Starts tracing `page` through a CDP session; `stop(file?)` ends it and returns (and writes) the events. */
export async function startTrace(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const event of value) events.push(event);
  });
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordContinuously' },
  });
  return {
    async stop(file) {
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await done;
      await cdp.detach();
      if (file) await writeFile(file, JSON.stringify({ traceEvents: events }));
      return events;
    },
  };
}

/** The renderer main thread of the page (the thread with the most RunTask time). */
function mainThread(events) {
  const busy = new Map();
  for (const e of events)
    if (e.name === 'RunTask' && e.dur) {
      const key = `${e.pid}:${e.tid}`;
      busy.set(key, (busy.get(key) ?? 0) + e.dur);
    }
  return [...busy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Trace event names folded into the kinds of work DevTools shows. */
const KIND = [
  [/^(Layout|UpdateLayoutTree|UpdateLayerTree|Layerize|PrePaint)$/, 'layout'],
  [/^(RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation)$/, 'style'],
  [/^(Paint|PaintImage|CompositeLayers|Commit|RasterTask)$/, 'paint'],
  [/GC|^V8\.GC|^MinorGC|^MajorGC|^BlinkGC/, 'gc'],
  [
    /^(FunctionCall|EvaluateScript|v8\.compile|V8\.Execute|TimerFire|FireAnimationFrame|EventDispatch|v8\.run|RunMicrotasks|v8\.callFunction)$/,
    'script',
  ],
];

/**
 * For every task on the main thread longer than `minMs`: its length, where its time went by kind
 * (self time of the trace events inside it, so nested events are not counted twice) and the top
 * JavaScript functions by self time from the sampled CPU profile in the trace.
 */
export function summariseLongTasks(events, minMs = 50) {
  const thread = mainThread(events);
  if (!thread) return [];
  const onThread = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X' && e.dur);
  const tasks = onThread.filter((e) => e.name === 'RunTask' && e.dur >= minMs * 1000);
  const samples = cpuSamples(events, thread);
  return tasks.map((task) => {
    const end = task.ts + task.dur;
    const inside = onThread
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= end)
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    // Self time: an event's duration less that of the events directly inside it.
    const by = {};
    const stack = [];
    const self = new Map();
    for (const e of inside) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent, (self.get(parent) ?? parent.dur) - e.dur);
      self.set(e, e.dur);
      stack.push(e);
    }
    for (const [e, us] of self) {
      const kind = KIND.find(([re]) => re.test(e.name))?.[1] ?? `other:${e.name}`;
      by[kind] = (by[kind] ?? 0) + us / 1000;
    }
    const fnTime = new Map();
    for (const s of samples)
      if (s.ts >= task.ts && s.ts < end) fnTime.set(s.fn, (fnTime.get(s.fn) ?? 0) + s.dt / 1000);
    const functions = [...fnTime.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
    const rounded = Object.fromEntries(
      Object.entries(by)
        .filter(([, ms]) => ms >= 1)
        .sort((a, b) => b[1] - a[1])
        .map(([k, ms]) => [k, Math.round(ms)]),
    );
    return { startUs: task.ts, ms: Math.round(task.dur / 1000), by: rounded, functions };
  });
}

/** The sampled CPU profile in the trace (`ProfileChunk` events) as (time, leaf function, Δt) samples. */
function cpuSamples(events, thread) {
  const [pid, tid] = thread.split(':').map(Number);
  const profiles = new Map();
  for (const e of events) {
    if (e.pid !== pid) continue;
    if (e.name === 'Profile' && e.tid === tid)
      profiles.set(e.id, { start: e.args.data.startTime, nodes: new Map() });
  }
  const samples = [];
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid) continue;
    const profile = profiles.get(e.id);
    if (!profile) continue;
    const data = e.args.data;
    for (const node of data.cpuProfile?.nodes ?? []) {
      const frame = node.callFrame;
      const where = frame.url ? `${frame.url.split('/').pop()}:${frame.lineNumber + 1}` : '';
      profile.nodes.set(node.id, `${frame.functionName || '(anonymous)'} ${where}`.trim());
    }
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    let ts = profile.last ?? profile.start;
    for (let i = 0; i < ids.length; i++) {
      ts += deltas[i] ?? 0;
      samples.push({ ts, fn: profile.nodes.get(ids[i]) ?? '?', dt: Math.max(0, deltas[i + 1] ?? 0) });
    }
    profile.last = ts;
  }
  return samples;
}
