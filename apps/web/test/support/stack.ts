/**
 * The whole stack for end-to-end tests, screenshots and the render benchmark: the BUILT API
 * (`apps/api/dist/main.js`), which also serves the built web app (`apps/web/dist`) at `/`, on a free
 * port, an embedded PGlite store in a temp folder, and topics of its own on the local Kafka broker
 * (127.0.0.1:9092, `pnpm infra:up`). Apps never import each other, so this is a small launcher of its
 * own rather than the API's test helper.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const missing = [API_MAIN, WEB_DIST_INDEX].filter((file) => !existsSync(file));
  if (missing.length)
    throw new Error(
      `${missing.join(' and ')} missing: run \`pnpm --filter @timeline/api... build && pnpm --filter @timeline/web build\` first`,
    );
}

/** Starts `node apps/api/dist/main.js` on a free port with a fresh store; resolves once it is ready. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  assertBuilt();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-web-e2e-'));
  const webDir = join(dataDir, 'web');
  await copyWebDist(webDir).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const token = randomBytes(16).toString('hex');
  const env: Record<string, string> = {
    // Only what the child needs: nothing leaks in from the runner's TIMELINE_* or DATABASE_URL.
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    TIMELINE_DATA_DIR: dataDir,
    TIMELINE_WRITE_TOKENS: token,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    KAFKA_TOPIC_PREFIX: `web-e2e-${randomBytes(4).toString('hex')}.`,
    TIMELINE_WEB_DIR: webDir,
    ...options.env,
  };
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: API_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const cleanUp = async () => {
    await endChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  let port: number;
  try {
    port = await new Promise<number>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`the API did not listen within ${timeoutMs} ms\n${stdout}\n${stderr}`)),
        timeoutMs,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /"msg":"listening","url":"[^"]*","port":(\d+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          done(Number(match[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the API exited with code ${code} before listening\n${stdout}\n${stderr}`));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${url}/api/health/ready`).catch(() => undefined))?.status === 200,
      timeoutMs,
      () => `the API was not ready within ${timeoutMs} ms\n${stdout}\n${stderr}`,
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
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
    const response = await fetch(`${url}${path}`, { headers: { accept: 'application/json' } });
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
        async () => {
          seen = (await getJson<{ position: number }>(READ_MODEL_POSITION)).position;
          return seen >= target;
        },
        wait,
        () => `the read model stayed at position ${seen}, short of ${target}`,
      );
    },
    output: () => ({ stdout, stderr }),
    stop: cleanUp,
  };
  // The seed is appended on first start; the read model (Kafka projector) follows it.
  await stack.waitForReadModel(undefined, timeoutMs);
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

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  message: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
