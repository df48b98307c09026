import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, type TimelineItem, type TimelineResponse } from '@timeline/shared-types';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, type RunningApi, runCli, startApi, waitFor } from './support/processes.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function readTimeline(url: string): Promise<TimelineResponse> {
  return (await (await fetch(`${url}/api/timeline`)).json()) as TimelineResponse;
}

/**
 * "The same timeline": the same items in the same order with the same content, each with its
 * corrections applied. A new store assigns its own positions, versions and recording times, and an
 * import records each item's current state once, so the lineage stays in the first store.
 */
function comparable(item: TimelineItem) {
  const { position, lastPosition, streamVersion, recordedAt, lineage, ...content } = item;
  return content;
}

const meeting = (title: string, streamId = 'cli-import', extra: Record<string, unknown> = {}) => ({
  streamId,
  type: 'MeetingHeld',
  occurredAt: { start: '2024-07-24', precision: 'day' },
  data: {
    title,
    participants: ['David Lammy', 'S Jaishankar'],
    actors: ['David Lammy'],
    pillars: ['telecom'],
  },
  metadata: { sources: [{ publisher: 'Report', title: 'Talks', quote: `"${title}", he said, twice` }] },
  ...extra,
});

describe('the timeline CLI against a running API and Kafka', () => {
  let api: RunningApi;
  let dir: string;
  let env: Record<string, string>;
  const timeline = (...args: string[]) => runCli(args, { env, cwd: dir });
  const head = async () => {
    const res = await fetch(`${api.url}/api/events?limit=1`);
    return ((await res.json()) as { head: number }).head;
  };

  beforeAll(async () => {
    api = await startApi();
    dir = await mkdtemp(join(tmpdir(), 'timeline-cli-'));
    env = cliEnv(api);
  });

  afterAll(async () => {
    await api?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('seed appends the dataset through the API; a second run adds nothing', async () => {
    const first = await timeline('seed');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      events: SEED_EVENTS.length,
      appended: SEED_EVENTS.length,
      alreadyStored: 0,
    });
    const again = await timeline('seed');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ appended: 0, alreadyStored: SEED_EVENTS.length });
    expect(await head()).toBe(SEED_EVENTS.length);
  });

  it('append adds one event; a stale expected version is exit 3 naming both versions', async () => {
    const ok = await timeline(
      'append',
      '--stream',
      'cli-append',
      '--expected-version',
      'no_stream',
      '--type',
      'MeetingHeld',
      '--occurred',
      '2024-07-25',
      '--data',
      JSON.stringify({ title: 'CLI meeting', participants: ['A'] }),
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      streamId: 'cli-append',
      streamVersion: 1,
      duplicate: false,
    });
    const stale = await timeline(
      'append',
      '--stream',
      'cli-append',
      '--expected-version',
      '0',
      '--type',
      'MeetingHeld',
      '--occurred',
      '2024-07-25',
      '--data',
      JSON.stringify({ title: 'Again', participants: ['A'] }),
    );
    expect(stale.code).toBe(3);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toMatch(/expected version 0, the stream is at 1/);
    const invalid = await timeline(
      'append',
      '--stream',
      'cli-append',
      '--type',
      'MeetingHeld',
      '--occurred',
      '2024-07-25',
      '--data',
      '{"title":"No participants"}',
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/participants/);
  });

  it('import validates the whole file first: one bad line writes nothing and is named; a good file twice adds nothing', async () => {
    const before = await head();
    const good = [meeting('Import one'), meeting('Import two'), meeting('Import three', 'cli-import-2')];
    const bad = [
      ...good,
      { ...meeting('Bad'), occurredAt: { start: '2024-13-01', precision: 'day' } },
      meeting('After the bad one'),
    ];
    await writeFile(join(dir, 'bad.jsonl'), `${bad.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const refused = await timeline('import', 'bad.jsonl');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 4: occurredAt\.start/);
    expect(refused.stdout).toBe('');
    expect(await head()).toBe(before);

    await writeFile(join(dir, 'good.jsonl'), `${good.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const first = await timeline('import', 'good.jsonl');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ events: 3, appended: 3, alreadyStored: 0, streams: 2 });
    expect(await head()).toBe(before + 3);
    const second = await timeline('import', 'good.jsonl');
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ appended: 0, alreadyStored: 3 });
    expect(await head()).toBe(before + 3);

    // The file grows: the old lines are recognised, only the new one is appended.
    await writeFile(
      join(dir, 'good.jsonl'),
      `${[...good, meeting('Import four')].map((e) => JSON.stringify(e)).join('\n')}\n`,
    );
    const grown = await timeline('import', 'good.jsonl');
    expect(grown.code, grown.stderr).toBe(0);
    expect(JSON.parse(grown.stdout)).toMatchObject({ appended: 1, alreadyStored: 3 });
  });

  it('a replay from the store (API) and one from Kafka of the same range are byte-equal', async () => {
    const until = await head();
    // The relay publishes asynchronously: wait until the topic holds the whole range.
    const fromKafka = await waitFor('the topic to hold the log', async () => {
      const run = await timeline('replay', '--source', 'kafka', '--until', String(until));
      return run.code === 0 ? run : undefined;
    });
    const fromApi = await timeline('replay', '--until', String(until));
    expect(fromApi.code, fromApi.stderr).toBe(0);
    expect(fromApi.stdout.split('\n').filter(Boolean)).toHaveLength(until);
    expect(sha256(fromKafka.stdout)).toBe(sha256(fromApi.stdout));

    for (const selection of [
      ['--mode', 'timeline'],
      ['--mode', 'events', '--pillar', 'telecom', '--after', '3'],
      ['--mode', 'timeline', '--from', '2021', '--to', '2021-12-31'],
    ]) {
      const a = await timeline('replay', ...selection, '--until', String(until), '--out', 'api.ndjson');
      const k = await timeline(
        'replay',
        ...selection,
        '--until',
        String(until),
        '--source',
        'kafka',
        '--out',
        'kafka.ndjson',
      );
      expect(a.code, a.stderr).toBe(0);
      expect(k.code, k.stderr).toBe(0);
      expect(a.stdout).toBe('');
      const [apiBytes, kafkaBytes] = await Promise.all([
        readFile(join(dir, 'api.ndjson'), 'utf8'),
        readFile(join(dir, 'kafka.ndjson'), 'utf8'),
      ]);
      expect(apiBytes.length, selection.join(' ')).toBeGreaterThan(0);
      expect(sha256(kafkaBytes), selection.join(' ')).toBe(sha256(apiBytes));
    }
    // Asking Kafka for more than it holds is an error, never a silent short replay.
    const beyond = await timeline('replay', '--source', 'kafka', '--until', String(until + 1000));
    expect(beyond.code).toBe(5);
    expect(beyond.stderr).toMatch(/does not hold the whole log/);
  });

  it('tail prints the log from a position, gapless, as NDJSON or text', async () => {
    const ndjson = await timeline('tail', '--after', '0', '--limit', '5');
    expect(ndjson.code, ndjson.stderr).toBe(0);
    expect(
      ndjson.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { position: number }).position),
    ).toEqual([1, 2, 3, 4, 5]);
    const text = await timeline('tail', '--after', '2', '--limit', '2', '--format', 'text');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^#3 {2}\S+ {2}\w+ {2}\S+ {2}.+\n#4 /);
    expect(text.stderr).not.toMatch(/gap/);
  });

  it('stats, export and rebuild describe the read model', async () => {
    const expectedItems = await head();
    await waitFor('the projector', async () => {
      const run = await timeline('stats', '--format', 'json');
      return run.code === 0 && (JSON.parse(run.stdout) as { position: number }).position === expectedItems;
    });
    const json = JSON.parse((await timeline('stats', '--format', 'json')).stdout) as {
      total: number;
      byPillar: Record<string, number>;
    };
    expect(json.total).toBe(expectedItems);
    const csv = await timeline('stats', '--format', 'csv');
    expect(parseCsv(csv.stdout)[0]).toEqual(['dimension', 'key', 'count']);
    const table = await timeline('stats');
    expect(table.stdout).toMatch(new RegExp(`^${expectedItems} items on the timeline`));

    const exported = await timeline('export', '--format', 'csv', '--out', 'timeline.csv');
    expect(exported.code, exported.stderr).toBe(0);
    const rows = parseCsv(await readFile(join(dir, 'timeline.csv'), 'utf8'));
    expect(rows).toHaveLength(expectedItems + 1);
    const sources = rows
      .slice(1)
      .map((r) => JSON.parse(r[rows[0]!.indexOf('sources')]!) as Array<{ quote: string }>);
    expect(sources.flat().map((s) => s.quote)).toContain('"Import one", he said, twice');
    const jsonl = await timeline('export', '--format', 'jsonl');
    expect(jsonl.stdout.split('\n').filter(Boolean)).toHaveLength(expectedItems);
    const tl = JSON.parse(
      (await timeline('export', '--format', 'timelinejs', '--title', 'India–UK')).stdout,
    ) as { events: unknown[] };
    expect(tl.events).toHaveLength(expectedItems);

    // A rebuild needs an admin token: the one the API made in its data folder (no TIMELINE_ADMIN_TOKENS).
    const adminToken = (await readFile(join(api.dataDir, 'admin-token'), 'utf8')).trim();
    const asAdmin = (...args: string[]) =>
      runCli(args, { env: { ...env, TIMELINE_ADMIN_TOKEN: adminToken }, cwd: dir });
    const rebuild = await asAdmin('rebuild');
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(JSON.parse(rebuild.stdout)).toMatchObject({
      state: 'swapped',
      items: expectedItems,
      appliedPosition: expectedItems,
    });
    const afterRebuild = JSON.parse((await timeline('stats', '--format', 'json')).stdout) as {
      total: number;
    };
    expect(afterRebuild.total).toBe(expectedItems);

    // From Kafka offset 0: the same model, and it says how far the topic carried it.
    const fromKafka = await asAdmin('rebuild', '--source', 'kafka');
    expect(fromKafka.code, fromKafka.stderr).toBe(0);
    const kafkaStatus = JSON.parse(fromKafka.stdout) as { kafkaPosition: number; appliedPosition: number };
    expect(kafkaStatus).toMatchObject({ state: 'swapped', source: 'kafka', items: expectedItems });
    expect(kafkaStatus.kafkaPosition).toBeGreaterThan(0);
    expect(kafkaStatus.kafkaPosition).toBeLessThanOrEqual(kafkaStatus.appliedPosition);
    expect(fromKafka.stderr).toMatch(/read from Kafka up to position \d+/);
    expect((await timeline('export', '--format', 'jsonl')).stdout).toBe(jsonl.stdout);
    const badSource = await asAdmin('rebuild', '--source', 'tape');
    expect(badSource.code).toBe(1);
    expect(badSource.stderr).toMatch(/--source must be one of store, kafka/);
  });

  it('a JSONL export imported into an empty store gives the same timeline; a second import adds nothing', async () => {
    const [toCorrect, toRetract] = (await readTimeline(api.url)).items;
    const corrected = await timeline(
      'correct',
      toCorrect!.id,
      '--set',
      'title=Corrected before the export',
      '--reason',
      'round trip',
    );
    expect(corrected.code, corrected.stderr).toBe(0);
    const retracted = await timeline('retract', toRetract!.id, '--reason', 'round trip');
    expect(retracted.code, retracted.stderr).toBe(0);
    const end = await head();
    const original = await waitFor('the projector', async () => {
      const read = await readTimeline(api.url);
      return read.position === end && read;
    });
    const exported = await timeline('export', '--format', 'jsonl', '--out', 'export.jsonl');
    expect(exported.code, exported.stderr).toBe(0);

    const empty = await startApi();
    try {
      const intoEmpty = (...args: string[]) => runCli(args, { env: cliEnv(empty), cwd: dir });
      const imported = await intoEmpty('import', 'export.jsonl');
      expect(imported.code, imported.stderr).toBe(0);
      const count = original.items.length;
      expect(JSON.parse(imported.stdout)).toMatchObject({ events: count, appended: count, alreadyStored: 0 });
      expect(imported.stderr).toMatch(
        new RegExp(`timeline export: its ${count} item\\(s\\) are imported as their current state`),
      );
      const copy = await waitFor("the empty store's projector", async () => {
        const read = await readTimeline(empty.url);
        return read.position === count && read;
      });
      expect(copy.items.map(comparable)).toEqual(original.items.map(comparable));
      expect(copy.items.find((i) => i.id === toCorrect!.id)?.title).toBe('Corrected before the export');
      expect(copy.items.some((i) => i.id === toRetract!.id)).toBe(false);

      const again = await intoEmpty('import', 'export.jsonl');
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ appended: 0, alreadyStored: count });
    } finally {
      await empty.stop();
    }
  });

  it('an unreachable API or broker is exit 4 with what to do next', async () => {
    const noApi = await runCli(['stats'], { env: { TIMELINE_API_URL: 'http://127.0.0.1:9' }, cwd: dir });
    expect(noApi.code).toBe(4);
    expect(noApi.stderr).toMatch(/pnpm start/);
    const noBroker = await timeline('replay', '--source', 'kafka', '--brokers', '127.0.0.1:9');
    expect(noBroker.code).toBe(4);
    expect(noBroker.stderr).toMatch(/pnpm infra:up/);
  });
});
