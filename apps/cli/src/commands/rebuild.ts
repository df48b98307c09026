import { bodyLines, type Schema } from '@timeline/api-client';
import { NDJSON_CONTENT_TYPE } from '@timeline/shared-types';
import { choiceOption, type CommandSpec } from '../args.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { log, write } from '../io.js';
import { Progress } from '../progress.js';

export const rebuildSpec: CommandSpec = {
  name: 'rebuild',
  summary: 'rebuild the timeline read model from the store or from Kafka (the service stays up)',
  options: {
    source: {
      flags: '--source <store|kafka>',
      description:
        "store: the event store (default); kafka: the events topic from offset 0 (the server's own Kafka settings), the store supplying whatever the topic cannot",
    },
  },
  details: `Folds the log into new tables beside the live read model, then swaps them in. Shows progress on
stderr; prints the final status as JSON. Exit 3 if a rebuild is already running. Sends the admin token.`,
};

export async function rebuildCommand(ctx: CommandContext): Promise<void> {
  const source = choiceOption(ctx.values, 'source', ['store', 'kafka'] as const, 'store');
  const { data: body } = await ctx.api().send('admin', 'POST', (http) =>
    http.POST('/api/admin/rebuild', {
      params: { query: { source } },
      headers: { accept: NDJSON_CONTENT_TYPE },
      parseAs: 'stream',
    }),
  );
  const progress = new Progress(ctx.io, 'rebuild');
  let last: Schema<'RebuildStatus'> | undefined;
  let phase = '';
  for await (const line of bodyLines(body)) {
    if (!line.trim()) continue;
    last = JSON.parse(line) as Schema<'RebuildStatus'>;
    if (last.phase !== phase && !ctx.io.stderr.isTTY) log(ctx.io, `rebuild ${last.id}: ${last.phase}`);
    phase = last.phase;
    progress.setTotal(last.targetPosition);
    progress.update(last.appliedPosition, last.phase);
  }
  progress.done();
  if (!last || last.state === 'running') {
    throw new CliError(EXIT.failed, 'the connection ended before the rebuild did', [
      last ? `follow it with: GET /api/admin/rebuild/${last.id}` : 'see the server log',
    ]);
  }
  await write(ctx.io.stdout, `${JSON.stringify(last)}\n`);
  if (last.state === 'failed')
    throw new CliError(EXIT.failed, `the rebuild failed: ${last.error ?? 'see the server log'}`);
  const fromKafka =
    last.source === 'kafka'
      ? ` (read from Kafka up to position ${last.kafkaPosition ?? 0}, the rest from the store)`
      : '';
  log(
    ctx.io,
    `rebuild: swapped in, ${last.items} items up to log position ${last.appliedPosition}${fromKafka}`,
  );
}
