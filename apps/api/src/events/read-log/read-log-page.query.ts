import { Query } from '@nestjs/cqrs';
import type { LogPage } from '@timeline/shared-types';
import type { LogSelection } from '../../event-store/event-store.port.js';

/** One page of the log, as JSON. */
export class ReadLogPageQuery extends Query<LogPage> {
  constructor(readonly selection: LogSelection) {
    super();
  }
}
