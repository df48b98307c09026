import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OptionValues, stringOption } from './args.js';
import { usageError } from './errors.js';
import { type CliIo, log, resolvePath } from './io.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** What a request needs: reads the read token, writes the write token, administration the admin token. */
export type Access = 'read' | 'write' | 'admin';

export interface Credential {
  token: string;
  /** Where the token came from, for messages (never the token itself). */
  source: string;
}

export interface Connection {
  apiUrl: string;
  credentials: Partial<Record<Access, Credential>>;
}

/**
 * The token a request of this access carries, and no other: the server's admin routes (`/api/admin/*`)
 * take only admin tokens, and a read carries only a read token.
 */
export function credentialFor(connection: Connection, access: Access): Credential | undefined {
  return connection.credentials[access];
}

/** How to pass the token of this access, for messages. */
export const HOW_TO_PASS: Record<Access, string> = {
  read: 'set TIMELINE_READ_TOKEN or pass --read-token-file FILE',
  write:
    'set TIMELINE_TOKEN or pass --token-file FILE (the embedded server writes TIMELINE_DATA_DIR/write-token, ./.data by default)',
  admin:
    'set TIMELINE_ADMIN_TOKEN or pass --admin-token-file FILE (the embedded server writes TIMELINE_DATA_DIR/admin-token)',
};

/**
 * `--api` / TIMELINE_API_URL / http://127.0.0.1:3000, and the tokens: each from its env variable or
 * file (`--token` still works, with a warning: the whole machine sees it in `ps`).
 */
export function resolveConnection(values: OptionValues, io: CliIo): Connection {
  const apiUrl = (stringOption(values, 'api') ?? io.env.TIMELINE_API_URL ?? DEFAULT_API_URL).replace(
    /\/+$/,
    '',
  );
  let url: URL;
  try {
    url = new URL(apiUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw usageError(`--api must be an http(s) URL such as ${DEFAULT_API_URL}, got '${apiUrl}'`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && values['insecure-http'] !== true) {
    throw usageError(
      `refusing plain http:// to ${url.host}: tokens and data would cross the network unencrypted`,
      `use https://${url.host}${url.pathname === '/' ? '' : url.pathname}, or pass --insecure-http if the network between is trusted`,
    );
  }
  const tokenFlag = stringOption(values, 'token');
  if (tokenFlag !== undefined) {
    log(
      io,
      'timeline: warning: --token is visible to every user of this machine in `ps`; set TIMELINE_TOKEN or use --token-file',
    );
  }
  const credentials: Connection['credentials'] = {};
  const write =
    (tokenFlag ? { token: tokenFlag, source: '--token' } : undefined) ??
    fromFile(io, values, 'token-file') ??
    fromEnv(io, 'TIMELINE_TOKEN') ??
    fromDataDir(io, 'write-token');
  const read = fromFile(io, values, 'read-token-file') ?? fromEnv(io, 'TIMELINE_READ_TOKEN');
  const admin =
    fromFile(io, values, 'admin-token-file') ??
    fromEnv(io, 'TIMELINE_ADMIN_TOKEN') ??
    fromDataDir(io, 'admin-token');
  if (write) credentials.write = write;
  if (read) credentials.read = read;
  if (admin) credentials.admin = admin;
  return { apiUrl, credentials };
}

/** This machine: 127.0.0.0/8, ::1 and localhost, where plain http never leaves the host. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function fromEnv(io: CliIo, name: string): Credential | undefined {
  const token = io.env[name]?.trim();
  return token ? { token, source: name } : undefined;
}

/** A token file: named by a flag (missing is an error naming the flag), or the embedded server's (optional). */
function fromFile(io: CliIo, values: OptionValues, flag: string, optional = false): Credential | undefined {
  const path = stringOption(values, flag);
  if (path === undefined) return undefined;
  const file = resolvePath(io, path);
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (optional) return undefined;
    throw usageError(
      `--${flag}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (!token) {
    if (optional) return undefined;
    throw usageError(`--${flag}: ${path} is empty`);
  }
  return { token, source: optional ? file : `--${flag} ${path}` };
}

/** The token file the embedded store writes into its data folder, if it is there. */
const fromDataDir = (io: CliIo, name: string) =>
  fromFile(io, { file: join(resolvePath(io, io.env.TIMELINE_DATA_DIR || './.data'), name) }, 'file', true);
