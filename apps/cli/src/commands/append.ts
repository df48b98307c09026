import type { Schema } from '@timeline/api-client';
import { EXPECTED_VERSION_KEYWORDS, type ExpectedVersion } from '@timeline/shared-types';
import { type CommandSpec, requiredOption, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { usageError, validationError } from '../errors.js';
import { readInputFile, write } from '../io.js';

export const appendSpec: CommandSpec = {
  name: 'append',
  summary: 'append events to a stream',
  options: {
    stream: { flags: '-s, --stream <S>', description: 'the stream to append to (required)' },
    'expected-version': {
      flags: '--expected-version <N|no_stream|any>',
      description: 'refuse the append unless the stream is at this version (exit 3)',
    },
    file: {
      flags: '-f, --file <FILE>',
      description: 'a JSON array of events, or {expectedVersion?, events: [...]}, as the API takes them',
    },
    type: { flags: '--type <T>', description: 'the event type (without --file)' },
    occurred: {
      flags: '--occurred <WHEN>',
      description:
        "valid time: 2024, 2024-07, 2024-07-24 or 2024-07-24T09:30+05:30, precision from the form; '/day' (year|month|day|minute) says it explicitly; 'START..END' for a period",
    },
    data: { flags: '--data <JSON>', description: "the event's data as JSON (without --file)" },
    'event-id': { flags: '--event-id <UUID>', description: 'the eventId (default: the server makes one)' },
    metadata: { flags: '--metadata <JSON>', description: 'metadata as JSON (sources, recordedBy, ...)' },
  },
  details: "Prints the API's answer (versions and positions) as JSON. Exit 3 on a version conflict.",
};

export async function appendCommand(ctx: CommandContext): Promise<void> {
  const streamId = requiredOption(ctx.values, 'stream', 'append');
  const file = stringOption(ctx.values, 'file');
  let expectedVersion = parseExpectedVersion(stringOption(ctx.values, 'expected-version'));
  let events: unknown[];
  if (file !== undefined) {
    for (const flag of ['type', 'occurred', 'data', 'event-id', 'metadata']) {
      if (ctx.values[flag] !== undefined) throw usageError(`append: --${flag} cannot be used with --file`);
    }
    const parsed = parseJson(await readInputFile(ctx.io, file), file);
    if (Array.isArray(parsed)) events = parsed;
    else if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { events?: unknown }).events)) {
      const body = parsed as { events: unknown[]; expectedVersion?: ExpectedVersion };
      events = body.events;
      expectedVersion ??= body.expectedVersion;
    } else
      throw validationError(`${file}: expected a JSON array of events or {expectedVersion?, events: [...]}`);
  } else {
    const type = requiredOption(ctx.values, 'type', 'append');
    const occurred = requiredOption(ctx.values, 'occurred', 'append');
    const event: Record<string, unknown> = {
      type,
      occurredAt: parseOccurred(occurred),
      data: parseJson(requiredOption(ctx.values, 'data', 'append'), '--data'),
    };
    const eventId = stringOption(ctx.values, 'event-id');
    if (eventId !== undefined) event.eventId = eventId;
    const metadata = stringOption(ctx.values, 'metadata');
    if (metadata !== undefined) event.metadata = parseJson(metadata, '--metadata');
    events = [event];
  }
  const body: Record<string, unknown> = { events };
  if (expectedVersion !== undefined) body.expectedVersion = expectedVersion;
  // The API validates the events; the CLI passes on what it was given.
  const result = await ctx.api().appendEvents(streamId, body as Schema<'AppendRequest'>);
  await write(ctx.io.stdout, `${JSON.stringify(result)}\n`);
}

export function parseExpectedVersion(value: string | undefined): ExpectedVersion | undefined {
  if (value === undefined) return undefined;
  if ((EXPECTED_VERSION_KEYWORDS as readonly string[]).includes(value)) return value as ExpectedVersion;
  if (/^\d{1,9}$/.test(value)) return Number(value);
  throw usageError(`--expected-version must be a number, no_stream or any, got '${value}'`);
}

const PRECISION_BY_FORM: Array<[RegExp, string]> = [
  [/^\d{4}$/, 'year'],
  [/^\d{4}-\d{2}$/, 'month'],
  [/^\d{4}-\d{2}-\d{2}$/, 'day'],
  [/^\d{4}-\d{2}-\d{2}T/, 'minute'],
];

/** `2024-07-24`, `2024-07/month`, `2024-07-24T09:30+05:30`, `2024-07-24..2024-07-25/day` → occurredAt. */
export function parseOccurred(value: string): { start: string; end?: string; precision: string } {
  const slash = value.lastIndexOf('/');
  const explicit = slash > 0 ? value.slice(slash + 1) : undefined;
  const period = slash > 0 ? value.slice(0, slash) : value;
  const [start = '', end] = period.split('..');
  const precision = explicit ?? PRECISION_BY_FORM.find(([form]) => form.test(start))?.[1];
  if (!precision) {
    throw usageError(
      `--occurred '${value}' is not a date: use 2024, 2024-07, 2024-07-24 or 2024-07-24T09:30Z, optionally /precision`,
    );
  }
  return end === undefined ? { start, precision } : { start, end, precision };
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw validationError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}
