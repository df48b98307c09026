import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type AppConfig, CONFIG } from '../config/config.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { CLOCK, type Clock } from '../shared/clock.js';
import { SQL_CLIENT } from '../streaming/tokens.js';

/** What the process opens before Nest starts, handed to every module by token. */
export interface AppInfrastructure {
  config: AppConfig;
  store: EventStore;
  /** The store's SQL client, for modules with tables of their own beside the log. */
  sql: SqlClient;
  clock: Clock;
}

@Global()
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot
export class InfrastructureModule {
  static forRoot(infrastructure: AppInfrastructure): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: CONFIG, useValue: infrastructure.config },
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: CLOCK, useValue: infrastructure.clock },
        { provide: SQL_CLIENT, useValue: infrastructure.sql },
      ],
      exports: [CONFIG, EVENT_STORE, CLOCK, SQL_CLIENT],
    };
  }
}
