import type { Schema } from '@timeline/api-client';
import type { EventEnvelope } from '@timeline/shared-types';
import type { CommandSpec } from '../args.js';
import { type Colours, coloursFor } from '../colour.js';
import type { CommandContext } from '../context.js';
import { oneLine, write } from '../io.js';
import { jsonOption, wantsJson } from '../table.js';

export const showSpec: CommandSpec = {
  name: 'show',
  summary: 'show one event with its lineage: corrections, retraction, sources and its current item',
  arguments: '<eventId>',
  options: {
    ...jsonOption('the API answer as JSON'),
  },
  details: 'Exit 1 when the event is unknown, 2 when the eventId is not a UUID.',
};

export async function showCommand(ctx: CommandContext): Promise<void> {
  const eventId = ctx.positionals[0]!;
  const { data } = await ctx
    .api()
    .send('read', 'GET', (http) =>
      http.GET('/api/events/{eventId}', { params: { path: { eventId } }, signal: ctx.signal }),
    );
  const text = wantsJson(ctx.values, ctx.io.stdout)
    ? `${JSON.stringify(data)}\n`
    : renderEventDetail(data, coloursFor(ctx.io.stdout, ctx.io.env));
  await write(ctx.io.stdout, text);
}

/** The event and its lineage as a terminal reader wants it: what it says first, then what became of it. */
export function renderEventDetail(detail: Schema<'EventDetails'>, c: Colours): string {
  const { event, corrections, retraction, item } = detail;
  const lines = [
    `${c.bold(oneLine(event.type))} v${event.schemaVersion}  ${c.dim(`#${event.position}`)}  stream ${oneLine(event.streamId)} v${event.streamVersion}`,
    `  event      ${event.eventId}`,
    `  occurred   ${validTime(event.occurredAt)}`,
    `  recorded   ${event.recordedAt}`,
    ...fields('data', event.data as Record<string, unknown>),
    ...sources(event.metadata?.sources ?? []),
  ];
  if (corrections.length > 0) {
    lines.push('', c.bold(`corrections (${corrections.length})`));
    for (const correction of corrections) {
      const data = correction.data as {
        reason?: string;
        patch?: unknown;
        occurredAt?: EventEnvelope['occurredAt'];
      };
      lines.push(
        `  ${c.dim(`#${correction.position}`)}  ${correction.recordedAt}  ${c.yellow(oneLine(String(data.reason ?? '')))}`,
      );
      if (data.patch !== undefined) lines.push(`      patch     ${oneLine(JSON.stringify(data.patch))}`);
      if (data.occurredAt) lines.push(`      occurred  ${validTime(data.occurredAt)}`);
    }
  }
  if (retraction) {
    const reason = String((retraction.data as { reason?: string }).reason ?? '');
    lines.push(
      '',
      `${c.red(c.bold('retracted'))}  ${c.dim(`#${retraction.position}`)}  ${retraction.recordedAt}  ${oneLine(reason)}`,
    );
  }
  if (item) {
    lines.push('', c.bold('on the timeline now'), `  ${oneLine(item.title)}  ${validTime(item.occurredAt)}`);
    if (item.summary) lines.push(`  ${oneLine(item.summary)}`);
  } else if (!retraction && corrections.length === 0 && isLineage(event)) {
    lines.push('', `this ${event.type} is part of another event's lineage`);
  }
  return `${lines.join('\n')}\n`;
}

const isLineage = (event: EventEnvelope) =>
  event.type === 'EventCorrected' || event.type === 'EventRetracted';

function validTime(when: EventEnvelope['occurredAt']): string {
  return `${oneLine(when.start)}${when.end ? `..${oneLine(when.end)}` : ''} (${when.precision})`;
}

function fields(title: string, data: Record<string, unknown>): string[] {
  const entries = Object.entries(data);
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([key]) => key.length));
  return [
    `  ${title}`,
    ...entries.map(
      ([key, value]) =>
        `    ${oneLine(key).padEnd(width)}  ${oneLine(typeof value === 'string' ? value : JSON.stringify(value))}`,
    ),
  ];
}

function sources(
  list: ReadonlyArray<{ publisher: string; title: string; quote: string; url?: string }>,
): string[] {
  if (list.length === 0) return [];
  return [
    `  sources`,
    ...list.map(
      (source) =>
        `    ${oneLine(source.publisher)}, "${oneLine(source.title)}": ${oneLine(source.quote)}${source.url ? ` <${oneLine(source.url)}>` : ''}`,
    ),
  ];
}
