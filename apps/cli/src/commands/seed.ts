import { SEED_EVENTS } from '@timeline/shared-types/seed';
import type { CommandSpec } from '../args.js';
import type { CommandContext } from '../context.js';
import { appendBatches } from '../import/append-batches.js';
import type { ImportEvent } from '../import/validate-events.js';
import { log, write } from '../io.js';
import { Progress } from '../progress.js';

export const seedSpec: CommandSpec = {
  name: 'seed',
  summary: 'append the seed dataset (India–UK, July 2024) through the API; running it again adds nothing',
  options: {},
  details: 'Every seed event has a fixed eventId, so a second run is answered from the store as a duplicate.',
};

export async function seedCommand(ctx: CommandContext): Promise<void> {
  const events: ImportEvent[] = SEED_EVENTS.map((seed, index) => ({
    line: index + 1,
    streamId: seed.streamId,
    event: {
      eventId: seed.eventId,
      type: seed.type,
      schemaVersion: seed.schemaVersion,
      occurredAt: seed.occurredAt,
      data: seed.data as Record<string, unknown>,
      metadata: seed.metadata,
    },
  }));
  const progress = new Progress(ctx.io, 'seed', events.length);
  const summary = await appendBatches(ctx.api(), events, (done) => progress.update(done, 'events'));
  progress.done();
  log(
    ctx.io,
    `seed: ${summary.appended} appended, ${summary.alreadyStored} already stored, in ${summary.streams} stream(s)`,
  );
  await write(ctx.io.stdout, `${JSON.stringify(summary)}\n`);
}
