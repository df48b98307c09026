import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { CliError, EXIT } from './errors.js';

/** What a command may touch of the outside world; the tests hand in their own. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Relative paths (files, the data folder) are resolved against this. */
  cwd: string;
}

/**
 * The folder the user typed the command in. `pnpm timeline …` runs the CLI from apps/cli, and pnpm
 * passes the folder it was started in as INIT_CWD; anywhere else the process's own cwd is it.
 */
export function userCwd(env: NodeJS.ProcessEnv, processCwd: string): string {
  return env.npm_lifecycle_event === 'timeline' && env.INIT_CWD ? env.INIT_CWD : processCwd;
}

export function resolvePath(io: Pick<CliIo, 'cwd'>, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** Writes a chunk and waits for the stream to drain when it asks to, so output never piles up in memory. */
export function write(stream: Writable, chunk: string): Promise<void> | undefined {
  if (stream.write(chunk)) return undefined;
  return new Promise((done, fail) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onDrain);
    };
    const onDrain = () => {
      cleanup();
      done();
    };
    const onError = (error: Error) => {
      cleanup();
      fail(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
    stream.once('close', onDrain);
  });
}

/** Where a command's data goes: stdout, or a file that appears whole (written beside, then renamed). */
export interface Output {
  write(chunk: string): Promise<void>;
  /** Finishes the file; `ok: false` removes the partial one. */
  close(ok: boolean): Promise<void>;
}

export function openOutput(io: CliIo, path: string | undefined): Output {
  if (path === undefined || path === '-') {
    return {
      write: async (chunk) => {
        await write(io.stdout, chunk);
      },
      close: async () => undefined,
    };
  }
  const target = resolvePath(io, path);
  const partial = `${target}.partial-${process.pid}`;
  const file = createWriteStream(partial, { encoding: 'utf8' });
  const opened = new Promise<void>((done, fail) => {
    file.once('open', () => done());
    file.once('error', fail);
  });
  return {
    async write(chunk) {
      await opened;
      await write(file, chunk);
    },
    async close(ok) {
      await new Promise<void>((done) => file.end(done));
      if (ok) await rename(partial, target);
      else await rm(partial, { force: true });
    },
  };
}

export function log(io: Pick<CliIo, 'stderr'>, message: string): void {
  io.stderr.write(`${message}\n`);
}

/** Reads a file the user named; a missing or unreadable file is a usage error naming it. */
export async function readInputFile(io: Pick<CliIo, 'cwd'>, path: string): Promise<string> {
  try {
    return await readFile(resolvePath(io, path), 'utf8');
  } catch (error) {
    throw new CliError(
      EXIT.usage,
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Text safe to print on a terminal: control characters (escape sequences, line breaks) become spaces. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? ' ' : ch;
  }
  return out;
}

/** Event text on one terminal line: printable, with runs of whitespace (line breaks included) as one space. */
export function oneLine(text: string): string {
  return printable(text).replace(/\s+/g, ' ').trim();
}
