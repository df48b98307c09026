import { type DynamicModule, Module } from '@nestjs/common';
import type { EventStore } from './event-store.port.js';
import { EVENT_STORE, SQL_CLIENT } from './event-store.tokens.js';
import type { SqlClient } from './sql-client.js';

/** The store and its SQL client, both opened before Nest starts (see app/startup.ts). */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static forRoot
export class EventStoreModule {
  static forRoot(storage: { store: EventStore; sql: SqlClient }): DynamicModule {
    // Factories, not values: Nest hashes a dynamic module's metadata to identify it, and a factory
    // keeps the open store (pools, an embedded database) out of that hash.
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE, useFactory: () => storage.store },
        { provide: SQL_CLIENT, useFactory: () => storage.sql },
      ],
      exports: [EVENT_STORE, SQL_CLIENT],
    };
  }
}
