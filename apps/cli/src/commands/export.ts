import { textChunks } from '@timeline/api-client';
import { EXPORT_FORMATS } from '@timeline/shared-types';
import { choiceOption, type CommandSpec, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { log, openOutput } from '../io.js';
import { Progress } from '../progress.js';

export const exportSpec: CommandSpec = {
  name: 'export',
  summary:
    'export the timeline (corrected items with their sources) as JSONL, CSV or TimelineJS (JSON or spreadsheet CSV)',
  options: {
    format: {
      flags: '--format <jsonl|csv|timelinejs|timelinejs-csv>',
      description: 'the file format (default: jsonl); timelinejs-csv is the TimelineJS spreadsheet template',
    },
    'as-of': {
      flags: '--as-of <T>',
      description: 'the timeline as recorded by T (default: the current one)',
    },
    title: { flags: '--title <TEXT>', description: 'the title of a TimelineJS export' },
    out: {
      flags: '-o, --out <FILE>',
      description: 'write to FILE (it appears whole or not at all); default stdout',
    },
  },
  details: `One row per timeline item in its corrected state, sources (verbatim quotes) included; retracted
items are left out. Progress on stderr when it is a terminal.

CSV is safe to open in a spreadsheet: a field that starts with =, +, -, @, a tab or a carriage
return gets a leading ' so it is shown as text rather than run as a formula (plain numbers such
as -3 and ISO dates are left as they are). Use jsonl for the values exactly as recorded.`,
};

/**
 * `timeline export`: streams `/api/export` to a file or stdout. The CSV's formula neutralisation
 * (a leading `'` before `=`, `+`, `-`, `@`, tab, CR; numbers and ISO dates untouched) is done by the
 * API with shared-types `csvField`, so the CLI, the web download and the API give the same bytes.
 */
export async function exportCommand(ctx: CommandContext): Promise<void> {
  const format = choiceOption(ctx.values, 'format', EXPORT_FORMATS, 'jsonl');
  const query = { format, asOf: stringOption(ctx.values, 'as-of'), title: stringOption(ctx.values, 'title') };
  const { data: body, response } = await ctx.api().send('read', 'GET', (http) =>
    http.GET('/api/export', {
      params: { query },
      headers: { accept: '*/*' },
      parseAs: 'stream',
      signal: ctx.signal,
    }),
  );
  const output = openOutput(ctx.io, stringOption(ctx.values, 'out'));
  // A TimelineJS export is one JSON document: its progress is counted in bytes, the others in rows.
  const progress = new Progress(ctx.io, `export ${format}`);
  let rows = 0;
  let bytes = 0;
  let ok = false;
  try {
    for await (const chunk of textChunks(body)) {
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) rows += 1;
      bytes += Buffer.byteLength(chunk);
      await output.write(chunk);
      if (format === 'timelinejs') progress.update(bytes, 'bytes');
      else progress.update(rows, 'rows');
    }
    ok = true;
  } finally {
    progress.done();
    await output.close(ok);
  }
  log(
    ctx.io,
    `export: ${format} of the timeline at log position ${response.headers.get('timeline-position') ?? '?'}`,
  );
}
