import type { LoggerService } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '../event-store/event-store.port.js';
import { seedStore } from './seed-store.js';

/** On the first start of an empty store, load the seed dataset; a store with any event is left alone. */
export async function seedOnStart(
  store: EventStore,
  commandBus: CommandBus,
  logger: LoggerService,
): Promise<void> {
  const head = await store.head();
  if (head > 0) {
    logger.log({ msg: 'store is not empty: seed skipped', head }, 'Seed');
    return;
  }
  const summary = await seedStore(commandBus, (progress) =>
    logger.debug?.({ msg: 'seed stream', ...progress }, 'Seed'),
  );
  logger.log({ msg: 'seeded', ...summary, head: await store.head() }, 'Seed');
}
