import type { Schema } from '@timeline/api-client';
import { type CommandSpec, stringOption } from '../args.js';
import { coloursFor } from '../colour.js';
import type { CommandContext } from '../context.js';
import { write } from '../io.js';
import { jsonOption, renderTable, wantsJson } from '../table.js';

export const streamsSpec: CommandSpec = {
  name: 'streams',
  summary: 'list the streams: version, event count, last recorded',
  options: {
    after: {
      flags: '--after <streamId>',
      description: 'start after this stream (streams are ordered by id)',
    },
    ...jsonOption('one JSON object per stream'),
  },
  details: 'Follows the pages to the end: a table on a terminal, NDJSON when piped.',
};

const PAGE_SIZE = 1000;

export async function streamsCommand(ctx: CommandContext): Promise<void> {
  const json = wantsJson(ctx.values, ctx.io.stdout);
  const table: Schema<'StreamSummary'>[] = [];
  let after = stringOption(ctx.values, 'after');
  do {
    const query = { limit: PAGE_SIZE, ...(after === undefined ? {} : { after }) };
    const { data: page } = await ctx
      .api()
      .send('read', 'GET', (http) => http.GET('/api/streams', { params: { query }, signal: ctx.signal }));
    // Piped, each page goes out as it comes; a table needs every row for its column widths.
    if (json)
      await write(ctx.io.stdout, page.streams.map((stream) => `${JSON.stringify(stream)}\n`).join(''));
    else table.push(...page.streams);
    after = page.next ?? undefined;
  } while (after !== undefined && !ctx.signal.aborted);
  if (json) return;
  const rows = table.map((s) => [s.streamId, String(s.version), String(s.eventCount), s.lastRecordedAt]);
  await write(
    ctx.io.stdout,
    rows.length === 0
      ? 'no streams yet\n'
      : renderTable(
          ['stream', 'version', 'events', 'last recorded'],
          rows,
          coloursFor(ctx.io.stdout, ctx.io.env),
        ),
  );
}
