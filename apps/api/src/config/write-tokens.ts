import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AppConfig } from './config.js';
import { StartupError } from './startup-error.js';

export interface ResolvedWriteTokens {
  tokens: string[];
  /** Set when the token was generated for the embedded store: where it is, never what it is. */
  generatedFile?: string;
}

export const WRITE_TOKEN_FILE = 'write-token';

/**
 * Writes need a token. Configured tokens win. An embedded store with none configured gets one
 * random token, created once in the data folder (mode 0600) so restarts keep it. A shared
 * PostgreSQL store without tokens is refused: a server others reach must not run open or with a
 * token nobody chose.
 */
export async function resolveWriteTokens(config: AppConfig): Promise<ResolvedWriteTokens> {
  if (config.writeTokens.length > 0) return { tokens: config.writeTokens };
  if (config.databaseUrl) {
    throw new StartupError(
      'TIMELINE_WRITE_TOKENS must be set when DATABASE_URL is set: give one or more comma-separated tokens of at least 16 characters (e.g. from `openssl rand -hex 32`)',
      'TIMELINE_WRITE_TOKENS',
    );
  }
  const dir = resolve(config.dataDir);
  const file = join(dir, WRITE_TOKEN_FILE);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const token = (await readFile(file, 'utf8')).trim();
  if (token.length < 16) {
    throw new StartupError(
      `${file} holds no usable token (at least 16 characters); delete it to have a new one made`,
    );
  }
  // Tighten a file someone loosened by hand; the token is a credential.
  await chmod(file, 0o600);
  return { tokens: [token], generatedFile: file };
}
