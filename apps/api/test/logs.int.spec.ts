import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiEnv, assertBuilt, endChild, KAFKA_BROKERS_SETTING, launchApi, waitFor } from '@timeline/testing';
import { describe, expect, it } from 'vitest';
import { API_ROOT } from './support/api-process.js';

const MAIN = join(API_ROOT, 'dist/main.js');
const BUILD = 'pnpm --filter @timeline/api... build';

/** What a person sees: the built API with terminal lines (LOG_FORMAT=pretty stands in for a TTY). */
describe('the log at a terminal', () => {
  it('shows one banner with the URL, the store, the brokers and the token file, and no route lines', async () => {
    assertBuilt([MAIN], BUILD);
    const dataDir = await mkdtemp(join(tmpdir(), 'timeline-logs-'));
    const child = spawn(process.execPath, [MAIN], {
      cwd: API_ROOT,
      env: apiEnv('logs', { LOG_FORMAT: 'pretty', TIMELINE_DATA_DIR: dataDir, TIMELINE_SEED: 'false' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    try {
      await waitFor(
        () => `the banner within 60 s; the API printed:\n${stdout}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${stdout}`);
          return /^ {4}web app /m.test(stdout);
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    } finally {
      await endChild(child);
      await rm(dataDir, { recursive: true, force: true });
    }
    const banner = stdout.slice(stdout.indexOf('Timeline API listening on'));
    expect(banner).toMatch(/^Timeline API listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(banner).toContain(`store        pglite in ${dataDir}\n`);
    expect(banner).toContain(`kafka        ${KAFKA_BROKERS_SETTING} (topics prefixed test-logs-`);
    expect(banner).toContain(
      `write token  in ${join(dataDir, 'write-token')} (no TIMELINE_WRITE_TOKENS set)`,
    );
    expect(stdout.match(/Timeline API listening on/g)).toHaveLength(1);
    expect(stdout).not.toContain('Mapped {');
    expect(stdout).not.toMatch(/^\{/m);
    // Every line is a log line or a continuation of the banner block.
    for (const line of stdout.trimEnd().split('\n'))
      expect(line).toMatch(/^(\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|ERROR): \S| {4}\S)/);
  });
});

describe('the log in a pipe', () => {
  it('is JSON lines with level, time and msg, requests included, and no route lines', async () => {
    assertBuilt([MAIN], BUILD);
    const api = await launchApi({ main: MAIN, label: 'logs', env: { TIMELINE_SEED: 'false' } });
    const missing = await fetch(`${api.url}/api/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(await api.stop()).toBe(0);

    const entries = api
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        level: expect.any(String),
        time: expect.any(String),
        msg: expect.any(String),
      });
      expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
    }
    expect(entries.filter((e) => e.msg === 'listening')).toEqual([
      expect.objectContaining({
        component: 'Startup',
        store: 'pglite',
        dataDir: api.dataDir,
        port: api.port,
      }),
    ]);
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 'info',
        component: 'Http',
        msg: 'request',
        path: '/api/no-such-thing',
        status: 404,
      }),
    );
    expect(entries.some((e) => String(e.msg).startsWith('Mapped {'))).toBe(false);
    expect(api.stderr()).toBe('');
  });
});
