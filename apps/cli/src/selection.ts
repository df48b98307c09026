import { REPLAY_MODES, ReplayQuerySchema, type ReplaySelection } from '@timeline/shared-types';
import { choiceOption, listOption, type ParsedCommandLine, stringOption } from './args.js';
import { usageError } from './errors.js';

/** The replay flags, named as the API's query parameters are (lists repeat or take commas). */
export const SELECTION_OPTIONS = {
  after: { type: 'string' },
  until: { type: 'string' },
  stream: { type: 'string', multiple: true },
  type: { type: 'string', multiple: true },
  pillar: { type: 'string', multiple: true },
  actor: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  'as-of': { type: 'string' },
  mode: { type: 'string' },
} as const;

const FLAG_OF: Record<string, string> = {
  streams: '--stream',
  types: '--type',
  pillars: '--pillar',
  actors: '--actor',
  asOf: '--as-of',
};

/** The query string the API takes for these flags (what `GET /api/replay` is sent). */
export function selectionQuery(values: ParsedCommandLine['values']): Record<string, string | undefined> {
  const list = (name: string) => listOption(values, name)?.join(',');
  return {
    mode: choiceOption(values, 'mode', REPLAY_MODES, 'events'),
    after: stringOption(values, 'after'),
    until: stringOption(values, 'until'),
    streams: list('stream'),
    types: list('type'),
    pillars: list('pillar'),
    actors: list('actor'),
    from: stringOption(values, 'from'),
    to: stringOption(values, 'to'),
    asOf: stringOption(values, 'as-of'),
  };
}

/**
 * Parses the flags with the API's own schema, so the CLI refuses exactly what the API would, and a
 * replay from Kafka applies exactly the selection a replay from the store does.
 */
export function parseSelection(values: ParsedCommandLine['values']): ReplaySelection {
  const query = Object.fromEntries(Object.entries(selectionQuery(values)).filter(([, v]) => v !== undefined));
  const parsed = ReplayQuerySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const flag = FLAG_OF[key] ?? `--${key}`;
    return `  ${flag}${issue.path.length > 1 ? ` (item ${Number(issue.path[1]) + 1})` : ''}: ${issue.message}`;
  });
  throw usageError('invalid replay selection', ...details);
}
