import { request } from 'node:http';
import pg from 'pg';
import type { ApiProcess } from '../lib/api.js';
import { Progress, say } from '../lib/report.js';
import { RssSampler } from '../lib/stats.js';
import { CHUNK } from './fill.js';
import { countLines, memoryReport, type ReadResult, ReadTimer, readResult } from './read-result.js';

/** The baseline for reading the store: a raw `pg` cursor over the table, no API in between. */
export async function rawCursor(url: string, total: number, database: string): Promise<ReadResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'timeline-bench-cursor' });
  await client.connect();
  const progress = new Progress('raw pg cursor');
  const timer = new ReadTimer(undefined, database);
  let events = 0;
  let last = 0;
  try {
    timer.start();
    await client.query('BEGIN');
    await client.query(
      `DECLARE replay NO SCROLL CURSOR FOR
       SELECT position, event_id, stream_id, stream_version, type, schema_version, occurred_at, recorded_at, data, metadata
       FROM events ORDER BY position`,
    );
    for (;;) {
      const { rows } = await client.query<{ position: number; data: unknown }>(`FETCH ${CHUNK} FROM replay`);
      if (rows.length === 0) break;
      timer.received();
      events += rows.length;
      last = rows[rows.length - 1]!.position;
      progress.update(`${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`);
    }
    await client.query('COMMIT');
    const timing = timer.stop();
    // The wire size of what was read, for MB/s (measured once, after the timing).
    const { rows } = await client.query<{ b: string }>(
      'SELECT sum(pg_column_size(e.*))::text AS b FROM events e',
    );
    const bytes = Number(rows[0]?.b ?? 0);
    if (last !== total) say('raw pg cursor', `WARNING: last position ${last}, expected ${total}`);
    return readResult(
      progress,
      { name: 'raw pg cursor (FETCH 1000)', source: 'store', events, bytes, unit: 'rows' },
      timing,
    );
  } finally {
    await client.end();
  }
}

/** Counts NDJSON lines of a streamed GET while sampling the API's memory; checks the last line's position. */
export async function readNdjson(
  api: ApiProcess,
  path: string,
  name: string,
  total: number,
  database: string,
): Promise<ReadResult> {
  const progress = new Progress(name);
  let events = 0;
  const idle = RssSampler.read(api.pid);
  const sampler = new RssSampler(api.pid, () => events);
  const timer = new ReadTimer(api.pid, database);
  sampler.start();
  timer.start();
  let bytes = 0;
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    const req = request(`${api.baseUrl}${path}`, { headers: { accept: 'application/x-ndjson' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${path} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        timer.received();
        bytes += chunk.length;
        events += countLines(chunk);
        tail = (tail + chunk.subarray(Math.max(0, chunk.length - 4096)).toString('utf8')).slice(-8192);
        progress.update(
          `${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} lines, ${Math.round(RssSampler.read(api.pid).rssMiB)} MiB RSS`,
        );
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  const timing = timer.stop();
  sampler.stop();
  const lastLine = tail.trimEnd().split('\n').pop() ?? '{}';
  const lastPosition = (JSON.parse(lastLine) as { position?: number }).position;
  if (events !== total || lastPosition !== total) {
    say(name, `WARNING: ${events} lines, last position ${lastPosition}; expected ${total}`);
  }
  const memory = memoryReport('api', sampler, total, idle);
  return readResult(
    progress,
    { name, source: 'store', events, bytes, unit: 'lines' },
    timing,
    { memory },
    () =>
      `; API RSS ${memory.startRssMiB} → ${memory.midRssMiB} → ${memory.endRssMiB} MiB, peak ${memory.peakRssMiB} MiB`,
  );
}

/** Whether this API serves `GET /api/replay` (older builds only stream `GET /api/events`). */
export async function replayMounted(api: ApiProcess): Promise<boolean> {
  const res = await fetch(`${api.baseUrl}/api/replay?after=0&until=5&mode=events`);
  await res.arrayBuffer();
  return res.status !== 404;
}
