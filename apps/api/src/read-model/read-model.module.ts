import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE, SQL_CLIENT } from '../event-store/event-store.tokens.js';
import type { SqlClient } from '../event-store/sql-client.js';
import type { FoldGate } from '../infrastructure/fold-gate.js';
import { FOLD_GATE } from '../infrastructure/infrastructure.tokens.js';
import { CurrentTimeline } from './current-timeline.js';
import { ExportHttpController } from './export.http.controller.js';
import { GetTimelineController } from './get-timeline.http.controller.js';
import { GetTimelineHandler } from './get-timeline.handler.js';
import {
  CURRENT_TIMELINE,
  TIMELINE_DIFF,
  TIMELINE_READ_MODEL,
  TIMELINE_WINDOW_READS,
} from './read-model.tokens.js';
import { TimelineDiff } from './timeline-diff.js';
import { TimelineWindowHttpController } from './timeline-window.http.controller.js';
import { TimelineWindowReads } from './timeline-window-reads.js';
import { StatsHttpController } from './stats.http.controller.js';
import { TimelineReadModel } from './timeline-read-model.js';

/**
 * The timeline read model and what reads it: `GET /api/timeline` (also by window, at a position, its
 * overview and diffs), `GET /api/stats`, `GET /api/export` (with `routes`: a process running the api
 * role). The projector (streaming) writes it; the rebuild (replay) replaces it.
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static register
export class ReadModelModule {
  static register(
    infrastructure: DynamicModule,
    { routes = true }: { routes?: boolean } = {},
  ): DynamicModule {
    return {
      module: ReadModelModule,
      imports: [infrastructure, CqrsModule],
      controllers: routes
        ? [GetTimelineController, TimelineWindowHttpController, StatsHttpController, ExportHttpController]
        : [],
      providers: [
        {
          provide: TIMELINE_READ_MODEL,
          inject: [SQL_CLIENT],
          useFactory: (sql: SqlClient) => new TimelineReadModel(sql),
        },
        {
          provide: CURRENT_TIMELINE,
          // Optional: a test module built on the event-store module alone gets a gate of its own.
          inject: [TIMELINE_READ_MODEL, EVENT_STORE, { token: FOLD_GATE, optional: true }],
          useFactory: (readModel: TimelineReadModel, store: EventStore, gate?: FoldGate) =>
            new CurrentTimeline(readModel, store, gate),
        },
        {
          provide: TIMELINE_WINDOW_READS,
          inject: [SQL_CLIENT],
          useFactory: (sql: SqlClient) => new TimelineWindowReads(sql),
        },
        {
          provide: TIMELINE_DIFF,
          inject: [SQL_CLIENT, TIMELINE_WINDOW_READS],
          useFactory: (sql: SqlClient, reads: TimelineWindowReads) => new TimelineDiff(sql, reads),
        },
        GetTimelineHandler,
      ],
      exports: [TIMELINE_READ_MODEL],
    };
  }
}
