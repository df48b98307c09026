import { textChunks } from '@timeline/api-client';
import { EXPORT_FORMATS } from '@timeline/shared-types';
import { choiceOption, type CommandSpec, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { log, openOutput } from '../io.js';

export const exportSpec: CommandSpec = {
  name: 'export',
  summary: 'export the timeline (corrected items with their sources) as JSONL, CSV or TimelineJS',
  usage: `timeline export [--format jsonl|csv|timelinejs] [--as-of T] [--title TEXT] [--out FILE]

  One row per timeline item in its corrected state, sources (verbatim quotes) included; retracted
  items are left out. Without --as-of: the current timeline; with it: as recorded by then.

  CSV is safe to open in a spreadsheet: a field that starts with =, +, -, @, a tab or a carriage
  return gets a leading ' so it is shown as text rather than run as a formula (plain numbers such
  as -3 and ISO dates are left as they are). Use jsonl for the values exactly as recorded.`,
  options: {
    format: { type: 'string' },
    'as-of': { type: 'string' },
    title: { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
};

/**
 * `timeline export`: streams `/api/export` to a file or stdout. The CSV's formula neutralisation
 * (a leading `'` before `=`, `+`, `-`, `@`, tab, CR; numbers and ISO dates untouched) is done by the
 * API with shared-types `csvField`, so the CLI, the web download and the API give the same bytes.
 */
export async function exportCommand(ctx: CommandContext): Promise<void> {
  const format = choiceOption(ctx.values, 'format', EXPORT_FORMATS, 'jsonl');
  const query = { format, asOf: stringOption(ctx.values, 'as-of'), title: stringOption(ctx.values, 'title') };
  const { data: body, response } = await ctx.api().send('GET', (http) =>
    http.GET('/api/export', {
      params: { query },
      headers: { accept: '*/*' },
      parseAs: 'stream',
      signal: ctx.signal,
    }),
  );
  const output = openOutput(ctx.io, stringOption(ctx.values, 'out'));
  let ok = false;
  try {
    for await (const chunk of textChunks(body)) await output.write(chunk);
    ok = true;
  } finally {
    await output.close(ok);
  }
  log(
    ctx.io,
    `export: ${format} of the timeline at log position ${response.headers.get('timeline-position') ?? '?'}`,
  );
}
