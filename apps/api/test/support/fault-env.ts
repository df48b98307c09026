/**
 * What the fault tests (processes killed, PostgreSQL restarted) share: appending over HTTP while
 * recording what was acknowledged, and reading how far the relay and the projector got.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/event-store/create-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import type { SqlClient } from '../../src/event-store/sql-client.js';
import { meeting } from './http.js';

/** One HTTP append of one event, as a client sees it. */
export interface AppendAttempt {
  status: number;
  retryAfter: string | null;
  /** The event's id and position when it was acknowledged (201). */
  eventId?: string;
  position?: number;
  /** Set when no HTTP answer came at all (connection refused or reset). */
  networkError?: string;
}

export async function appendOne(
  url: string,
  token: string,
  streamId: string,
  title: string,
): Promise<AppendAttempt> {
  try {
    const response = await fetch(`${url}/api/streams/${encodeURIComponent(streamId)}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [meeting({ data: { title, participants: ['David Lammy', 'S Jaishankar'] } })],
      }),
      signal: AbortSignal.timeout(30_000),
    });
    const attempt: AppendAttempt = {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
    };
    const body = (await response.json().catch(() => undefined)) as
      | { events?: Array<{ eventId: string; position: number }> }
      | undefined;
    const first = body?.events?.[0];
    if (response.status === 201 && first) {
      attempt.eventId = first.eventId;
      attempt.position = first.position;
    }
    return attempt;
  } catch (error) {
    return { status: 0, retryAfter: null, networkError: String(error) };
  }
}

/**
 * `workers` clients appending in a loop (each to streams of its own) until `stop()`; every attempt is
 * kept, so a test can say what was acknowledged and what each refusal looked like.
 */
export function appendLoop(
  target: () => { url: string; token: string },
  options: { workers?: number; label: string; pauseMs?: number },
) {
  /** `startedAt`: when the request was sent; `at`: when its answer (or failure) came. */
  const attempts: Array<AppendAttempt & { startedAt: number; at: number }> = [];
  let running = true;
  let counter = 0;
  const workers = Array.from({ length: options.workers ?? 4 }, async (_, w) => {
    while (running) {
      const i = counter++;
      const { url, token } = target();
      const startedAt = Date.now();
      const attempt = await appendOne(url, token, `${options.label}-${w}`, `${options.label} ${i}`);
      attempts.push({ ...attempt, startedAt, at: Date.now() });
      if (attempt.status !== 201) await new Promise((r) => setTimeout(r, options.pauseMs ?? 50));
    }
  });
  return {
    attempts,
    acknowledged: () => attempts.filter((a) => a.status === 201),
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

export interface Progress {
  head: number;
  /** The relay's stored checkpoint. */
  published: number;
  /** The projector's watermark: every position up to it is in the read model. */
  projected: number;
}

/** The store, its SQL client and the progress of relay and projector, opened beside the processes. */
export async function observeStore(databaseUrl: string, topic: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-observe-'));
  const { sql, store }: { sql: SqlClient; store: EventStore } = await openStorage({
    databaseUrl,
    dataDir,
    poolSize: 3,
  });
  return {
    sql,
    store,
    async progress(): Promise<Progress> {
      const [head, published, projected] = await Promise.all([
        store.head(),
        sql
          .query<{ position: number }>('SELECT position FROM relay_checkpoints WHERE name = $1', [topic])
          .then((r) => Number(r.rows[0]?.position ?? 0)),
        sql
          .query<{ position: number }>('SELECT position FROM projected_watermark')
          .then((r) => Number(r.rows[0]?.position ?? 0)),
      ]);
      return { head, published, projected };
    },
    async close() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `work`; if it fails, the error carries the tail of what the process printed. */
export async function withOutputOf<T>(
  api: { output(): { stdout: string; stderr: string } },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { stdout, stderr } = api.output();
    const detail = `\n--- process stdout (tail) ---\n${stdout.slice(-8000)}\n--- stderr (tail) ---\n${stderr.slice(-4000)}`;
    if (error instanceof Error) {
      error.message += detail;
      throw error;
    }
    throw new Error(`${String(error)}${detail}`);
  }
}
