import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolderLockedError, lockDataFolder } from './data-folder-lock.js';

describe('lockDataFolder', () => {
  let parent: string;
  let folder: string;
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'timeline-lock-'));
    folder = join(parent, 'pglite');
  });
  afterEach(() => rm(parent, { recursive: true, force: true }));

  it('writes our pid to an owner-only lock file and removes it on release', async () => {
    const lock = await lockDataFolder(folder);
    expect((await readFile(lock.lockFile, 'utf8')).trim()).toBe(String(process.pid));
    expect((await stat(lock.lockFile)).mode & 0o777).toBe(0o600);
    await lock.release();
    await expect(stat(lock.lockFile)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a folder this process already holds', async () => {
    const lock = await lockDataFolder(folder);
    await expect(lockDataFolder(folder)).rejects.toThrow(DataFolderLockedError);
    await lock.release();
  });

  it('refuses a folder a live process holds, naming the folder, the pid and the lock file', async () => {
    // The parent of this test runner: alive for as long as the test runs.
    await writeFile(`${folder}.lock`, `${process.ppid}\n`);
    const error = await lockDataFolder(folder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFolderLockedError);
    expect((error as Error).message).toContain(
      `the data folder ${folder} is in use by process ${process.ppid}`,
    );
    expect((error as Error).message).toContain(`${folder}.lock`);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(`${folder}.lock`, `${gone.stdout.toString()}\n`);
    const lock = await lockDataFolder(folder);
    expect((await readFile(lock.lockFile, 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
  });

  it('takes over a lock holding our own pid that this process did not take (a container restarted as pid 1)', async () => {
    await writeFile(`${folder}.lock`, `${process.pid}\n`);
    const lock = await lockDataFolder(folder);
    await lock.release();
  });
});
