import { basename, extname } from 'node:path';
import { type CommandSpec, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { log, readInputFile, write } from '../io.js';
import { appendBatches } from '../import/append-batches.js';
import { validateJsonl } from '../import/jsonl.js';
import {
  CSV_MAP_FIELDS,
  isTimelineJsSheet,
  mapCsvWithMap,
  mapTimelineJs,
  mapTimelineJsSheet,
  parseCsvMap,
  readCsvTable,
  type SlideImportOptions,
} from '@timeline/shared-types';
import { validateMapped } from '../import/timelinejs.js';
import type { ImportProblem, ImportValidation } from '../import/validate-events.js';
import { Progress } from '../progress.js';

export const importSpec: CommandSpec = {
  name: 'import',
  summary:
    'import events from JSONL (events or a timeline export), TimelineJS JSON or a CSV (the TimelineJS spreadsheet or any, mapped), all or nothing, idempotently',
  arguments: '<file>',
  options: {
    stream: {
      flags: '-s, --stream <S>',
      description:
        'JSONL: the stream of lines that name none; TimelineJS and CSV: the stream of every slide or row (required)',
    },
    type: {
      flags: '--type <T>',
      description: 'TimelineJS and CSV: the event type of the slides or rows (default: FactNoted)',
    },
    data: {
      flags: '--data <JSON>',
      description: 'TimelineJS and CSV: the fields the type needs that slides lack',
    },
    map: {
      flags: '--map <F=COLUMN,…>',
      description: `CSV not in the TimelineJS template: which column is which (${CSV_MAP_FIELDS.join(', ')}; title and start required)`,
    },
    'skip-invalid': {
      flags: '--skip-invalid',
      description:
        'TimelineJS and CSV: leave out bad slides or rows (counted, listed) instead of importing nothing',
    },
    format: {
      flags: '--format <jsonl|timelinejs|csv>',
      description: 'the file format (default: from the file)',
    },
  },
  details: `JSONL: one event per line, {streamId, eventId?, type, schemaVersion?, occurredAt, data, metadata?},
or the items of a JSONL export (timeline export): each item is appended once, as its current state
(corrections folded in, under the item's id); the lineage of corrections is not carried.
The whole file is validated first: a bad line is reported by its number and failing path (exit 2)
and nothing is written. Lines without an eventId get one derived from their content, so importing
the same file twice adds nothing. TimelineJS (.json): slides become events of --stream and --type
(FactNoted is the catalog's neutral fact: a slide says nothing of which kind of fact it is); eras
become EraMarked events; the title slide is the timeline's title (each event's source title), not an
event. A slide with only media takes its title from the caption, credit or URL (said so in
data.inferred). CSV (.csv): the TimelineJS spreadsheet template (Year, Month, Day, Time, …, Headline,
Text, Media, …, Type, Group; any column order) is read as its slides, eras and title row; any other
CSV needs --map, e.g. --map title=Headline,start=Date,quote=Text,url=Link. A bad slide or row is
reported by number; --skip-invalid imports the others and counts what it left out.`,
};

const SHOWN_PROBLEMS = 20;

export async function importCommand(ctx: CommandContext): Promise<void> {
  const file = ctx.positionals[0]!;
  const text = await readInputFile(ctx.io, file);
  const format = stringOption(ctx.values, 'format') ?? detectFormat(file, text);
  const stream = stringOption(ctx.values, 'stream');
  const skipInvalid = ctx.values['skip-invalid'] === true;
  let validation: ImportValidation;
  if (format === 'timelinejs' || format === 'csv') {
    if (!stream)
      throw usageError(
        `import: a ${format === 'csv' ? 'CSV' : 'TimelineJS'} file needs --stream (its rows name no stream)`,
      );
    const options: SlideImportOptions = {
      streamId: stream,
      type: stringOption(ctx.values, 'type') ?? 'FactNoted',
      fileName: basename(file),
    };
    const extraData = parseExtraData(stringOption(ctx.values, 'data'));
    if (extraData) options.extraData = extraData;
    const mapped =
      format === 'csv'
        ? mapCsv(file, text, stringOption(ctx.values, 'map'), options)
        : mapTimelineJs(parseJson(file, text), options);
    validation = validateMapped(mapped, { skipInvalid });
  } else if (format === 'jsonl') {
    for (const flag of ['type', 'data', 'map', 'skip-invalid'])
      if (ctx.values[flag] !== undefined)
        throw usageError(`import: --${flag} is for TimelineJS and CSV files`);
    validation = validateJsonl(text, { defaultStream: stream });
  } else {
    throw usageError(`import: unknown --format '${format}' (jsonl, timelinejs or csv)`);
  }

  if (!validation.ok) {
    const hint =
      format === 'jsonl'
        ? 'fix the file and run the import again'
        : 'fix the file and run the import again, or pass --skip-invalid to import the rest';
    throw new CliError(
      EXIT.validation,
      `${file}: ${validation.problems.length} problem(s); nothing was imported`,
      [...listProblems(validation.problems), hint],
    );
  }
  if (validation.skipped) {
    log(ctx.io, `import: skipped ${validation.skipped.length} invalid slide(s) or row(s) (--skip-invalid):`);
    for (const line of listProblems(validation.skipped)) log(ctx.io, line);
  }
  if (validation.title)
    log(ctx.io, `import: timeline title "${validation.title}" (kept as each event's source title)`);
  if (validation.events.length === 0) {
    log(ctx.io, `import: ${file} holds no events`);
    await write(
      ctx.io.stdout,
      `${JSON.stringify({ events: 0, appended: 0, alreadyStored: 0, streams: 0 })}\n`,
    );
    return;
  }
  if (validation.items) {
    log(
      ctx.io,
      `import: ${file} is a timeline export: its ${validation.events.length} item(s) are imported as their current state, corrections folded in; their lineage (the history of corrections) is not carried, and retracted items are not in an export`,
    );
  }
  const progress = new Progress(ctx.io, 'import', validation.events.length);
  const summary = await appendBatches(
    ctx.api(),
    validation.events,
    (done) => progress.update(done, 'events'),
    validation.items ? 'as-listed' : 'by-stream',
  );
  progress.done();
  log(
    ctx.io,
    `import: ${summary.appended} appended, ${summary.alreadyStored} already stored, in ${summary.streams} stream(s)`,
  );
  await write(ctx.io.stdout, `${JSON.stringify(summary)}\n`);
}

function listProblems(problems: readonly ImportProblem[]): string[] {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${describe(p)}`);
  const more = problems.length - shown.length;
  return more > 0 ? [...shown, `  … and ${more} more`] : shown;
}

function describe(problem: ImportProblem): string {
  const where = problem.line > 0 ? `${problem.unit ?? 'line'} ${problem.line}` : 'file';
  return `${where}: ${problem.path}: ${problem.message}`;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(EXIT.validation, `${file} is not JSON: ${(error as Error).message}`);
  }
}

function mapCsv(file: string, text: string, mapSpec: string | undefined, options: SlideImportOptions) {
  let table: ReturnType<typeof readCsvTable>;
  try {
    table = readCsvTable(text);
  } catch (error) {
    throw new CliError(EXIT.validation, `${file} is not CSV: ${(error as Error).message}`);
  }
  if (mapSpec !== undefined) {
    const parsed = parseCsvMap(mapSpec);
    if ('error' in parsed) throw usageError(`import: --map: ${parsed.error}`);
    return mapCsvWithMap(table, parsed.map, options);
  }
  if (isTimelineJsSheet(table.header)) return mapTimelineJsSheet(table, options);
  throw usageError(
    `import: ${file} is not the TimelineJS spreadsheet template (its header has no Year and Headline): name its columns with --map, e.g. --map title=Headline,start=Date,quote=Text,url=Link`,
  );
}

/**
 * `.jsonl`/`.ndjson` are JSONL; `.csv` is CSV; a `.json` file (or any file that is one JSON object
 * with `events`) is TimelineJS.
 */
export function detectFormat(file: string, text: string): 'jsonl' | 'timelinejs' | 'csv' {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'timelinejs';
  const trimmed = text.trimStart();
  if (
    trimmed.startsWith('{') &&
    /"events"\s*:\s*\[/.test(trimmed.slice(0, 10_000)) &&
    !trimmed.includes('\n{')
  )
    return 'timelinejs';
  return 'jsonl';
}

function parseExtraData(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw usageError(`--data must be a JSON object, got '${value}'`);
}
