import {
  EVENT_CATALOG,
  EVENT_TYPES,
  type EventType,
  isEventType,
  jsonSchemaOf,
  LINEAGE_EVENT_TYPES,
  schemaFor,
} from '@timeline/shared-types';
import { type CommandSpec, wholeNumberOption } from '../args.js';
import { coloursFor } from '../colour.js';
import type { CommandContext } from '../context.js';
import { usageError } from '../errors.js';
import { write } from '../io.js';
import { jsonOption, renderTable, wantsJson } from '../table.js';

export const typesSpec: CommandSpec = {
  name: 'types',
  summary: 'list the event types of the catalog (no server needed)',
  options: {
    ...jsonOption('one JSON object per type'),
  },
  details: 'fact types become timeline items; lineage types (EventCorrected, EventRetracted) amend them.',
};

export const schemaSpec: CommandSpec = {
  name: 'schema',
  summary: "print an event type's data as JSON Schema (no server needed)",
  arguments: '<type>',
  options: {
    version: { flags: '--version <N>', description: 'the schema version (default: the current one)' },
  },
  details: 'The data a client appends (fields with defaults are optional), as the API documents it.',
};

const kindOf = (type: EventType) =>
  (LINEAGE_EVENT_TYPES as readonly string[]).includes(type) ? 'lineage' : 'fact';

export async function typesCommand(ctx: CommandContext): Promise<void> {
  const types = EVENT_TYPES.map((type) => ({
    type,
    latestVersion: EVENT_CATALOG[type].current,
    kind: kindOf(type),
    description: EVENT_CATALOG[type].description,
  }));
  const text = wantsJson(ctx.values, ctx.io.stdout)
    ? types.map((t) => `${JSON.stringify(t)}\n`).join('')
    : renderTable(
        ['type', 'version', 'kind', 'description'],
        types.map((t) => [t.type, String(t.latestVersion), t.kind, t.description]),
        coloursFor(ctx.io.stdout, ctx.io.env),
      );
  await write(ctx.io.stdout, text);
}

export async function schemaCommand(ctx: CommandContext): Promise<void> {
  const type = ctx.positionals[0]!;
  if (!isEventType(type))
    throw usageError(`schema: unknown event type '${type}'`, `types: ${EVENT_TYPES.join(', ')}`);
  const version = wholeNumberOption(ctx.values, 'version') ?? EVENT_CATALOG[type].current;
  const schema = schemaFor(type, version);
  if (!schema) {
    const versions = Object.keys(EVENT_CATALOG[type].versions).join(', ');
    throw usageError(`--version: ${type} has no schema version ${version}`, `versions: ${versions}`);
  }
  await write(ctx.io.stdout, `${JSON.stringify(jsonSchemaOf(schema, 'input'), null, 2)}\n`);
}
