import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { AppConfig } from '../config/config.js';
import { StartupError } from '../config/startup-error.js';
import { frontDoor, type Upstream } from './front-door.js';
import { type PlannedProcess, planProcesses, type RoleCounts } from './process-plan.js';

const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 10_000;
/** A child up this long counts as healthy again: its next crash restarts it after the first delay. */
const STABLE_AFTER_MS = 60_000;

export interface SupervisorOptions {
  /** The built server, `dist/main.js`: every child runs it with one role. */
  main: string;
  /** The supervisor's environment: each child gets it with its role and port on top. */
  env: NodeJS.ProcessEnv;
  config: AppConfig;
  counts: RoleCounts;
  out?: NodeJS.WriteStream;
}

interface Child extends Upstream {
  plan: PlannedProcess;
  process?: ChildProcess;
  startedAt: number;
  restarts: number;
  restartTimer?: NodeJS.Timeout;
  /** Its liveness answered once since it was last launched. */
  everUp?: boolean;
}

/**
 * `pnpm start --processes`: the roles as separate processes over PostgreSQL, one role each, behind
 * one front door on PORT (front-door.ts). Every child's lines are prefixed with its name (`api.1`),
 * or carry it as a `process` field in JSON lines. A child that crashes is started again (after 1 s,
 * doubling to 10 s); a child that fails its own start-up stops everything with its message. Ctrl-C
 * or SIGTERM stops every child cleanly (each writes its checkpoint, leaves its consumer group); if
 * the supervisor itself is killed, each child sees its IPC channel close and stops the same way.
 */
export async function superviseProcesses(options: SupervisorOptions): Promise<void> {
  const { config, env } = options;
  const out = options.out ?? process.stdout;
  if (!config.databaseUrl)
    throw new StartupError(
      '--processes runs each role in its own process, which needs PostgreSQL (the embedded store serves one process): set DATABASE_URL=postgres://…, or run `pnpm start` without --processes',
      'DATABASE_URL',
    );
  const json =
    (env.LOG_FORMAT ?? 'auto').toLowerCase() === 'json' || (!out.isTTY && env.LOG_FORMAT !== 'pretty');
  const log = (msg: string, fields: Record<string, unknown> = {}) =>
    out.write(
      json
        ? `${JSON.stringify({ level: 'info', time: new Date().toISOString(), process: 'supervisor', msg, ...fields })}\n`
        : `${'[supervisor]'.padEnd(14)} ${msg}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}\n`,
    );

  const plan = planProcesses(options.counts, config.port, config.seed);
  if (config.port === 0) {
    for (const p of plan) {
      p.port = await freePort(config.host);
      p.env.PORT = String(p.port);
    }
  }
  const connectHost = ['0.0.0.0', '::', '[::]'].includes(config.host) ? '127.0.0.1' : config.host;
  const children: Child[] = plan.map((p) => ({
    plan: p,
    role: p.role,
    host: connectHost,
    port: p.port,
    up: false,
    startedAt: 0,
    restarts: 0,
  }));
  // Read sessions are signed with it: a cookie the api process issued must pass at a gateway.
  const sessionSecret = env.TIMELINE_SESSION_SECRET || randomBytes(32).toString('hex');
  const childEnv = (p: PlannedProcess): NodeJS.ProcessEnv => ({
    ...env,
    ...p.env,
    TIMELINE_SESSION_SECRET: sessionSecret,
    // The front door is a proxy on loopback: the children take the client's address from it.
    TIMELINE_TRUSTED_PROXIES: env.TIMELINE_TRUSTED_PROXIES || '127.0.0.1',
    LOG_FORMAT: json ? 'json' : env.LOG_FORMAT || 'pretty',
  });

  let stopping = false;
  let failure: string | undefined;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const launch = (child: Child) => {
    const running = spawn(process.execPath, [options.main], {
      env: childEnv(child.plan),
      // The IPC channel carries nothing: it closes when this process dies (even by SIGKILL), and the
      // child then stops on its own (main.ts) instead of living on as an orphan.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.process = running;
    child.startedAt = Date.now();
    child.everUp = false;
    // Piped above, so never null (the typings cannot tell once an 'ipc' entry is in the list).
    prefixLines(running.stdout as Readable, out, child.plan.name, json);
    prefixLines(running.stderr as Readable, process.stderr, child.plan.name, json);
    void watchLiveness(child, running, () => stopping);
    running.once('exit', (code, signal) => {
      child.up = false;
      if (stopping) return;
      const upFor = Date.now() - child.startedAt;
      if (code === 1 && child.restarts === 0 && upFor < 30_000 && !child.everUp) {
        failure = `${child.plan.name} could not start (exit code 1): see its lines above`;
        void stopAll();
        return;
      }
      if (upFor > STABLE_AFTER_MS) child.restarts = 0;
      const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** child.restarts);
      child.restarts += 1;
      log(`${child.plan.name} exited (${signal ?? `code ${code}`}); starting it again in ${delay} ms`, {
        child: child.plan.name,
      });
      child.restartTimer = setTimeout(() => launch(child), delay);
    });
  };

  const door = frontDoor(children);
  const stopAll = async (signal?: string) => {
    if (stopping) return;
    stopping = true;
    log(signal ? `${signal}: stopping every process` : 'stopping every process');
    door.close();
    for (const child of children) clearTimeout(child.restartTimer);
    const bound = config.limits.shutdownTimeoutMs + 2_000;
    await Promise.all(children.map((child) => endChild(child.process, bound)));
    log('stopped');
    finish();
  };
  process.once('SIGINT', () => void stopAll('SIGINT'));
  process.once('SIGTERM', () => void stopAll('SIGTERM'));

  for (const child of children) launch(child);
  await new Promise<void>((resolve, reject) => {
    door.once('error', reject);
    door.listen(config.port, config.host, () => resolve());
  }).catch(async (error: NodeJS.ErrnoException) => {
    await stopAll();
    throw error.code === 'EADDRINUSE'
      ? new StartupError(`port ${config.port} on ${config.host} is already in use`, 'PORT')
      : error;
  });
  const address = door.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log('listening', {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    port,
    processes: children.map((c) => `${c.plan.name}:${c.port}`).join(' '),
  });
  await finished;
  if (failure) throw new StartupError(failure);
}

/** Marks the child up once its `/api/health/live` answers, so the front door sends it requests. */
async function watchLiveness(child: Child, running: ChildProcess, stopping: () => boolean): Promise<void> {
  while (!stopping() && running.exitCode === null && running.signalCode === null) {
    const live = await fetch(`http://${child.host}:${child.port}/api/health/live`)
      .then((r) => r.ok)
      .catch(() => false);
    if (child.process !== running) return;
    child.up = live;
    if (live) child.everUp = true;
    await new Promise((r) => setTimeout(r, live ? 2_000 : 250));
  }
}

function prefixLines(
  from: NodeJS.ReadableStream,
  to: NodeJS.WritableStream,
  name: string,
  json: boolean,
): void {
  const prefix = `[${name}]`.padEnd(14);
  createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
    if (json && line.startsWith('{')) to.write(`{"process":${JSON.stringify(name)},${line.slice(1)}\n`);
    else to.write(`${prefix} ${line}\n`);
  });
}

/** SIGTERM, then SIGKILL past `boundMs`; resolves once the child is gone. */
async function endChild(child: ChildProcess | undefined, boundMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
  await exited;
  clearTimeout(timer);
}

/** A port nobody listens on now (PORT=0: tests and several supervisors on one machine). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
