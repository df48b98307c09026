import { Query } from '@nestjs/cqrs';
import type { EventEnvelope } from '@timeline/shared-types';
import type { LogSelection } from '../../event-store/event-store.port.js';

export interface LogStream {
  /** The head when the read began; the stream ends there. */
  head: number;
  /** Fetched from the store page by page as the consumer pulls, so memory stays flat. */
  events: AsyncIterable<EventEnvelope>;
}

/** The whole selection of the log, to stream as NDJSON. */
export class StreamLogQuery extends Query<LogStream> {
  constructor(readonly selection: LogSelection) {
    super();
  }
}
