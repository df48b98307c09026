import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/**
 * Keeps the embedded store to its owner: folders 0700, files 0600. PGlite creates files as queries need
 * them (WAL segments, relation files) through Node's fs, so the process umask of 0o077 keeps those
 * private; `tightenToOwner` fixes what it copied in with its own modes, and stores an earlier version left open.
 */
export async function createOwnerOnlyFolder(folder: string): Promise<void> {
  // Worker threads share the process umask and may not set it (test runners); the walk still applies.
  if (isMainThread) process.umask(0o077);
  await mkdir(folder, { recursive: true, mode: 0o700 });
}

export async function tightenToOwner(folder: string): Promise<void> {
  await chmod(folder, 0o700);
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await tightenToOwner(path);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}
