import type { Schema } from '@timeline/api-client';
import { type CommandSpec, requiredOption, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { usageError, validationError } from '../errors.js';
import { log, readInputFile, write } from '../io.js';
import { parseJson, parseOccurred } from './append.js';

export const correctSpec: CommandSpec = {
  name: 'correct',
  summary: 'correct an event: a JSON merge patch of its data and/or its valid time, with a reason',
  arguments: '<eventId>',
  options: {
    patch: {
      flags: '--patch <JSON>',
      description: 'a JSON merge patch of the data (RFC 7386: null removes a field)',
    },
    'patch-file': { flags: '--patch-file <FILE>', description: 'the merge patch read from FILE' },
    set: {
      flags: '--set <path=value>',
      description:
        'set one field (repeatable): a dotted path and a JSON value, a bare word being a string: --set place=Delhi --set \'actors=["A","B"]\'',
      multiple: true,
    },
    occurred: {
      flags: '--occurred <WHEN>',
      description: 'the corrected valid time, as `append --occurred` takes it',
    },
    reason: { flags: '--reason <TEXT>', description: 'why it is corrected (required; kept in the lineage)' },
  },
  details: `History is never edited: the correction is an EventCorrected appended to the event's stream.
Prints the API's answer (versions and positions) as JSON; \`timeline show <eventId>\` shows the lineage.
Exit 2 when the API refuses the patch, 3 when the event is unknown, not a fact, or retracted.`,
};

export const retractSpec: CommandSpec = {
  name: 'retract',
  summary: 'retract an event: its item leaves the timeline from now on (history keeps it)',
  arguments: '<eventId>',
  options: {
    reason: { flags: '--reason <TEXT>', description: 'why it is retracted (required; kept in the lineage)' },
  },
  details:
    "Prints the API's answer as JSON. Exit 3 when the event is unknown, not a fact, or already retracted.",
};

export async function correctCommand(ctx: CommandContext): Promise<void> {
  const eventId = ctx.positionals[0]!;
  const reason = requiredOption(ctx.values, 'reason', 'correct');
  const patch = await correctionPatch(ctx);
  const occurred = stringOption(ctx.values, 'occurred');
  if (patch === undefined && occurred === undefined)
    throw usageError(
      'correct: say what changes: --patch, --patch-file, --set or --occurred',
      'see: timeline correct --help',
    );
  const body: Schema<'CorrectionRequest'> = { reason };
  if (patch !== undefined) body.patch = patch;
  if (occurred !== undefined)
    body.occurredAt = parseOccurred(occurred) as Schema<'CorrectionRequest'>['occurredAt'];
  const { data } = await ctx
    .api()
    .send('write', 'POST', (http) =>
      http.POST('/api/events/{eventId}/corrections', { params: { path: { eventId } }, body }),
    );
  await recorded(ctx, 'correct', eventId, data);
}

export async function retractCommand(ctx: CommandContext): Promise<void> {
  const eventId = ctx.positionals[0]!;
  const reason = requiredOption(ctx.values, 'reason', 'retract');
  const { data } = await ctx
    .api()
    .send('write', 'POST', (http) =>
      http.POST('/api/events/{eventId}/retraction', { params: { path: { eventId } }, body: { reason } }),
    );
  await recorded(ctx, 'retract', eventId, data);
}

async function recorded(
  ctx: CommandContext,
  verb: string,
  eventId: string,
  answer: Schema<'AppendResponse'>,
) {
  const position = answer.events[0]?.position;
  log(ctx.io, `${verb}: recorded at log position ${position ?? '?'}; see: timeline show ${eventId}`);
  await write(ctx.io.stdout, `${JSON.stringify(answer)}\n`);
}

/** `--patch` or `--patch-file`, with each `--set` merged on top; undefined when none was given. */
async function correctionPatch(ctx: CommandContext): Promise<Record<string, unknown> | undefined> {
  const inline = stringOption(ctx.values, 'patch');
  const file = stringOption(ctx.values, 'patch-file');
  if (inline !== undefined && file !== undefined)
    throw usageError('correct: --patch and --patch-file cannot both be used');
  const sets = (ctx.values.set as string[] | undefined) ?? [];
  if (inline === undefined && file === undefined && sets.length === 0) return undefined;
  const base =
    inline !== undefined
      ? parseJson(inline, '--patch')
      : file !== undefined
        ? parseJson(await readInputFile(ctx.io, file), file)
        : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base))
    throw validationError('the patch must be a JSON object (a merge patch of the data)');
  const patch = base as Record<string, unknown>;
  for (const assignment of sets) applySet(patch, assignment);
  return patch;
}

/** `--set a.b=value`: the value is JSON when it parses as JSON, else the text itself. */
export function applySet(patch: Record<string, unknown>, assignment: string): void {
  const equals = assignment.indexOf('=');
  const path = equals > 0 ? assignment.slice(0, equals).split('.') : [];
  if (path.length === 0 || path.some((key) => key === '' || key === '__proto__'))
    throw usageError(
      `--set takes path=value (a dotted path such as place or occurred.note), got '${assignment}'`,
    );
  const text = assignment.slice(equals + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  let target = patch;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[path.at(-1)!] = value;
}
