import { textChunks } from '@timeline/api-client';
import { type EventEnvelope, SseParser } from '@timeline/shared-types';
import { choiceOption, type CommandSpec, listOption, wholeNumberOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { type Colours, coloursFor } from '../colour.js';
import { log, oneLine, write } from '../io.js';
import { SELECTION_OPTIONS } from '../selection.js';

export const tailSpec: CommandSpec = {
  name: 'tail',
  summary: 'follow the log live (SSE), resuming where it left off when the connection drops',
  options: {
    after: {
      flags: '--after <N>',
      description: 'start after log position N (default: the head; 0 prints the whole log first)',
    },
    type: SELECTION_OPTIONS.type,
    stream: SELECTION_OPTIONS.stream,
    pillar: SELECTION_OPTIONS.pillar,
    format: {
      flags: '--format <ndjson|text>',
      description:
        'ndjson (the envelopes) or text (one readable line each); default: text on a terminal, else ndjson',
    },
    json: { flags: '--json', description: 'NDJSON even on a terminal (same as --format ndjson)' },
    limit: { flags: '--limit <N>', description: 'stop after N events (for scripts)' },
  },
  details: `A readable line per event on a terminal (position, valid time, type, stream, title), NDJSON
when piped. On a dropped connection it reconnects with Last-Event-ID and goes on with no gap and
no duplicate; an unfiltered tail checks that positions are gapless and warns on stderr if one is missing.`,
};

const MAX_BACKOFF_MS = 10_000;

export async function tailCommand(ctx: CommandContext): Promise<void> {
  const format =
    ctx.values.json === true
      ? 'ndjson'
      : choiceOption(
          ctx.values,
          'format',
          ['ndjson', 'text'] as const,
          ctx.io.stdout.isTTY ? 'text' : 'ndjson',
        );
  const colours = coloursFor(ctx.io.stdout, ctx.io.env);
  const limit = wholeNumberOption(ctx.values, 'limit');
  const filters = {
    types: listOption(ctx.values, 'type'),
    streams: listOption(ctx.values, 'stream'),
    pillars: listOption(ctx.values, 'pillar'),
  };
  const filtered = Object.values(filters).some((f) => f !== undefined);
  const api = ctx.api();
  /**
   * The last position the server vouched for (an event or a heartbeat): what Last-Event-ID resumes
   * from. Without --after the tail starts at the head, read first, so a drop before the first event
   * still resumes without a gap.
   */
  let cursor =
    wholeNumberOption(ctx.values, 'after') ??
    (await api.send('read', 'GET', (http) => http.GET('/api/events', { params: { query: { limit: 1 } } })))
      .data.head;
  let lastEvent = cursor;
  let printed = 0;
  let attempt = 0;
  let connectedOnce = false;

  while (!ctx.signal.aborted && (limit === undefined || printed < limit)) {
    let body: ReadableStream<Uint8Array> | null;
    try {
      ({ data: body } = await api.send('read', 'GET', (http) =>
        http.GET('/api/stream', {
          params: {
            query: {
              after: cursor,
              types: filters.types?.join(','),
              streams: filters.streams?.join(','),
              pillars: filters.pillars?.join(','),
            },
            header: { 'Last-Event-ID': String(cursor) },
          },
          headers: { accept: 'text/event-stream' },
          parseAs: 'stream',
          signal: ctx.signal,
        }),
      ));
    } catch (error) {
      if (ctx.signal.aborted) return;
      // The first connection failing is an answer (exit 4); a later drop is a reason to retry.
      if (!connectedOnce || !(error instanceof CliError) || error.exitCode !== 4) throw error;
      attempt += 1;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt);
      log(ctx.io, `tail: ${error.message}; retrying in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, ctx.signal);
      continue;
    }
    if (connectedOnce) log(ctx.io, `tail: reconnected, resuming after position ${cursor}`);
    connectedOnce = true;
    attempt = 0;
    const parser = new SseParser();
    try {
      for await (const text of textChunks(body)) {
        for (const message of parser.push(text)) {
          if (message.event === 'close') {
            log(ctx.io, `tail: the server closed the stream (${message.data}); reconnecting`);
            continue;
          }
          if (message.id !== undefined && /^\d+$/.test(message.id)) {
            const id = Number(message.id);
            if (message.event === 'heartbeat') {
              if (id > cursor) cursor = id;
              continue;
            }
            if (message.event !== 'message') continue;
            const event = JSON.parse(message.data) as EventEnvelope;
            if (event.position <= lastEvent) continue;
            if (!filtered && event.position !== lastEvent + 1) {
              log(
                ctx.io,
                `tail: warning: gap in the log: positions ${lastEvent + 1}..${event.position - 1} never arrived`,
              );
            }
            lastEvent = event.position;
            cursor = event.position;
            await write(
              ctx.io.stdout,
              format === 'ndjson' ? `${JSON.stringify(event)}\n` : `${textLine(event, colours)}\n`,
            );
            printed += 1;
            if (limit !== undefined && printed >= limit) return;
          }
        }
      }
    } catch (error) {
      if (ctx.signal.aborted) return;
      log(ctx.io, `tail: connection lost (${(error as Error).message})`);
    }
    if (!ctx.signal.aborted) await sleep(250, ctx.signal);
  }
}

/** One readable line: position, valid date, type, stream, then what the event says. */
export function textLine(event: EventEnvelope, colours: Colours = coloursFor({}, {})): string {
  const when = event.occurredAt.end
    ? `${event.occurredAt.start}..${event.occurredAt.end}`
    : event.occurredAt.start;
  const data = event.data as Record<string, unknown>;
  let what: string;
  if (event.type === 'EventCorrected')
    what = `corrects ${String(data.correctedEventId)}: ${String(data.reason ?? '')}`;
  else if (event.type === 'EventRetracted')
    what = `retracts ${String(data.retractedEventId)}: ${String(data.reason ?? '')}`;
  else {
    const pillars =
      Array.isArray(data.pillars) && data.pillars.length > 0 ? ` [${data.pillars.join(', ')}]` : '';
    const actors = Array.isArray(data.actors) && data.actors.length > 0 ? ` (${data.actors.join(', ')})` : '';
    what = `${String(data.title ?? data.summary ?? '')}${pillars}${actors}`;
  }
  const c = colours;
  return `${c.dim(`#${event.position}`)}  ${oneLine(when)}  ${c.cyan(oneLine(event.type))}  ${c.dim(oneLine(event.streamId))}  ${oneLine(what)}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
