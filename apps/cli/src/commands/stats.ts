import type { Schema } from '@timeline/api-client';
import { STATS_DIMENSIONS, statsToCsv } from '@timeline/shared-types';
import { choiceOption, type CommandSpec, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { printable, write } from '../io.js';

export const statsSpec: CommandSpec = {
  name: 'stats',
  summary: 'count timeline items by pillar, actor, type and valid-time month',
  options: {
    'as-of': { flags: '--as-of <T>', description: 'count the timeline as recorded by T' },
    format: { flags: '--format <table|json|csv>', description: 'the output format (default: table)' },
  },
  details: 'Year-precision items count under their year.',
};

export async function statsCommand(ctx: CommandContext): Promise<void> {
  const format = choiceOption(ctx.values, 'format', ['table', 'json', 'csv'] as const, 'table');
  const asOf = stringOption(ctx.values, 'as-of');
  const { data: stats } = await ctx
    .api()
    .send('read', 'GET', (http) => http.GET('/api/stats', { params: { query: { asOf } }, parseAs: 'json' }));
  const out =
    format === 'json'
      ? `${JSON.stringify(stats)}\n`
      : format === 'csv'
        ? statsToCsv(stats)
        : statsTable(stats);
  await write(ctx.io.stdout, out);
}

const TITLES: Record<(typeof STATS_DIMENSIONS)[number], string> = {
  byPillar: 'pillar',
  byActor: 'actor',
  byType: 'type',
  byMonth: 'month',
};

/** A plain-text table per dimension, counts right-aligned, largest first. */
export function statsTable(stats: Schema<'TimelineStats'>): string {
  const lines = [
    `${stats.total} item${stats.total === 1 ? '' : 's'} on the timeline at log position ${stats.position}${stats.asOf ? ` (as of ${stats.asOf})` : ''}`,
  ];
  for (const dimension of STATS_DIMENSIONS) {
    const entries = Object.entries(stats[dimension]);
    if (dimension !== 'byMonth') entries.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    lines.push('', `by ${TITLES[dimension]}`);
    if (entries.length === 0) lines.push('  (none)');
    const width = Math.max(0, ...entries.map(([key]) => key.length));
    for (const [key, count] of entries)
      lines.push(`  ${printable(key).padEnd(width)}  ${String(count).padStart(6)}`);
  }
  return `${lines.join('\n')}\n`;
}
