import { describe, expect, it } from 'vitest';
import { TimelineMetrics } from './metrics.js';

describe('the metrics of a process', () => {
  it('shows the metrics of its roles only, and names them', async () => {
    const gateway = await new TimelineMetrics(new Set(['gateway'])).scrape();
    expect(gateway).toContain('timeline_role{role="gateway"} 1');
    expect(gateway).toContain('timeline_sse_clients');
    expect(gateway).toContain('timeline_store_head_position');
    // No metric of another role, the relay's and the api's counters included.
    expect(gateway).not.toMatch(/timeline_(relay|projector|append|dlq)/);
    expect(gateway).not.toContain('timeline_projector_lag_events');
    expect(gateway).not.toContain('timeline_role{role="api"}');

    const all = await new TimelineMetrics().scrape();
    for (const name of ['timeline_relay_active', 'timeline_projector_lag_events', 'timeline_sse_clients'])
      expect(all).toContain(name);
  });

  it('samples every role before a scrape; a failing sampler leaves the last value', async () => {
    const metrics = new TimelineMetrics(new Set(['projector']));
    metrics.onScrape(async () => metrics.projectorLag.set(7));
    metrics.onScrape(async () => {
      throw new Error('store down');
    });
    expect(await metrics.scrape()).toContain('timeline_projector_lag_events 7');
  });
});
