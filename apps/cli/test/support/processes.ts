import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBuilt, KAFKA_BROKERS_SETTING, launchApi, poller, runNode } from '@timeline/testing';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLI_MAIN = join(REPO_ROOT, 'apps/cli/dist/main.js');
/** The built server, as a user runs it; TIMELINE_API_MAIN points elsewhere (e.g. a build under test). */
export const API_MAIN = process.env.TIMELINE_API_MAIN ?? join(REPO_ROOT, 'apps/api/dist/main.js');
/** As the CLI's and the API's KAFKA_BROKERS setting takes it (comma-separated). */
export const KAFKA_BROKERS = KAFKA_BROKERS_SETTING;
export const TEST_TOKEN = 'cli-test-token-0123456789abcdef';

export interface RunningApi {
  url: string;
  topicPrefix: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node apps/api/dist/main.js` on a free port with an embedded store in a temp folder, no seed
 * and no rate limit, and resolves once it is ready (@timeline/testing's `launchApi`).
 */
export async function startApi(env: Record<string, string> = {}, timeoutMs = 90_000): Promise<RunningApi> {
  assertBuilt([API_MAIN, CLI_MAIN], 'pnpm --filter @timeline/cli... --filter @timeline/api... build');
  const api = await launchApi({
    main: API_MAIN,
    label: 'cli',
    timeoutMs,
    env: { TIMELINE_WRITE_TOKENS: TEST_TOKEN, TIMELINE_SEED: 'false', TIMELINE_RATE_LIMIT: '0', ...env },
  });
  return {
    url: api.url,
    topicPrefix: api.topicPrefix,
    dataDir: api.dataDir,
    output: api.log,
    async stop() {
      await api.stop();
    },
  };
}

/** What a CLI run needs to reach this API and its topics with the test's write token. */
export function cliEnv(api: RunningApi): Record<string, string> {
  return {
    TIMELINE_API_URL: api.url,
    TIMELINE_TOKEN: TEST_TOKEN,
    KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: api.topicPrefix,
  };
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
  return runNode(CLI_MAIN, args, {
    cwd: options.cwd ?? tmpdir(),
    env: options.env ?? {},
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}

/** Polls `probe` every 200 ms until it returns a value (not undefined/false); throws after `timeoutMs` (60 s). */
export const waitFor = poller({ timeoutMs: 60_000, intervalMs: 200 });
