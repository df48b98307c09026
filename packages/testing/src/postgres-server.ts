import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of a test's own: its own data folder and port, so that a test may stop and start
 * it (a database outage) without touching the shared server the other suites use.
 */
export interface PostgresServer {
  port: number;
  dataDir: string;
  /** A connection URL to `database` on this server (trust auth, user postgres). */
  url(database?: string): string;
  /** Starts it again on the same port and folder; resolves once it accepts connections. */
  start(): Promise<void>;
  /** `fast`: disconnects clients and shuts down cleanly; `immediate`: like a crash (recovery on start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops it (immediate) and removes its folder. */
  dispose(): Promise<void>;
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin), or PG_BIN. */
async function serverBin(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = (await readdir(root).catch(() => [] as string[]))
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no PostgreSQL server under ${root}: set PG_BIN`);
  return join(root, majors[0]!, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * initdb into a temp folder and start the server on a free loopback port. PostgreSQL refuses to run as
 * root, so under root its commands run as the `postgres` user, who then owns the folder.
 */
export async function startPostgresServer(label: string): Promise<PostgresServer> {
  const bin = await serverBin();
  const dataDir = await mkdtemp(join(tmpdir(), `timeline-pg-${label}-`));
  const asRoot = process.getuid?.() === 0;
  const exec = (tool: string, args: string[], timeout = 60_000) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout })
      : run(join(bin, tool), args, { timeout });
  if (asRoot) await run('chown', ['postgres:', dataDir]);
  const pgData = join(dataDir, 'data');
  await exec('initdb', ['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '-N']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-h 127.0.0.1',
    `-k ${dataDir}`,
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=60',
  ].join(' ');
  const logFile = join(dataDir, 'server.log');
  const start = async () => {
    await exec('pg_ctl', ['-D', pgData, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await exec('pg_ctl', ['-D', pgData, '-m', mode, '-w', '-t', '60', 'stop']);
  };
  try {
    await start();
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    async dispose() {
      await stop('immediate').catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
