/**
 * One measured page load in the browser: the script installed before the page's own, the in-page probes
 * that find what to click, and the load-click-wait sequence itself.
 */

const RUN_TIMEOUT_MS = 180_000;

/**
 * Runs in every page before its own scripts. `firstItem`: the first `.vis-item` element in the DOM, or
 * the first density bar drawn on the app's canvas (`.tl-bars`, whose `data-bars` counts them), whichever
 * comes first (a MutationObserver; its callback runs at the end of the task that inserted or drew it). `ready`: the app's
 * `window.__timeline.ready` resolved (the bare page sets it itself once its Timeline is constructed).
 * `clickAt`: the timestamp of the harness's pointerdown; `handled`: when the click reached a listener;
 * `response`: when the page showed the answer (set by the harness's observer or the bare page).
 */
const INIT = `(() => {
  const b = (window.__bench = { longTasks: 0, longTaskMs: 0 });
  const mo = new MutationObserver(() => {
    if (b.firstItem === undefined && document.querySelector('.vis-item, .tl-bars:not([data-bars="0"])')) {
      b.firstItem = performance.now();
      mo.disconnect();
    }
  });
  mo.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-bars'] });
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
export async function measure(context, url, { app, clickItem }) {
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
