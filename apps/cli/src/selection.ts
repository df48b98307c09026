import { REPLAY_MODES, ReplayQuerySchema, type ReplaySelection } from '@timeline/shared-types';
import { choiceOption, listOption, type OptionSpec, type OptionValues, stringOption } from './args.js';
import { usageError } from './errors.js';

/** The replay flags, named as the API's query parameters are (lists repeat or take commas). */
export const SELECTION_OPTIONS = {
  mode: {
    flags: '--mode <events|timeline>',
    description:
      'events (default): log envelopes in position order past --after, a matching fact bringing its corrections and retractions; timeline: the timeline folded as of --until/--as-of, filtered on the corrected items',
  },
  after: { flags: '--after <N>', description: 'events: only positions after N' },
  until: { flags: '--until <N>', description: 'up to log position N (pin it to repeat a replay)' },
  stream: { flags: '--stream <S,...>', description: 'only these streams (repeatable)', multiple: true },
  type: { flags: '--type <T,...>', description: 'only these event types (repeatable)', multiple: true },
  pillar: { flags: '--pillar <P,...>', description: 'only these pillars (repeatable)', multiple: true },
  actor: { flags: '--actor <A,...>', description: 'only these actors (repeatable)', multiple: true },
  from: {
    flags: '--from <DATE>',
    description: 'valid-time window start; precision is honoured (2021 overlaps 2021-06)',
  },
  to: { flags: '--to <DATE>', description: 'valid-time window end' },
  'as-of': {
    flags: '--as-of <T>',
    description: 'knowledge time: only what had been recorded by T (ISO date or datetime)',
  },
} as const satisfies Record<string, OptionSpec>;

const FLAG_OF: Record<string, string> = {
  streams: '--stream',
  types: '--type',
  pillars: '--pillar',
  actors: '--actor',
  asOf: '--as-of',
};

/** The query string the API takes for these flags (what `GET /api/replay` is sent). */
export function selectionQuery(values: OptionValues): Record<string, string | undefined> {
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
export function parseSelection(values: OptionValues): ReplaySelection {
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
