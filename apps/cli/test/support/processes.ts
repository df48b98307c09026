import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLI_MAIN = join(REPO_ROOT, 'apps/cli/dist/main.js');
/** The built server, as a user runs it; TIMELINE_API_MAIN points elsewhere (e.g. a build under test). */
export const API_MAIN = process.env.TIMELINE_API_MAIN ?? join(REPO_ROOT, 'apps/api/dist/main.js');
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const TEST_TOKEN = 'cli-test-token-0123456789abcdef';

export interface RunningApi {
  url: string;
  topicPrefix: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node apps/api/dist/main.js` on a free port with an embedded store in a temp folder. */
export async function startApi(env: Record<string, string> = {}, timeoutMs = 90_000): Promise<RunningApi> {
  for (const file of [API_MAIN, CLI_MAIN]) {
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: run \`pnpm --filter @timeline/cli... --filter @timeline/api... build\``,
      );
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-cli-api-'));
  const topicPrefix = `test-cli-${randomBytes(4).toString('hex')}.`;
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: dirname(dirname(API_MAIN)),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      HOST: '127.0.0.1',
      PORT: '0',
      TIMELINE_DATA_DIR: dataDir,
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      TIMELINE_WRITE_TOKENS: TEST_TOKEN,
      TIMELINE_SEED: 'false',
      TIMELINE_RATE_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the API did not start within ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /"msg":"listening","url":"[^"]*","port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the API exited with code ${code} before listening\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    topicPrefix,
    dataDir,
    output: () => output,
    async stop() {
      await end(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `timeline <args>` as a child process, as a script would. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...options.env },
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
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
