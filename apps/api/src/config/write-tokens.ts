import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AppConfig } from './config.js';
import { StartupError } from './startup-error.js';

export interface ResolvedCredentials {
  writeTokens: string[];
  /** Undefined: no admin token (PostgreSQL without TIMELINE_ADMIN_TOKENS): /api/admin/* answers 403. */
  adminTokens: string[] | undefined;
  /** Signs read sessions (http/security/read-session.ts). */
  sessionSecret: Buffer;
  /** Files made for the embedded store, by what they hold: where each is, never what it holds. */
  generatedFiles: Partial<Record<'writeToken' | 'adminToken' | 'sessionSecret', string>>;
}

export const WRITE_TOKEN_FILE = 'write-token';
export const ADMIN_TOKEN_FILE = 'admin-token';
export const SESSION_SECRET_FILE = 'session-secret';

/**
 * Writes and administration need tokens. Configured tokens win. An embedded store with none
 * configured gets random ones, created once in the data folder (mode 0600) so restarts keep them. A
 * shared PostgreSQL store without write tokens is refused: a server others reach must not run open or
 * with a token nobody chose; without admin tokens it runs with administration closed.
 *
 * The session secret: TIMELINE_SESSION_SECRET, else a file beside the tokens (embedded), else a
 * random one in memory (PostgreSQL: sessions then last as long as the process and work only on it;
 * set the variable to share them between processes).
 */
export async function resolveCredentials(config: AppConfig): Promise<ResolvedCredentials> {
  const { adminTokens, sessionSecret } = config.security;
  const generatedFiles: ResolvedCredentials['generatedFiles'] = {};
  const embedded = config.databaseUrl === undefined;
  if (config.writeTokens.length === 0 && !embedded) {
    throw new StartupError(
      'TIMELINE_WRITE_TOKENS must be set when DATABASE_URL is set: give one or more comma-separated tokens of at least 16 characters (e.g. from `openssl rand -hex 32`)',
      'TIMELINE_WRITE_TOKENS',
    );
  }
  const generated = async (key: keyof ResolvedCredentials['generatedFiles'], name: string) => {
    const { file, secret } = await secretInDataDir(config.dataDir, name);
    generatedFiles[key] = file;
    return secret;
  };
  const writeTokens =
    config.writeTokens.length > 0 ? config.writeTokens : [await generated('writeToken', WRITE_TOKEN_FILE)];
  const admin =
    adminTokens.length > 0
      ? adminTokens
      : embedded
        ? [await generated('adminToken', ADMIN_TOKEN_FILE)]
        : undefined;
  const secret =
    sessionSecret ??
    (embedded ? await generated('sessionSecret', SESSION_SECRET_FILE) : randomBytes(32).toString('hex'));
  return { writeTokens, adminTokens: admin, sessionSecret: Buffer.from(secret, 'utf8'), generatedFiles };
}

/** A random secret kept in `<dataDir>/<name>` (0600), made on first use. */
async function secretInDataDir(dataDir: string, name: string): Promise<{ file: string; secret: string }> {
  const dir = resolve(dataDir);
  const file = join(dir, name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 16) {
    throw new StartupError(
      `${file} holds no usable secret (at least 16 characters); delete it to have a new one made`,
    );
  }
  // Tighten a file someone loosened by hand; it holds a credential.
  await chmod(file, 0o600);
  return { file, secret };
}
