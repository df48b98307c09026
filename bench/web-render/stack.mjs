/**
 * The stack the web-render benchmark measures: the BUILT API (`apps/api/dist/main.js`), which also
 * serves the built web app (`apps/web/dist`) at `/`, on a free port, with an embedded PGlite store in a
 * temp folder and Kafka topics of its own on 127.0.0.1:9092.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningPortIn } from '@timeline/testing';
import { REPO_ROOT } from './paths.mjs';

const API_ROOT = join(REPO_ROOT, 'apps/api');
const API_MAIN = join(API_ROOT, 'dist/main.js');
const WEB_INDEX = join(REPO_ROOT, 'apps/web/dist/index.html');
/** The read model's position without its items: a stream filter that matches nothing. */
const READ_MODEL_POSITION = '/api/timeline?streams=no-such-stream-bench';

/**
 * @typedef {object} Stack
 * @property {string} url
 * @property {(streamId: string, events: object[]) => Promise<{events: Array<{eventId: string, position: number}>}>} append
 * @property {() => Promise<number>} head
 * @property {(position: number, timeoutMs?: number) => Promise<void>} waitForReadModel
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<Stack>} */
export async function startStack({ timeoutMs = 90_000, databaseUrl, topicPrefix, seed = true } = {}) {
  for (const file of [
    API_MAIN,
    process.env.WEB_RENDER_DIST ? join(process.env.WEB_RENDER_DIST, 'index.html') : WEB_INDEX,
  ])
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: run \`pnpm --filter @timeline/api... build && pnpm --filter @timeline/web build\``,
      );
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-bench-web-'));
  // A private copy of the built app: a rebuild of apps/web/dist during the run must not break loads.
  const webDir = join(dataDir, 'web');
  await copyWebDist(webDir).catch(async (error) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const token = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: API_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      TIMELINE_DATA_DIR: dataDir,
      TIMELINE_WRITE_TOKENS: token,
      TIMELINE_RATE_LIMIT: '0',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: topicPrefix ?? `bench-web-${randomBytes(4).toString('hex')}.`,
      TIMELINE_SEED: seed ? 'true' : 'false',
      TIMELINE_WEB_DIR: webDir,
      // The scale runs (scale.mjs) fill a PostgreSQL database directly; the default is embedded PGlite.
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`the API did not listen\n${stdout}\n${stderr}`)),
        timeoutMs,
      );
      let listening = false;
      child.stdout.on('data', (chunk) => {
        // Keep only the tail once it listens: the request log grows with every call.
        stdout = (stdout + chunk.toString('utf8')).slice(listening ? -20_000 : 0);
        const port = listening ? undefined : listeningPortIn(stdout);
        if (port !== undefined) {
          listening = true;
          clearTimeout(timer);
          done(port);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the API exited with code ${code}\n${stdout}\n${stderr}`));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    await until(
      async () => (await fetch(`${url}/api/health/ready`).catch(() => undefined))?.status === 200,
      timeoutMs,
      'the API was not ready',
    );
    const getJson = async (path) => (await fetch(`${url}${path}`)).json();
    /** @type {Stack} */
    const stack = {
      url,
      async append(streamId, events) {
        const response = await fetch(`${url}/api/streams/${encodeURIComponent(streamId)}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        const text = await response.text();
        if (response.status !== 201)
          throw new Error(`append answered ${response.status}: ${text.slice(0, 500)}`);
        return JSON.parse(text);
      },
      head: async () => (await getJson('/api/events?limit=1')).head,
      async waitForReadModel(position, wait = 300_000) {
        await until(
          async () =>
            (await getJson(READ_MODEL_POSITION).catch(() => ({ position: -1 }))).position >= position,
          wait,
          `the read model did not reach position ${position}`,
        );
      },
      stop,
    };
    await stack.waitForReadModel(await stack.head(), timeoutMs);
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Copies apps/web/dist (or `WEB_RENDER_DIST`, another build of the app for an A/B run); a copy taken
 * mid-build (index.html naming missing assets) is taken again.
 */
async function copyWebDist(target) {
  const source = process.env.WEB_RENDER_DIST ?? join(REPO_ROOT, 'apps/web/dist');
  for (let attempt = 0; ; attempt++) {
    await rm(target, { recursive: true, force: true });
    await cp(source, target, { recursive: true }).catch(() => undefined);
    const html = await readFile(join(target, 'index.html'), 'utf8').catch(() => '');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    if (html && assets.length > 0 && assets.every((a) => existsSync(join(target, a)))) return;
    if (attempt >= 20) throw new Error(`could not copy a complete ${source} (is a build running?)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function until(check, timeoutMs, message) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 200));
  }
}
