import { ApiClient } from './api-client.js';
import type { OptionValues, ParsedCommandLine } from './args.js';
import { resolveConnection } from './connection.js';
import type { CliIo } from './io.js';

export interface CommandContext {
  io: CliIo;
  values: OptionValues;
  positionals: string[];
  /** The API client for `--api` / `--token` (resolved on first use: not every command talks to the API). */
  api(): ApiClient;
  /** Aborted on Ctrl-C, so long commands can end cleanly. */
  signal: AbortSignal;
}

export function createContext(
  io: CliIo,
  parsed: Pick<ParsedCommandLine, 'values' | 'positionals'>,
  signal: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): CommandContext {
  let client: ApiClient | undefined;
  return {
    io,
    values: parsed.values,
    positionals: parsed.positionals,
    signal,
    api() {
      client ??= new ApiClient(resolveConnection(parsed.values, io), fetchImpl);
      return client;
    },
  };
}
