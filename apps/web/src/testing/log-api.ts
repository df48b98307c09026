import type { EventEnvelope, LogPage } from '@timeline/shared-types';

/**
 * GET /api/events over a list of events, as the API pages it; `calls` records each `after` asked for.
 * `events` may grow during a test, as the log does.
 */
export function fakeLogApi(events: EventEnvelope[]) {
  const calls: number[] = [];
  const fetchPage = async (after: number, limit: number): Promise<LogPage> => {
    calls.push(after);
    const page = events.filter((e) => e.position > after).slice(0, limit);
    return { events: page, nextAfter: page.at(-1)?.position ?? after, head: events.at(-1)?.position ?? 0 };
  };
  return { fetchPage, calls };
}
