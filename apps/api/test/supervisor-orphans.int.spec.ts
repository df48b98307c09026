/**
 * `pnpm start --processes` when the supervisor itself dies by SIGKILL (no chance to stop its children):
 * every role process notices its IPC channel close and stops on its own, instead of living on as an
 * orphan holding ports, the relay lock and consumer-group seats.
 */
import { join } from 'node:path';
import { launchApi, waitFor as waitUntil } from '@timeline/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { API_ROOT, TEST_WRITE_TOKEN } from './support/api-process.js';
import { deleteTopicsWithPrefix, waitFor } from './support/kafka.js';
import { createTestDatabase } from './support/postgres.js';
import { childPids } from './support/role-process-log.js';

const MAIN = join(API_ROOT, 'dist/main.js');
const STARTUP_MS = 180_000;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('pnpm start --processes: the supervisor killed by SIGKILL', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => cleanup?.(), 60_000);

  it(
    'every role process stops on its own',
    async () => {
      const db = await createTestDatabase('orphans');
      const supervisor = await launchApi({
        main: MAIN,
        label: 'orphans',
        args: ['--processes'],
        env: {
          DATABASE_URL: db.url,
          TIMELINE_WRITE_TOKENS: TEST_WRITE_TOKEN,
          TIMELINE_SEED: 'false',
          LOG_FORMAT: 'json',
        },
        timeoutMs: STARTUP_MS,
      });
      let pids = new Map<string, number>();
      cleanup = async () => {
        for (const pid of pids.values()) if (alive(pid)) process.kill(pid, 'SIGKILL');
        await db.drop();
        await deleteTopicsWithPrefix(supervisor.topicPrefix);
      };
      await waitFor(
        'a pid from each of the four role processes',
        async () => {
          pids = childPids(supervisor.stdout());
          return ['api.1', 'relay.1', 'projector.1', 'gateway.1'].every((name) => pids.has(name));
        },
        STARTUP_MS,
      );
      expect([...pids.values()].every(alive)).toBe(true);

      await supervisor.kill();
      await waitUntil(
        () =>
          `every role process to stop (still running: ${[...pids].filter(([, pid]) => alive(pid)).map(([n]) => n)})`,
        async () => [...pids.values()].every((pid) => !alive(pid)),
        { timeoutMs: 30_000 },
      );
    },
    STARTUP_MS + 60_000,
  );
});
