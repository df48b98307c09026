/**
 * The whole stack for end-to-end tests, screenshots and the render benchmark: the BUILT API
 * (`apps/api/dist/main.js`), which also serves the built web app (`apps/web/dist`) at `/`, on a free
 * port, an embedded PGlite store in a temp folder, and topics of its own on the local Kafka broker
 * (127.0.0.1:9092, `pnpm infra:up`). Apps never import each other: the process itself is started by
 * @timeline/testing's `launchApi`, shared with the API's and the CLI's suites; this adds the web app's
 * copy and the HTTP calls the specs make.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBuilt as assertFilesBuilt, type LaunchedApi, launchApi, waitFor } from '@timeline/testing';

const HERE = dirname(fileURLToPath(import.meta.url));
export const WEB_ROOT = resolve(HERE, '../..');
export const API_ROOT = resolve(WEB_ROOT, '../api');
const API_MAIN = join(API_ROOT, 'dist/main.js');
const WEB_DIST_INDEX = join(WEB_ROOT, 'dist/index.html');
/** The read model's position without its items: a stream filter that matches nothing. */
const READ_MODEL_POSITION = '/api/timeline?streams=no-such-stream-e2e';

/** One write event as `POST /api/streams/:streamId/events` takes it. */
export interface NewEvent {
  eventId?: string;
  type: string;
  schemaVersion?: number;
  occurredAt: { start: string; end?: string; precision: 'year' | 'month' | 'day' | 'minute' };
  data: Record<string, unknown>;
  metadata?: { sources: Array<{ publisher: string; title: string; quote: string }> };
}

export interface AppendResult {
  streamId: string;
  streamVersion: number;
  events: Array<{ eventId: string; streamVersion: number; position: number }>;
}

export interface Stack {
  /** `http://127.0.0.1:<port>`: the web app at `/`, the API under `/api`. */
  url: string;
  token: string;
  headers(): Record<string, string>;
  append(streamId: string, events: NewEvent[]): Promise<AppendResult>;
  correct(eventId: string, patch: Record<string, unknown>, reason: string): Promise<AppendResult>;
  retract(eventId: string, reason: string): Promise<AppendResult>;
  /** The log head (`GET /api/events?limit=1` → `head`). */
  head(): Promise<number>;
  /** Resolves once the read model (`GET /api/timeline`) has caught up with `position` (default: the head). */
  waitForReadModel(position?: number, timeoutMs?: number): Promise<void>;
  output(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra environment for the API (e.g. `TIMELINE_RATE_LIMIT: '0'`). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function assertBuilt(): void {
  assertFilesBuilt(
    [API_MAIN, WEB_DIST_INDEX],
    'pnpm --filter @timeline/api... build && pnpm --filter @timeline/web build',
  );
}

/** Starts `node apps/api/dist/main.js` on a free port with a fresh store; resolves once it is ready. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  assertBuilt();
  // Generous: a busy machine (CI beside other work) can take most of a minute to migrate and seed PGlite.
  const timeoutMs = options.timeoutMs ?? 100_000;
  // The data folder also holds the web app's copy, so it is made here rather than by launchApi.
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-web-e2e-'));
  const webDir = join(dataDir, 'web');
  const token = randomBytes(16).toString('hex');
  let api: LaunchedApi;
  try {
    await copyWebDist(webDir);
    api = await launchApi({
      main: API_MAIN,
      label: 'web-e2e',
      timeoutMs,
      env: {
        TIMELINE_DATA_DIR: dataDir,
        TIMELINE_WRITE_TOKENS: token,
        TIMELINE_WEB_DIR: webDir,
        ...options.env,
      },
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const cleanUp = async () => {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const { url } = api;
  const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  async function post(path: string, body: unknown): Promise<AppendResult> {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as AppendResult;
  }
  async function getJson<T>(path: string): Promise<T> {
    // The write token reads too, so the helpers work when reads are closed (TIMELINE_READ_TOKENS).
    const response = await fetch(`${url}${path}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  const stack: Stack = {
    url,
    token,
    headers,
    append: (streamId, events) => post(`/api/streams/${encodeURIComponent(streamId)}/events`, { events }),
    correct: (eventId, patch, reason) => post(`/api/events/${eventId}/corrections`, { patch, reason }),
    retract: (eventId, reason) => post(`/api/events/${eventId}/retraction`, { reason }),
    head: async () => (await getJson<{ head: number }>('/api/events?limit=1')).head,
    async waitForReadModel(position, wait = 60_000) {
      const target = position ?? (await stack.head());
      let seen = -1;
      await waitFor(
        () => `the read model to reach position ${target} (it stayed at ${seen})`,
        async () => {
          // A failed read (the server busy) is one more poll, not the end of the wait.
          const page = await getJson<{ position: number }>(READ_MODEL_POSITION).catch(() => undefined);
          if (page) seen = page.position;
          return seen >= target;
        },
        { timeoutMs: wait, intervalMs: 100 },
      );
    },
    output: () => ({ stdout: api.stdout(), stderr: api.stderr() }),
    stop: cleanUp,
  };
  // The seed is appended on first start; the read model (Kafka projector) follows it.
  try {
    await stack.waitForReadModel(undefined, timeoutMs);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return stack;
}

/**
 * The API serves a private copy of `apps/web/dist`: other work in the tree (a turbo build) may rebuild
 * `dist` in the middle of a run, and a page loaded while it is half-written would never become ready.
 * A copy taken mid-build is noticed (its index.html names assets it lacks) and taken again.
 */
async function copyWebDist(target: string): Promise<void> {
  const source = join(WEB_ROOT, 'dist');
  for (let attempt = 0; ; attempt++) {
    await rm(target, { recursive: true, force: true });
    await cp(source, target, { recursive: true }).catch(() => undefined);
    const html = await readFile(join(target, 'index.html'), 'utf8').catch(() => '');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    if (html && assets.length > 0 && assets.every((a) => existsSync(join(target, a)))) return;
    if (attempt >= 20) throw new Error(`could not copy a complete ${source} (is a build running?)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
