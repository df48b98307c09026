import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from './postgres.js';

/** The api package root: the tests run the BUILT server, `node dist/main.js`, as a user would. */
export const API_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(API_ROOT, 'dist/main.js');

export const TEST_WRITE_TOKEN = 'test-write-token-0123456789abcdef';

export interface RunningApi {
  url: string;
  /** A write token the process accepts. */
  token: string;
  env: Record<string, string>;
  /** `Authorization` and `Content-Type` headers for a write. */
  headers(): Record<string, string>;
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then the exit code (0 for a clean shutdown). */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, for recovery tests. */
  kill(): Promise<void>;
}
export type ApiProcess = RunningApi;

function baseEnv(): Record<string, string> {
  // Only what a child needs: no TIMELINE_* or DATABASE_URL leaks in from the test runner's environment.
  // Each process gets topics of its own unless the test shares them on purpose: API processes of
  // different suites must never consume each other's events.
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'test',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    KAFKA_TOPIC_PREFIX: `test-api-${randomBytes(4).toString('hex')}.`,
  };
}

function assertBuilt(): void {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`pnpm --filter @timeline/api... build\` first`);
}

/**
 * Starts `node dist/main.js` on a free port (PORT=0) and resolves once it logs that it listens.
 * With DATABASE_URL and no TIMELINE_WRITE_TOKENS, TEST_WRITE_TOKEN is configured (the server
 * refuses to start on PostgreSQL without tokens); without TIMELINE_DATA_DIR, a temp folder is used.
 */
export async function startApi(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningApi> {
  assertBuilt();
  const fullEnv: Record<string, string> = { ...baseEnv(), HOST: '127.0.0.1', PORT: '0', ...env };
  if (fullEnv.DATABASE_URL && !fullEnv.TIMELINE_WRITE_TOKENS)
    fullEnv.TIMELINE_WRITE_TOKENS = TEST_WRITE_TOKEN;
  const ownDataDir = fullEnv.TIMELINE_DATA_DIR ? undefined : await mkdtemp(join(tmpdir(), 'timeline-api-'));
  fullEnv.TIMELINE_DATA_DIR ??= ownDataDir!;
  const removeOwnDataDir = async () => {
    if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
  };
  const child = spawn(process.execPath, [MAIN], {
    cwd: API_ROOT,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /"msg":"listening","url":"[^"]*","port":(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with code ${code} before listening\n${stdout}\n${stderr}`));
    });
  });

  // Listening is not ready: wait until the store and the Kafka consumers answer, as a load balancer would.
  const readyDeadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/api/health/ready`)
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) break;
    if (Date.now() > readyDeadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the API listened but was not ready within ${timeoutMs} ms\n${stdout}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const token =
    fullEnv.TIMELINE_WRITE_TOKENS?.split(',')[0]?.trim() ??
    (await readFile(join(fullEnv.TIMELINE_DATA_DIR, 'write-token'), 'utf8')).trim();
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    env,
    headers: () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' }),
    output: () => ({ stdout, stderr }),
    async stop() {
      const code = await endChild(child, 'SIGTERM');
      await removeOwnDataDir();
      return code;
    },
    async kill() {
      await endChild(child, 'SIGKILL');
      await removeOwnDataDir();
    },
  };
}

async function endChild(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function runApiToExit(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  const child = spawn(process.execPath, [MAIN], {
    cwd: API_ROOT,
    env: { ...baseEnv(), PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export type StoreKind = 'pglite' | 'postgres';

/** A fresh, empty store for one suite: a temp data folder (PGlite) or a new database on the local PostgreSQL. */
export async function freshStoreEnv(
  kind: StoreKind,
): Promise<{ env: Record<string, string>; dispose: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-api-'));
  if (kind === 'pglite') {
    return {
      env: { TIMELINE_DATA_DIR: dataDir },
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const db = await createTestDatabase('http');
  return {
    env: { TIMELINE_DATA_DIR: dataDir, DATABASE_URL: db.url, TIMELINE_WRITE_TOKENS: TEST_WRITE_TOKEN },
    async dispose() {
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
