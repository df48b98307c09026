import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { childEnv, endChild, type NodeRun, runNode } from './node-process.js';
import { KAFKA_BROKERS_SETTING, uniqueTopicPrefix } from './topics.js';
import { waitFor } from './wait.js';

/**
 * The port from the JSON line the server logs once its HTTP listener is bound (stdout is not a
 * terminal here, so its log is JSON lines); with PORT=0 it is how the port is learnt.
 */
export function listeningPortIn(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('"listening"')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
      if (entry.msg === 'listening' && typeof entry.port === 'number') return entry.port;
    } catch {
      // a line cut by the chunk boundary; the next chunk completes it
    }
  }
  return undefined;
}

export interface LaunchApiOptions {
  /** The built server, `apps/api/dist/main.js`: tests run it as a user would. It runs in its package root. */
  main: string;
  /**
   * Names the suite in what the process is given of its own: the topic prefix
   * (`test-<label>-<random>.`) and the temp data folder (`timeline-<label>-…`).
   */
  label: string;
  /** Settings over the defaults of `apiEnv`; a TIMELINE_DATA_DIR given here is neither created nor removed. */
  env?: Record<string, string>;
  /** For listening, then again for being ready (default 60 s). */
  timeoutMs?: number;
  /** Command-line arguments, e.g. `--processes --api 2` for the supervisor. */
  args?: string[];
}

export interface LaunchedApi {
  url: string;
  port: number;
  /** The whole environment the process runs with. */
  env: Record<string, string>;
  topicPrefix: string;
  dataDir: string;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved as they arrived. */
  log(): string;
  /** SIGTERM (SIGKILL after 10 s), then the exit code; removes the data folder it made. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, for recovery tests; removes the data folder it made. */
  kill(): Promise<void>;
}

/**
 * The API's settings for a test process: a free port on loopback and topics of its own, so that API
 * processes of different suites never consume each other's events (a test that wants two processes on
 * the same topics passes the same KAFKA_TOPIC_PREFIX to both).
 */
export function apiEnv(label: string, env: Record<string, string> = {}): Record<string, string> {
  return childEnv({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    KAFKA_BROKERS: KAFKA_BROKERS_SETTING,
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(label),
    ...env,
  });
}

/**
 * Starts the built API and resolves once `/api/health/ready` answers 200: listening is not ready, the
 * store and the Kafka consumers must answer too, as a load balancer would wait for. A process that
 * exits, or is not ready in time, is killed and the start rejects with everything it printed.
 */
export async function launchApi(options: LaunchApiOptions): Promise<LaunchedApi> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env = apiEnv(options.label, options.env);
  const ownDataDir = env.TIMELINE_DATA_DIR
    ? undefined
    : await mkdtemp(join(tmpdir(), `timeline-${options.label}-`));
  if (ownDataDir) env.TIMELINE_DATA_DIR = ownDataDir;

  const child = spawn(process.execPath, [options.main, ...(options.args ?? [])], {
    cwd: dirname(dirname(options.main)),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    log += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    log += chunk;
  });
  const printed = () => `\n${stdout}\n${stderr}`;
  const end = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const code = await endChild(child, signal);
    if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
    return code;
  };

  let port: number;
  try {
    port = await listeningPort(child, () => stdout, timeoutMs, printed);
    await waitFor(
      () => `the API to be ready within ${timeoutMs} ms${printed()}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the API exited with code ${child.exitCode} before it was ready${printed()}`);
        const status = await fetch(`http://127.0.0.1:${port}/api/health/ready`)
          .then((r) => r.status)
          .catch(() => 0);
        return status === 200;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await end('SIGKILL');
    throw error;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    env,
    topicPrefix: env.KAFKA_TOPIC_PREFIX!,
    dataDir: env.TIMELINE_DATA_DIR!,
    stdout: () => stdout,
    stderr: () => stderr,
    log: () => log,
    stop: () => end('SIGTERM'),
    kill: async () => void (await end('SIGKILL')),
  };
}

function listeningPort(
  child: ChildProcess,
  stdout: () => string,
  timeoutMs: number,
  printed: () => string,
): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the API did not listen within ${timeoutMs} ms${printed()}`)),
      timeoutMs,
    );
    const onData = () => {
      const port = listeningPortIn(stdout());
      if (port === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolvePort(port);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with code ${code} before listening${printed()}`));
    };
    // Registered after launchApi's own listener, so the chunk is already in `stdout`.
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Runs the built API expecting it to refuse to start (a bad setting) and resolves with its exit code
 * and output. No temp data folder: the settings under test decide where it would write.
 */
export function runApiToExit(
  main: string,
  label: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<NodeRun> {
  return runNode(main, [], { cwd: dirname(dirname(main)), env: apiEnv(label, env), timeoutMs });
}
