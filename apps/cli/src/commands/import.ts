import { basename, extname } from 'node:path';
import { type CommandSpec, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { log, readInputFile, write } from '../io.js';
import { appendBatches } from '../import/append-batches.js';
import { validateJsonl } from '../import/jsonl.js';
import { validateTimelineJs } from '../import/timelinejs.js';
import type { ImportProblem, ImportValidation } from '../import/validate-events.js';
import { Progress } from '../progress.js';

export const importSpec: CommandSpec = {
  name: 'import',
  summary:
    'import events from a JSONL file (events or a timeline export) or a TimelineJS file, all or nothing, idempotently',
  arguments: '<file>',
  options: {
    stream: {
      flags: '-s, --stream <S>',
      description:
        'JSONL: the stream of lines that name none; TimelineJS: the stream of every slide (required)',
    },
    type: {
      flags: '--type <T>',
      description: 'TimelineJS: the event type of the slides (default: FactNoted)',
    },
    data: { flags: '--data <JSON>', description: 'TimelineJS: the fields the type needs that slides lack' },
    format: { flags: '--format <jsonl|timelinejs>', description: 'the file format (default: from the file)' },
  },
  details: `JSONL: one event per line, {streamId, eventId?, type, schemaVersion?, occurredAt, data, metadata?},
or the items of a JSONL export (timeline export): each item is appended once, as its current state
(corrections folded in, under the item's id); the lineage of corrections is not carried.
The whole file is validated first: a bad line is reported by its number and failing path (exit 2)
and nothing is written. Lines without an eventId get one derived from their content, so importing
the same file twice adds nothing. TimelineJS (.json): slides become events of --stream and --type
(FactNoted is the catalog's neutral fact: a slide says nothing of which kind of fact it is).`,
};

const SHOWN_PROBLEMS = 20;

export async function importCommand(ctx: CommandContext): Promise<void> {
  const file = ctx.positionals[0]!;
  const text = await readInputFile(ctx.io, file);
  const format = stringOption(ctx.values, 'format') ?? detectFormat(file, text);
  const stream = stringOption(ctx.values, 'stream');
  let validation: ImportValidation;
  if (format === 'timelinejs') {
    if (!stream) throw usageError('import: a TimelineJS file needs --stream (its slides name no stream)');
    const type = stringOption(ctx.values, 'type') ?? 'FactNoted';
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new CliError(EXIT.validation, `${file} is not JSON: ${(error as Error).message}`);
    }
    validation = validateTimelineJs(document, {
      streamId: stream,
      type,
      extraData: parseExtraData(stringOption(ctx.values, 'data')),
      fileName: basename(file),
    });
  } else if (format === 'jsonl') {
    if (ctx.values.type !== undefined || ctx.values.data !== undefined)
      throw usageError('import: --type and --data are for TimelineJS files');
    validation = validateJsonl(text, { defaultStream: stream });
  } else {
    throw usageError(`import: unknown --format '${format}' (jsonl or timelinejs)`);
  }

  if (!validation.ok) {
    const unit = format === 'jsonl' ? 'line' : 'slide';
    const shown = validation.problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${describe(p, unit)}`);
    const more = validation.problems.length - shown.length;
    throw new CliError(
      EXIT.validation,
      `${file}: ${validation.problems.length} problem(s); nothing was imported`,
      [...shown, ...(more > 0 ? [`  … and ${more} more`] : []), 'fix the file and run the import again'],
    );
  }
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

function describe(problem: ImportProblem, unit: string): string {
  const where = problem.line > 0 ? `${unit} ${problem.line}` : 'file';
  return `${where}: ${problem.path}: ${problem.message}`;
}

/** `.jsonl`/`.ndjson` are JSONL; a `.json` file (or any file that is one JSON object with `events`) is TimelineJS. */
export function detectFormat(file: string, text: string): 'jsonl' | 'timelinejs' {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
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
