import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * The environment every child starts from: only what it needs to run, so that no TIMELINE_*,
 * DATABASE_URL or KAFKA_* of the test runner leaks into it.
 */
export function childEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env };
}

/** Throws, naming the command that builds them, when any of the built files the tests run is missing. */
export function assertBuilt(files: string[], buildCommand: string): void {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} missing: run \`${buildCommand}\` first`);
}

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <script> <args>` to its end, as a user's shell would, and resolves with its exit code and
 * everything it printed. It waits for `close`, not `exit`, so that output still in the pipes is kept;
 * past `timeoutMs` the child is killed (the code is then null).
 */
export function runNode(
  script: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<NodeRun> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

/**
 * Sends `signal` and resolves with the exit code once the child is gone; a child that ignores SIGTERM
 * for 10 s is killed, so a hung shutdown cannot hang the suite.
 */
export async function endChild(
  child: ChildProcess,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
