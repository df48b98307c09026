import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogPage } from '@timeline/shared-types';
import { runNode, waitFor } from '@timeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROOT, type RunningApi, runApiToExit, startApi } from './support/api-process.js';
import { call, meeting } from './support/http.js';

/** The embedded PGlite store on disk: one process per data folder, owner-only files, what a kill -9 keeps. */
describe('embedded store data folder', () => {
  let dataDir: string;
  let api: RunningApi;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'timeline-embedded-'));
    api = await startApi({ TIMELINE_DATA_DIR: dataDir, TIMELINE_SEED: 'false' });
  });
  afterAll(async () => {
    await api?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const append = (streamId: string, title: string) =>
    call(api.url, 'POST', `/api/streams/${streamId}/events`, {
      body: { events: [meeting({ data: { title, participants: ['A', 'B'] } })] },
      token: api.token,
    });

  it('refuses a second server on the same folder, naming the folder and the pid holding it', async () => {
    const lockFile = join(dataDir, 'pglite.lock');
    const holder = (await readFile(lockFile, 'utf8')).trim();
    const result = await runApiToExit({ TIMELINE_DATA_DIR: dataDir, TIMELINE_SEED: 'false' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `the data folder ${join(dataDir, 'pglite')} is in use by process ${holder}`,
    );
    expect(result.stderr).toContain(lockFile);
  });

  it('refuses `seed.js` on the folder a running server holds', async () => {
    const result = await runNode(join(API_ROOT, 'dist/seed.js'), [], {
      cwd: API_ROOT,
      env: { TIMELINE_DATA_DIR: dataDir },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Timeline seed cannot start/);
    expect(result.stderr).toContain('is in use by process');
    expect((await call(api.url, 'GET', '/api/health/ready')).status).toBe(200);
  });

  it('keeps every file to its owner: no file or folder is group or world readable or writable', async () => {
    for (let i = 0; i < 20; i++) expect((await append(`perm-${i}`, `event ${i}`)).status).toBe(201);
    const open: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      if (((await stat(folder)).mode & 0o077) !== 0) open.push(folder);
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (((await stat(path)).mode & 0o077) !== 0) open.push(path);
      }
    };
    await walk(dataDir);
    expect(open).toEqual([]);
    expect((await stat(join(dataDir, 'write-token'))).mode & 0o777).toBe(0o600);
  });

  it('kill -9 during appends: after a restart every acknowledged event is in the store', async () => {
    const acknowledged = new Set<string>();
    let next = 0;
    let dead = false;
    const workers = Array.from({ length: 6 }, async () => {
      while (!dead) {
        const i = next++;
        const title = `kill ${i}`;
        try {
          const response = await append(`kill-${i % 8}`, title);
          if (response.status === 201) acknowledged.add(title);
        } catch {
          return; // the process died under this request: not acknowledged
        }
      }
    });
    await waitFor('some acknowledged appends', async () => acknowledged.size >= 150, {
      timeoutMs: 60_000,
    });
    dead = true;
    await api.kill();
    await Promise.all(workers);
    const ackedAtKill = new Set(acknowledged);

    // The dead server's lock is stale: the new one takes the folder over.
    api = await startApi({ TIMELINE_DATA_DIR: dataDir, TIMELINE_SEED: 'false' });
    const titles = new Set<string>();
    let after = 0;
    for (;;) {
      const page = await call<LogPage>(api.url, 'GET', `/api/events?after=${after}&limit=500`);
      for (const event of page.body.events) titles.add((event.data as { title: string }).title);
      if (page.body.events.length === 0) break;
      after = page.body.nextAfter;
    }
    const lost = [...ackedAtKill].filter((title) => !titles.has(title));
    expect(lost).toEqual([]);
    expect((await append('after-kill', 'after the restart')).status).toBe(201);
  }, 180_000);
});
