import { type DynamicModule, Module } from '@nestjs/common';
import type { topicNames } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE, SQL_CLIENT } from '../event-store/event-store.tokens.js';
import type { FoldGate } from '../infrastructure/fold-gate.js';
import { FOLD_GATE } from '../infrastructure/infrastructure.tokens.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { EVENT_TOPICS, KAFKA } from '../streaming/streaming.tokens.js';
import { ReadModelRebuild } from './read-model-rebuild.js';
import { RebuildHttpController } from './rebuild.http.controller.js';
import { ReplayHttpController } from './replay.http.controller.js';
import { ReplayService } from './replay.service.js';
import { READ_MODEL_REBUILD, REPLAY_SERVICE } from './replay.tokens.js';

/**
 * Replay and the read-model rebuild: `GET /api/replay`, `POST /api/admin/rebuild`,
 * `GET /api/admin/rebuild/:id`. With the streaming module imported, a rebuild can also read the
 * events topic (`source=kafka`); without it, that source is refused.
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static register
export class ReplayModule {
  static register(imports: { infrastructure: DynamicModule; streaming?: DynamicModule }): DynamicModule {
    return {
      module: ReplayModule,
      imports: imports.streaming ? [imports.infrastructure, imports.streaming] : [imports.infrastructure],
      controllers: [ReplayHttpController, RebuildHttpController],
      providers: [
        {
          provide: REPLAY_SERVICE,
          inject: [EVENT_STORE, { token: FOLD_GATE, optional: true }],
          useFactory: (store: EventStore, gate?: FoldGate) => new ReplayService(store, undefined, gate),
        },
        {
          provide: READ_MODEL_REBUILD,
          inject: [
            EVENT_STORE,
            SQL_CLIENT,
            { token: KAFKA, optional: true },
            { token: EVENT_TOPICS, optional: true },
          ],
          useFactory: (
            store: EventStore,
            sql: SqlClient,
            kafka?: Kafka,
            topics?: ReturnType<typeof topicNames>,
          ) =>
            new ReadModelRebuild(
              store,
              sql,
              {},
              undefined,
              kafka && topics ? { kafka, topic: topics.events } : undefined,
            ),
        },
      ],
      exports: [REPLAY_SERVICE, READ_MODEL_REBUILD],
    };
  }
}
