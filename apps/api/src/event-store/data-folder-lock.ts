import { open, readFile, stat, unlink } from 'node:fs/promises';

/** Another live process holds the embedded store's data folder. */
export class DataFolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly lockFile: string,
    readonly holderPid: number | undefined,
  ) {
    const holder = holderPid === undefined ? 'another process' : `process ${holderPid}`;
    super(
      `the data folder ${folder} is in use by ${holder} (lock file ${lockFile}). Only one process may open an embedded store: stop the server (or \`pnpm seed\`) using it, or point TIMELINE_DATA_DIR at another folder. If no Timeline process is running, delete ${lockFile}.`,
    );
    this.name = 'DataFolderLockedError';
  }
}

export interface DataFolderLock {
  readonly lockFile: string;
  release(): Promise<void>;
}

/** A lock file younger than this with no pid in it yet may be a rival between create and write. */
const FRESH_EMPTY_LOCK_MS = 5_000;

/** Folders this process holds: a pid equal to ours in a lock we did not take is a leftover from an earlier run. */
const heldHere = new Set<string>();

/**
 * Takes the exclusive lock on an embedded data folder: `<folder>.lock`, created with O_EXCL and holding
 * the pid. PGlite has no lock of its own, and two processes writing one folder corrupt it. A lock left by
 * a process that died (kill -9, power loss) is taken over, since its pid no longer runs.
 */
export async function lockDataFolder(folder: string): Promise<DataFolderLock> {
  const lockFile = `${folder}.lock`;
  if (heldHere.has(lockFile)) throw new DataFolderLockedError(folder, lockFile, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      heldHere.add(lockFile);
      return {
        lockFile,
        async release() {
          if (!heldHere.delete(lockFile)) return;
          await unlink(lockFile).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await lockHolder(lockFile);
    if (holder.alive || attempt > 0) throw new DataFolderLockedError(folder, lockFile, holder.pid);
    await unlink(lockFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

async function lockHolder(lockFile: string): Promise<{ pid: number | undefined; alive: boolean }> {
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch (error) {
    // Released between our create and our read: free to retry.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { pid: undefined, alive: false };
    throw error;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) {
    const age = Date.now() - (await stat(lockFile)).mtimeMs;
    return { pid: undefined, alive: age < FRESH_EMPTY_LOCK_MS };
  }
  return { pid, alive: pid !== process.pid && isRunning(pid) };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
