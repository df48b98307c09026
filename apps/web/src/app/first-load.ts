import type { TimelineResponse } from '@timeline/shared-types';
import { ApiError, fetchTimeline } from '../api/api.ts';
import { backoffDelay } from '../live/live-stream.ts';
import type { Shell } from '../ui/shell.ts';
import { askForReadToken } from '../ui/sign-in.ts';
import type { ErrorBanner } from './error-banner.ts';

/**
 * The first read of the read model. While the API is starting (unreachable, or answering 5xx) it is
 * retried with backoff and the page says so; a 4xx is final.
 */
export async function loadTimeline<T = TimelineResponse>(
  shell: Shell,
  errors: ErrorBanner,
  read: () => Promise<T> = fetchTimeline as () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await read();
      errors.clear();
      return response;
    } catch (error) {
      // Reads are closed (TIMELINE_READ_TOKENS) and this browser has no session yet: ask, then retry.
      if (error instanceof ApiError && error.status === 401) {
        shell.status.textContent = 'Read token needed';
        await askForReadToken(shell.error);
        attempt = -1;
        continue;
      }
      if (error instanceof ApiError && error.status !== undefined && error.status < 500) throw error;
      const wait = backoffDelay(attempt, { maxMs: 10_000 });
      errors.show(error, `Waiting for the API (trying again in ${Math.ceil(wait / 1000)} s)`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
