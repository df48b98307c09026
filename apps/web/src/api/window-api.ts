import type {
  LogHistogramResponse,
  TimelineDiffResponse,
  TimelineOverviewResponse,
  TimelineWindowResponse,
} from '@timeline/shared-types';
import { ApiError } from './api.ts';

/**
 * The reads of the timeline by window (issue 12): a window with a budget, the overview of all valid
 * time, the diff of two positions and the log histogram. Same origin, read-only; an answer without the
 * fields the page relies on is an error.
 */

async function getJson<T>(path: string, check: (body: T) => boolean, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(
      `cannot reach the API (${path}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { message?: unknown } | undefined;
    const detail = typeof body?.message === 'string' ? `: ${body.message}` : '';
    throw new ApiError(`${path} answered ${response.status}${detail}`, response.status);
  }
  const body = (await response.json()) as T;
  if (!check(body)) throw new ApiError(`${path} answered with an unexpected shape`);
  return body;
}

export function fetchWindow(search: URLSearchParams, signal?: AbortSignal): Promise<TimelineWindowResponse> {
  return getJson<TimelineWindowResponse>(
    `/api/timeline?${search}`,
    (b) =>
      Array.isArray(b.items) &&
      typeof b.position === 'number' &&
      (b.mode === 'items' || b.mode === 'buckets'),
    signal,
  );
}

export function fetchOverview(signal?: AbortSignal): Promise<TimelineOverviewResponse> {
  return getJson<TimelineOverviewResponse>(
    '/api/timeline/overview',
    (b) => Array.isArray(b.rows) && typeof b.position === 'number',
    signal,
  );
}

export function fetchDiff(search: URLSearchParams, signal?: AbortSignal): Promise<TimelineDiffResponse> {
  return getJson<TimelineDiffResponse>(
    `/api/timeline/diff?${search}`,
    (b) => Array.isArray(b.added) && Array.isArray(b.changed) && Array.isArray(b.retracted),
    signal,
  );
}

export function fetchLogHistogram(buckets: number, signal?: AbortSignal): Promise<LogHistogramResponse> {
  return getJson<LogHistogramResponse>(
    `/api/log/histogram?buckets=${buckets}`,
    (b) => Array.isArray(b.rows) && typeof b.head === 'number',
    signal,
  );
}
