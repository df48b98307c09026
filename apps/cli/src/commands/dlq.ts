import type { Schema } from '@timeline/api-client';
import { type CommandSpec, wholeNumberOption } from '../args.js';
import { type Colours, coloursFor } from '../colour.js';
import type { CommandContext } from '../context.js';
import { log, oneLine, write } from '../io.js';
import { jsonOption, renderTable, wantsJson } from '../table.js';

const JSON_OPTION = jsonOption('JSON');

export const dlqSpec: CommandSpec = {
  name: 'dlq',
  summary: 'the dead-letter topic: messages the projector could not apply (admin token)',
  options: {},
  details: 'Sends the admin token (TIMELINE_ADMIN_TOKEN or --admin-token-file).',
  subcommands: [
    {
      name: 'list',
      summary: 'list the dead letters, oldest first',
      options: {
        limit: { flags: '--limit <N>', description: 'at most N messages' },
        ...JSON_OPTION,
      },
      details: 'A table on a terminal, one JSON object per message when piped.',
    },
    {
      name: 'show',
      summary: 'one dead letter with its headers and raw value',
      arguments: '<id>',
      options: JSON_OPTION,
      details: 'The id is <partition>:<offset>, as `dlq list` prints it.',
    },
    {
      name: 'redrive',
      summary: 'project the event again from the event store (the source of truth)',
      arguments: '<id>',
      options: {},
      details: 'Prints {id, position} as JSON. Exit 3 when it cannot be redriven (the answer says why).',
    },
  ],
};

export async function dlqListCommand(ctx: CommandContext): Promise<void> {
  const limit = wholeNumberOption(ctx.values, 'limit');
  const request = { params: { query: { limit } }, signal: ctx.signal };
  const { data } = await ctx.api().send('admin', 'GET', (http) => http.GET('/api/admin/dlq', request));
  if (wantsJson(ctx.values, ctx.io.stdout)) {
    await write(ctx.io.stdout, data.messages.map((m) => `${JSON.stringify(m)}\n`).join(''));
    return;
  }
  if (data.messages.length === 0) {
    await write(ctx.io.stdout, 'the dead-letter topic is empty\n');
    return;
  }
  const rows = data.messages.map((m) => [
    m.id,
    m.failedAt,
    m.position === null ? '-' : `#${m.position}`,
    m.type ?? '-',
    m.streamId ?? '-',
    m.redriven ? 'yes' : 'no',
    oneLine(m.reason),
  ]);
  await write(
    ctx.io.stdout,
    renderTable(['id', 'failed at', 'position', 'type', 'stream', 'redriven', 'reason'], rows, colours(ctx)),
  );
}

export async function dlqShowCommand(ctx: CommandContext): Promise<void> {
  const { data } = await ctx
    .api()
    .send('admin', 'GET', (http) => http.GET('/api/admin/dlq/{id}', namedLetter(ctx)));
  await write(
    ctx.io.stdout,
    wantsJson(ctx.values, ctx.io.stdout) ? `${JSON.stringify(data)}\n` : renderDeadLetter(data, colours(ctx)),
  );
}

export async function dlqRedriveCommand(ctx: CommandContext): Promise<void> {
  const { data } = await ctx
    .api()
    .send('admin', 'POST', (http) => http.POST('/api/admin/dlq/{id}/redrive', namedLetter(ctx)));
  log(ctx.io, `dlq: ${data.id} redriven: position ${data.position} projected again from the store`);
  await write(ctx.io.stdout, `${JSON.stringify(data)}\n`);
}

/** The request for the dead letter the command names (`<partition>:<offset>`, its one argument). */
const namedLetter = (ctx: CommandContext) => ({
  params: { path: { id: ctx.positionals[0]! } },
  signal: ctx.signal,
});

const colours = (ctx: CommandContext) => coloursFor(ctx.io.stdout, ctx.io.env);

function renderDeadLetter(letter: Schema<'DeadLetterDetail'>, c: Colours): string {
  const lines = [
    `${c.bold(`dead letter ${letter.id}`)}${letter.redriven ? c.green('  (redriven)') : ''}`,
    `  failed at  ${letter.failedAt}`,
    `  reason     ${c.yellow(oneLine(letter.reason))}`,
    `  event      ${letter.eventId ?? '-'}  ${letter.type ?? ''}  #${letter.position ?? '-'}  stream ${letter.streamId ?? '-'}`,
    '  headers',
    ...Object.entries(letter.headers).map(([key, value]) => `    ${oneLine(key)}: ${oneLine(value)}`),
    '  value',
    `    ${oneLine(letter.value)}`,
  ];
  return `${lines.join('\n')}\n`;
}
