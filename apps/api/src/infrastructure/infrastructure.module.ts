import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { EventStoreModule } from '../event-store/event-store.module.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import type { Clock } from '../shared/clock.js';
import { FoldGate } from './fold-gate.js';
import { CLOCK, CONFIG, FOLD_GATE, METRICS } from './infrastructure.tokens.js';
import { TimelineMetrics } from './metrics.js';

/** What the process opens before Nest starts. */
export interface AppInfrastructure {
  config: AppConfig;
  store: EventStore;
  /** The store's SQL client, for modules with tables of their own beside the log. */
  sql: SqlClient;
  clock: Clock;
}

/**
 * The configuration, the clock, the process's metrics (`/metrics`, served by the streaming module),
 * its fold gate and the event-store module, for every module that imports it. Made
 * once by `forRoot` (app.module.ts) and passed to the modules that need it: nothing is global.
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot
export class InfrastructureModule {
  static forRoot(infrastructure: AppInfrastructure): DynamicModule {
    const eventStore = EventStoreModule.forRoot(infrastructure);
    return {
      module: InfrastructureModule,
      imports: [eventStore],
      // Factories keep the open store out of the metadata Nest hashes (see EventStoreModule).
      providers: [
        { provide: CONFIG, useFactory: () => infrastructure.config },
        { provide: CLOCK, useFactory: () => infrastructure.clock },
        {
          provide: FOLD_GATE,
          useFactory: () => new FoldGate(infrastructure.config.security.maxConcurrentFolds),
        },
        // One registry per process: the api role's append counters and the other roles' gauges.
        { provide: METRICS, useFactory: () => new TimelineMetrics(infrastructure.config.roles) },
      ],
      exports: [eventStore, CONFIG, CLOCK, FOLD_GATE, METRICS],
    };
  }
}
