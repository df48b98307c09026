import { Global, Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import type { Streaming } from '../streaming/streaming.js';
import { SQL_CLIENT, STREAMING } from '../streaming/tokens.js';
import { ExportHttpController } from './export.http.controller.js';
import { ReadModelRebuild } from './read-model-rebuild.js';
import { RebuildHttpController } from './rebuild.http.controller.js';
import { ReplayHttpController } from './replay.http.controller.js';
import { ReplayService } from './replay.service.js';
import { READ_MODEL_REBUILD, REPLAY_SERVICE } from './replay.tokens.js';
import { StatsHttpController } from './stats.http.controller.js';

/**
 * Replay, statistics, exports and the read-model rebuild:
 * `GET /api/replay`, `GET /api/stats`, `GET /api/export`, `POST /api/admin/rebuild`,
 * `GET /api/admin/rebuild/:id`. Needs EVENT_STORE, SQL_CLIENT and STREAMING provided globally.
 */
@Global()
@Module({
  controllers: [ReplayHttpController, StatsHttpController, ExportHttpController, RebuildHttpController],
  providers: [
    {
      provide: REPLAY_SERVICE,
      useFactory: (store: EventStore, sql: SqlClient) => new ReplayService(store, sql),
      inject: [EVENT_STORE, SQL_CLIENT],
    },
    {
      provide: READ_MODEL_REBUILD,
      useFactory: (store: EventStore, sql: SqlClient, streaming: Partial<Streaming>) =>
        new ReadModelRebuild(
          store,
          sql,
          {},
          undefined,
          // `source=kafka` reads the topic the relay writes; without streaming it is refused.
          streaming.kafka && streaming.topics
            ? { kafka: streaming.kafka, topic: streaming.topics.events }
            : undefined,
        ),
      inject: [EVENT_STORE, SQL_CLIENT, STREAMING],
    },
  ],
  exports: [REPLAY_SERVICE, READ_MODEL_REBUILD],
})
export class ReplayModule {}
