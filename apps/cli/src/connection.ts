import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringOption, type ParsedCommandLine } from './args.js';
import { usageError } from './errors.js';
import { type CliIo, resolvePath } from './io.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface Connection {
  apiUrl: string;
  token: string | undefined;
  /** Where the token came from, for messages (never the token itself). */
  tokenSource: string;
}

/**
 * `--api` / TIMELINE_API_URL / http://127.0.0.1:3000, and `--token` / TIMELINE_TOKEN / the token the
 * embedded server wrote to `${TIMELINE_DATA_DIR:-./.data}/write-token`.
 */
export function resolveConnection(values: ParsedCommandLine['values'], io: CliIo): Connection {
  const apiUrl = (stringOption(values, 'api') ?? io.env.TIMELINE_API_URL ?? DEFAULT_API_URL).replace(
    /\/+$/,
    '',
  );
  try {
    const url = new URL(apiUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw usageError(`--api must be an http(s) URL such as ${DEFAULT_API_URL}, got '${apiUrl}'`);
  }
  const flag = stringOption(values, 'token');
  if (flag) return { apiUrl, token: flag, tokenSource: '--token' };
  if (io.env.TIMELINE_TOKEN) return { apiUrl, token: io.env.TIMELINE_TOKEN, tokenSource: 'TIMELINE_TOKEN' };
  const file = join(resolvePath(io, io.env.TIMELINE_DATA_DIR || './.data'), 'write-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token) return { apiUrl, token, tokenSource: file };
  } catch {
    // no embedded token: writes will say how to pass one
  }
  return { apiUrl, token: undefined, tokenSource: 'none' };
}
