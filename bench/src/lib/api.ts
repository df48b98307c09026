import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { API_MAIN, KAFKA_BROKERS, REPO_ROOT } from './env.js';
import { say } from './report.js';

export interface ApiProcess {
  pid: number;
  port: number;
  baseUrl: string;
  token: string;
  child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartApiOptions {
  /** PostgreSQL store; without it, PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  topicPrefix: string;
  env?: Record<string, string>;
  /** Extra node flags (e.g. `--cpu-prof` to see where the API spends its time). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  /**
   * What to wait for: `ready` (store open, Kafka consumers running; the default) or `live` (HTTP up),
   * for an API whose broker is unreachable on purpose and so never becomes ready.
   */
  waitFor?: 'ready' | 'live';
  /** Called as soon as the process exists (before it is ready). */
  onSpawn?: (pid: number) => void;
  /** The script to run instead of `apps/api/dist/main.js` (bench:http-stack's Fastify boot). */
  entry?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `apps/api/dist/main.js` as a child process on a free port and waits until
 * `GET /api/health/ready` answers 200 (store open, Kafka consumers running).
 */
export async function startApi(options: StartApiOptions): Promise<ApiProcess> {
  if (!existsSync(API_MAIN)) {
    throw new Error(`${API_MAIN} is missing: build first (pnpm --filter @timeline/api... build)`);
  }
  const port = await freePort();
  const token = randomBytes(16).toString('hex'); // 32 characters
  const env: Record<string, string> = {};
  // Nothing from the caller's shell configures the API by accident.
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('TIMELINE_') || key.startsWith('KAFKA')) continue;
    if (['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL'].includes(key)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    TIMELINE_WRITE_TOKENS: token,
    TIMELINE_RATE_LIMIT: '0',
    TIMELINE_SEED: 'false',
    KAFKA_BROKERS: KAFKA_BROKERS.join(','),
    KAFKA_TOPIC_PREFIX: options.topicPrefix,
    LOG_LEVEL: 'warn',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.dataDir ? { TIMELINE_DATA_DIR: options.dataDir } : {}),
    ...options.env,
  });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry ?? API_MAIN], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exited = code;
      resolve();
    });
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited !== undefined) {
      throw new Error(
        `the API exited with code ${exited} before it was ready:\n${lines.slice(-30).join('\n')}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API was not ready in time:\n${lines.slice(-30).join('\n')}`);
    }
    const ok = await fetch(`${baseUrl}/api/health/${options.waitFor ?? 'ready'}`)
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      })
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    pid: child.pid!,
    port,
    baseUrl,
    token,
    child,
    logs: () => lines.join('\n'),
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        say('api', 'did not stop within 20 s of SIGTERM; killing it');
        child.kill('SIGKILL');
      }, 20_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

export interface PipelinePositions {
  head: number;
  published: number;
  projected: number;
}

/** Store head, relay checkpoint and projector watermark, from the API's `/metrics`. */
export async function pipelinePositions(baseUrl: string): Promise<PipelinePositions> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const gauge = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    head: gauge('timeline_store_head_position'),
    published: gauge('timeline_relay_published_position'),
    projected: gauge('timeline_projector_position'),
  };
}

/** The positions across processes whose roles are apart: each gauge from the process that reports it. */
async function pipelinePositionsOf(baseUrls: readonly string[]): Promise<PipelinePositions> {
  const all = await Promise.all(baseUrls.map(pipelinePositions));
  const highest = (key: keyof PipelinePositions) =>
    Math.max(...all.map((p) => p[key]).filter(Number.isFinite));
  return { head: highest('head'), published: highest('published'), projected: highest('projected') };
}

/**
 * Waits until the relay has published and the projector applied everything appended so far, so the
 * background work of one measurement does not run into the next. Returns the milliseconds it took.
 * With the roles apart, pass every process's URL: each gauge is read where it is reported.
 */
export async function waitForPipeline(
  baseUrl: string | readonly string[],
  timeoutMs = 180_000,
): Promise<number> {
  const t0 = performance.now();
  const urls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  for (;;) {
    const p = await pipelinePositionsOf(urls);
    if (p.published >= p.head && p.projected >= p.head) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > timeoutMs) {
      say('api', `pipeline still behind after ${timeoutMs} ms: ${JSON.stringify(p)}`);
      return Math.round(performance.now() - t0);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
