import { textChunks, type operations } from '@timeline/api-client';
import {
  NDJSON_CONTENT_TYPE,
  type ReplaySelection,
  splitCommaList,
  topicNames,
} from '@timeline/shared-types';
import { choiceOption, type CommandSpec, listOption, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { log, openOutput, type Output } from '../io.js';
import { OrderedReplay } from '../kafka/ordered-replay.js';
import { ReplayInterrupted, readTopicSnapshot, unlessInterrupted } from '../kafka/topic-reader.js';
import { Progress } from '../progress.js';
import { parseSelection, SELECTION_OPTIONS, selectionQuery } from '../selection.js';

export const replaySpec: CommandSpec = {
  name: 'replay',
  summary: 'replay history as NDJSON: the log (events) or the timeline as it was (timeline)',
  options: {
    ...SELECTION_OPTIONS,
    out: {
      flags: '-o, --out <FILE>',
      description: 'write to FILE (it appears whole or not at all); default stdout',
    },
    source: {
      flags: '--source <api|kafka>',
      description:
        'api (default), or kafka: read the topic from offset 0 of every partition (no consumer group is joined)',
    },
    brokers: {
      flags: '--brokers <host:port,...>',
      description: 'with --source kafka (default: KAFKA_BROKERS)',
    },
    'topic-prefix': {
      flags: '--topic-prefix <P>',
      description: 'with --source kafka (default: KAFKA_TOPIC_PREFIX)',
    },
  },
  details: `One canonical JSON value per line: the same selection always gives the same bytes, from the API
(the store) or from Kafka. Pin --until to repeat a replay while the log grows.`,
};

export async function replayCommand(ctx: CommandContext): Promise<void> {
  const selection = parseSelection(ctx.values);
  const source = choiceOption(ctx.values, 'source', ['api', 'kafka'] as const, 'api');
  if (source === 'api' && (ctx.values.brokers !== undefined || ctx.values['topic-prefix'] !== undefined)) {
    throw usageError('--brokers and --topic-prefix go with --source kafka');
  }
  const out = stringOption(ctx.values, 'out');
  const output = openOutput(ctx.io, out);
  let ok = false;
  try {
    const { lines, horizon } =
      source === 'api' ? await replayFromApi(ctx, output) : await replayFromKafka(ctx, selection, output);
    ok = true;
    log(
      ctx.io,
      `replay: ${lines} line${lines === 1 ? '' : 's'} (${selection.mode}, ${source}), up to log position ${horizon}`,
    );
  } catch (error) {
    // Ctrl-C aborts the API request with a bare AbortError: say what happened instead of a stack.
    if (ctx.signal.aborted) {
      const interrupted = new ReplayInterrupted();
      throw new CliError(interrupted.exitCode, interrupted.message, [
        out === undefined || out === '-'
          ? 'what was written to stdout stops mid-replay: run it again to get the whole replay'
          : `${out} was not written: run the replay again to get it`,
      ]);
    }
    throw error;
  } finally {
    await output.close(ok);
  }
}

async function replayFromApi(
  ctx: CommandContext,
  output: Output,
): Promise<{ lines: number; horizon: number }> {
  // The flags go as given (`--after x` included): the API's own validation answers for them.
  const query = selectionQuery(ctx.values) as unknown as operations['replay']['parameters']['query'];
  const { data: body, response } = await ctx.api().send('read', 'GET', (http) =>
    http.GET('/api/replay', {
      params: { query },
      headers: { accept: NDJSON_CONTENT_TYPE },
      parseAs: 'stream',
      signal: ctx.signal,
    }),
  );
  const horizon = Number(response.headers.get('timeline-replay-horizon') ?? Number.NaN);
  const progress = new Progress(ctx.io, 'replay');
  let lines = 0;
  let endsWithNewline = true;
  for await (const chunk of textChunks(body)) {
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines += 1;
    endsWithNewline = chunk.endsWith('\n');
    await output.write(chunk);
    progress.update(lines, 'lines');
  }
  progress.done();
  // The server ends a replay it could not finish by cutting the connection, mid-line or between lines.
  if (!endsWithNewline)
    throw new CliError(EXIT.failed, 'the replay was cut off before its end: run it again');
  return { lines, horizon };
}

/** The replay from Kafka: a snapshot of the topic (every partition up to its high watermark at start). */
async function replayFromKafka(
  ctx: CommandContext,
  selection: ReplaySelection,
  output: Output,
): Promise<{ lines: number; horizon: number }> {
  const brokers =
    listOption(ctx.values, 'brokers') ?? splitCommaList(ctx.io.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
  const prefix = stringOption(ctx.values, 'topic-prefix') ?? ctx.io.env.KAFKA_TOPIC_PREFIX ?? '';
  const topic = topicNames(prefix).events;
  // A write waiting for a reader that has stopped reading (a paused pager) must not hold Ctrl-C.
  const replay = new OrderedReplay(selection, (chunk) => unlessInterrupted(output.write(chunk), ctx.signal));
  const progress = new Progress(ctx.io, `replay from ${topic}`);
  let read: number;
  try {
    ({ read } = await readTopicSnapshot({
      brokers,
      topic,
      signal: ctx.signal,
      onEvent: (event) => replay.push(event),
      enough: () => replay.complete,
      onUndecodable: (where, reason) =>
        log(ctx.io, `replay: skipped an unreadable message at ${where}: ${reason}`),
      onProgress: (done, total) => {
        progress.setTotal(total);
        progress.update(done, 'messages');
      },
    }));
  } finally {
    // Cleared on failure too, so an error message never lands on the end of a half-drawn bar.
    progress.done();
  }
  await unlessInterrupted(replay.finish(`the topic ${topic}`), ctx.signal);
  if (replay.duplicates > 0)
    log(ctx.io, `replay: ${replay.duplicates} duplicate message(s) on the topic ignored`);
  log(ctx.io, `replay: read ${read} message(s) from ${topic}`);
  return { lines: replay.lines, horizon: replay.horizon };
}
