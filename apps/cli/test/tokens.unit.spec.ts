import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { isLoopback } from '../src/connection.js';
import { EXIT } from '../src/errors.js';
import { fakeFetch, json, memoryIo } from './support/memory-io.js';

const EVENT_ID = '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11';
const appended = {
  streamId: 's',
  streamVersion: 2,
  events: [{ eventId: EVENT_ID, position: 9 }],
  duplicate: false,
};

/** An API that answers every route the CLI calls well enough for the command to finish. */
function answeringApi() {
  return fakeFetch((url) => {
    const path = url.pathname;
    if (path === '/api/stats')
      return json(200, { total: 0, position: 0, byPillar: {}, byActor: {}, byType: {}, byMonth: {} });
    if (path === '/api/streams') return json(200, { streams: [], next: null });
    if (path === '/api/admin/dlq') return json(200, { messages: [] });
    if (path.startsWith('/api/events/') && path.split('/').length === 4)
      return json(200, { event: {}, corrections: [], retraction: null, item: null });
    if (path === '/api/admin/rebuild')
      return new Response(
        `${JSON.stringify({ id: 'r', state: 'done', phase: 'swapped', source: 'store', targetPosition: 0, appliedPosition: 0, items: 0 })}\n`,
        { status: 200 },
      );
    return json(201, appended);
  });
}

const authorization = (init: RequestInit) => new Headers(init.headers).get('authorization');

describe('which request carries which token', () => {
  const env = {
    TIMELINE_API_URL: 'http://127.0.0.1:3999',
    TIMELINE_TOKEN: 'write-token-0123456789',
    TIMELINE_READ_TOKEN: 'read-token-0123456789',
    TIMELINE_ADMIN_TOKEN: 'admin-token-0123456789',
    TIMELINE_DATA_DIR: '/nonexistent',
  };

  it.each([
    [['append', '--stream', 's', '--type', 'FactNoted', '--occurred', '2024', '--data', '{}'], 'write'],
    [['correct', EVENT_ID, '--set', 'title=x', '--reason', 'typo'], 'write'],
    [['retract', EVENT_ID, '--reason', 'wrong'], 'write'],
    [['seed'], 'write'],
    [['stats', '--format', 'json'], 'read'],
    [['show', EVENT_ID, '--json'], 'read'],
    [['streams'], 'read'],
    [['dlq', 'list'], 'admin'],
    [['rebuild'], 'admin'],
  ])('%j sends the %s token and no other', async (argv, access) => {
    const io = memoryIo({ env });
    const api = answeringApi();
    expect(await runCli(argv, io, { fetch: api.fetch }), io.err()).toBe(EXIT.ok);
    expect(api.calls.length).toBeGreaterThan(0);
    for (const call of api.calls) expect(authorization(call.init)).toBe(`Bearer ${access}-token-0123456789`);
  });

  it('a read without a read token carries no token at all; an admin route falls back to the write token', async () => {
    const io = memoryIo({ env: { ...env, TIMELINE_READ_TOKEN: '', TIMELINE_ADMIN_TOKEN: '' } });
    const api = answeringApi();
    expect(await runCli(['stats', '--format', 'json'], io, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(authorization(api.calls[0]!.init)).toBeNull();
    expect(await runCli(['dlq', 'list'], io, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(authorization(api.calls[1]!.init)).toBe('Bearer write-token-0123456789');
  });

  it('a request with a token never follows a redirect', async () => {
    const io = memoryIo({ env });
    const api = fakeFetch(
      () => new Response(null, { status: 307, headers: { location: 'https://elsewhere.example/api' } }),
    );
    expect(await runCli(['retract', EVENT_ID, '--reason', 'x'], io, { fetch: api.fetch })).toBe(EXIT.usage);
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.init.redirect).toBe('manual');
    expect(io.err()).toMatch(/redirect \(307\) to https:\/\/elsewhere.example\/api/);
    expect(io.err()).toMatch(/point --api/);
  });
});

describe('where tokens come from', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'timeline-tokens-'));
    await writeFile(join(dir, 'write'), 'file-write-token-0123\n');
    await writeFile(join(dir, 'read'), 'file-read-token-0123\n');
    await writeFile(join(dir, 'admin'), 'file-admin-token-0123\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--token-file, --read-token-file and --admin-token-file win over the environment', async () => {
    const io = memoryIo({
      cwd: dir,
      env: { TIMELINE_TOKEN: 'env', TIMELINE_READ_TOKEN: 'env', TIMELINE_ADMIN_TOKEN: 'env' },
    });
    const files = ['--token-file', 'write', '--read-token-file', 'read', '--admin-token-file', 'admin'];
    const api = answeringApi();
    await runCli([...files, 'retract', EVENT_ID, '--reason', 'x'], io, { fetch: api.fetch });
    await runCli([...files, 'streams'], io, { fetch: api.fetch });
    await runCli(['dlq', 'list', ...files], io, { fetch: api.fetch });
    expect(api.calls.map((call) => authorization(call.init))).toEqual([
      'Bearer file-write-token-0123',
      'Bearer file-read-token-0123',
      'Bearer file-admin-token-0123',
    ]);
    expect(io.err()).not.toMatch(/warning/);
  });

  it('a token file that cannot be read is a usage error naming the flag', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['--token-file', 'missing', 'seed'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/--token-file: cannot read missing: ENOENT/);
  });

  it('--token still works, with a warning that `ps` shows it', async () => {
    const io = memoryIo({ env: { TIMELINE_DATA_DIR: '/nonexistent' } });
    const api = answeringApi();
    expect(
      await runCli(['retract', EVENT_ID, '--reason', 'x', '--token', 'flag-token-0123'], io, {
        fetch: api.fetch,
      }),
    ).toBe(EXIT.ok);
    expect(authorization(api.calls[0]!.init)).toBe('Bearer flag-token-0123');
    expect(io.err()).toMatch(/warning: --token is visible .* `ps`; set TIMELINE_TOKEN or use --token-file/);
  });
});

describe('plain http only on this machine', () => {
  it('refuses http:// to another host, saying what to do, before sending anything', async () => {
    const io = memoryIo({ env: { TIMELINE_TOKEN: 'write-token-0123456789' } });
    const api = answeringApi();
    expect(await runCli(['--api', 'http://timeline.example:3000', 'seed'], io, { fetch: api.fetch })).toBe(
      EXIT.usage,
    );
    expect(api.calls).toHaveLength(0);
    expect(io.err()).toMatch(/refusing plain http:\/\/ to timeline.example:3000/);
    expect(io.err()).toMatch(/use https:\/\/timeline.example:3000, or pass --insecure-http/);
  });

  it('allows https anywhere, http on loopback, and http anywhere with --insecure-http', async () => {
    for (const argv of [
      ['--api', 'https://timeline.example', 'streams'],
      ['--api', 'http://localhost:3000', 'streams'],
      ['--api', 'http://[::1]:3000', 'streams'],
      ['--api', 'http://127.1.2.3:3000', 'streams'],
      ['--api', 'http://timeline.example', '--insecure-http', 'streams'],
    ]) {
      const io = memoryIo();
      expect(await runCli(argv, io, { fetch: answeringApi().fetch }), argv.join(' ')).toBe(EXIT.ok);
    }
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('127.0.0.1.example.com')).toBe(false);
    expect(isLoopback('localhost.example.com')).toBe(false);
  });
});
