import { type DynamicModule, Module } from '@nestjs/common';
import { AppendEventsHandler } from './append-events/append-events.handler.js';
import { AppendEventsHttpController } from './append-events/append-events.http.controller.js';
import { CorrectEventHandler } from './correct-event/correct-event.handler.js';
import { GetEventHandler } from './get-event/get-event.handler.js';
import { GetEventHttpController } from './get-event/get-event.http.controller.js';
import { LineageHttpController } from './lineage.http.controller.js';
import { LogHistogramHttpController } from './log-histogram/log-histogram.http.controller.js';
import { ListStreamsHandler } from './list-streams/list-streams.handler.js';
import { ListStreamsHttpController } from './list-streams/list-streams.http.controller.js';
import { ReadLogHttpController } from './read-log/read-log.http.controller.js';
import { ReadLogPageHandler } from './read-log/read-log-page.handler.js';
import { StreamLogHandler } from './read-log/stream-log.handler.js';
import { ReadStreamHandler } from './read-stream/read-stream.handler.js';
import { ReadStreamHttpController } from './read-stream/read-stream.http.controller.js';
import { RetractEventHandler } from './retract-event/retract-event.handler.js';

/** The write side (append, correct, retract) and the log reads (log, stream, one event, the streams), each use case in its own folder. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with a static register
export class EventsModule {
  /** `infrastructure` provides EVENT_STORE (InfrastructureModule.forRoot). */
  static register(infrastructure: DynamicModule): DynamicModule {
    return {
      module: EventsModule,
      imports: [infrastructure],
      controllers: [
        AppendEventsHttpController,
        LineageHttpController,
        ReadStreamHttpController,
        ReadLogHttpController,
        GetEventHttpController,
        ListStreamsHttpController,
        LogHistogramHttpController,
      ],
      providers: [
        AppendEventsHandler,
        CorrectEventHandler,
        RetractEventHandler,
        ReadStreamHandler,
        ReadLogPageHandler,
        StreamLogHandler,
        GetEventHandler,
        ListStreamsHandler,
      ],
    };
  }
}
