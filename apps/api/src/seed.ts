import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { CoreModule } from './app/core.module.js';
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import { exitOnStartupError, loadConfigOrExit, openStore } from './app/startup.js';
import { loggerFor } from './logging/logger.js';
import { describeProgress, seedStore } from './seed/seed-store.js';
import { systemClock } from './shared/clock.js';

/**
 * `node dist/seed.js` (root: `pnpm seed`): loads the seed dataset into the store named by
 * DATABASE_URL / TIMELINE_DATA_DIR, empty or not. Idempotent: streams seeded before are reported and
 * left as they are. Exit code 0 when every stream is seeded, 1 when a stream holds other events.
 */
const NAME = 'Timeline seed';

async function main(): Promise<void> {
  const config = loadConfigOrExit(NAME);
  // The seed prints its own progress lines; the logger is for warnings and errors unless asked for more.
  const logger = loggerFor({ ...config, logLevel: config.logLevel === 'log' ? 'warn' : config.logLevel });
  let summary: Awaited<ReturnType<typeof seedStore>>;
  try {
    const { store, sql } = await openStore(config, systemClock, logger);
    const context = await NestFactory.createApplicationContext(
      CoreModule.forRoot(InfrastructureModule.forRoot({ config, store, sql, clock: systemClock })),
      {
        logger,
        abortOnError: false,
      },
    );
    try {
      const headBefore = await store.head();
      process.stdout.write(
        `Seeding the ${config.databaseUrl ? 'PostgreSQL' : `embedded (${config.dataDir})`} store, head ${headBefore}\n`,
      );
      summary = await seedStore(context.get(CommandBus), (progress) =>
        process.stdout.write(`${describeProgress(progress)}\n`),
      );
      process.stdout.write(
        `Done: ${summary.appended} streams appended, ${summary.alreadyPresent} already present, ${summary.conflicts} not seeded; head ${await store.head()}\n`,
      );
    } finally {
      await context.close();
      await store.close();
    }
  } catch (error) {
    exitOnStartupError(NAME, error);
  }
  process.exit(summary.conflicts > 0 ? 1 : 0);
}

void main();
