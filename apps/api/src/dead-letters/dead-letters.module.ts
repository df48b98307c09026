import { type DynamicModule, Module } from '@nestjs/common';
import type { topicNames } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE, SQL_CLIENT } from '../event-store/event-store.tokens.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { DeadLetterMarks } from '../read-model/dead-letter-marks.js';
import { TIMELINE_READ_MODEL } from '../read-model/read-model.tokens.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { EVENT_TOPICS, KAFKA } from '../streaming/streaming.tokens.js';
import { DeadLetterAdmin } from './dead-letter-admin.js';
import { DeadLettersHttpController } from './dead-letters.http.controller.js';
import { DEAD_LETTER_ADMIN } from './dead-letters.tokens.js';

/** `GET /api/admin/dlq`, `GET /api/admin/dlq/:id`, `POST /api/admin/dlq/:id/redrive`. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static register
export class DeadLettersModule {
  static register(imports: {
    infrastructure: DynamicModule;
    readModel: DynamicModule;
    streaming: DynamicModule;
  }): DynamicModule {
    return {
      module: DeadLettersModule,
      imports: [imports.infrastructure, imports.readModel, imports.streaming],
      controllers: [DeadLettersHttpController],
      providers: [
        {
          provide: DEAD_LETTER_ADMIN,
          inject: [KAFKA, EVENT_TOPICS, EVENT_STORE, SQL_CLIENT, TIMELINE_READ_MODEL],
          useFactory: (
            kafka: Kafka,
            topics: ReturnType<typeof topicNames>,
            store: EventStore,
            sql: SqlClient,
            readModel: TimelineReadModel,
          ) => new DeadLetterAdmin(kafka, topics.deadLetters, store, new DeadLetterMarks(sql, readModel)),
        },
      ],
    };
  }
}
