import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBuilt, launchApi, runApiToExit as runToExit } from '@timeline/testing';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase } from './postgres.js';

/** The api package root: the tests run the BUILT server, `node dist/main.js`, as a user would. */
export const API_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(API_ROOT, 'dist/main.js');
const BUILD = 'pnpm --filter @timeline/api... build';

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

/**
 * Starts `node dist/main.js` on a free port (PORT=0) with topics of its own and resolves once it is
 * ready (@timeline/testing's `launchApi`). With DATABASE_URL and no TIMELINE_WRITE_TOKENS,
 * TEST_WRITE_TOKEN is configured (the server refuses to start on PostgreSQL without tokens); without
 * TIMELINE_DATA_DIR, a temp folder is used.
 */
export async function startApi(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningApi> {
  assertBuilt([MAIN], BUILD);
  const settings = { ...env };
  if (settings.DATABASE_URL && !settings.TIMELINE_WRITE_TOKENS)
    settings.TIMELINE_WRITE_TOKENS = TEST_WRITE_TOKEN;
  const api = await launchApi({ main: MAIN, label: 'api', env: settings, timeoutMs });
  let token: string;
  try {
    // Without configured tokens the server makes one and keeps it in its data folder.
    token =
      api.env.TIMELINE_WRITE_TOKENS?.split(',')[0]?.trim() ??
      (await readFile(join(api.dataDir, 'write-token'), 'utf8')).trim();
  } catch (error) {
    await api.kill();
    throw error;
  }
  return {
    url: api.url,
    token,
    env,
    headers: () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' }),
    output: () => ({ stdout: api.stdout(), stderr: api.stderr() }),
    stop: api.stop,
    kill: api.kill,
  };
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function runApiToExit(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt([MAIN], BUILD);
  return runToExit(MAIN, 'api', env, timeoutMs);
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

/**
 * The built API on a fresh store of `kind`, for the enclosing suite: started before its tests, stopped
 * (and the store dropped) after them. `restart` replaces it with one on the same store with `env` added.
 */
export function apiForSuite(kind: StoreKind, env: Record<string, string> = {}) {
  let running: RunningApi | undefined;
  let store: Awaited<ReturnType<typeof freshStoreEnv>> | undefined;
  beforeAll(async () => {
    store = await freshStoreEnv(kind);
    running = await startApi({ ...store.env, ...env });
  });
  afterAll(async () => {
    await running?.stop();
    await store?.dispose();
  });
  return {
    get api(): RunningApi {
      if (!running) throw new Error('the API is not started yet: use it inside a test or hook');
      return running;
    },
    get storeEnv(): Record<string, string> {
      if (!store) throw new Error('the store is not open yet: use it inside a test or hook');
      return store.env;
    },
    async restart(more: Record<string, string>): Promise<RunningApi> {
      await running?.stop();
      running = await startApi({ ...this.storeEnv, ...more });
      return running;
    },
  };
}
