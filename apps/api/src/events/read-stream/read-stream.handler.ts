import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StreamResponse } from '@timeline/shared-types';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { ReadStreamQuery } from './read-stream.query.js';

@QueryHandler(ReadStreamQuery)
export class ReadStreamHandler implements IQueryHandler<ReadStreamQuery, StreamResponse> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: ReadStreamQuery): Promise<StreamResponse> {
    const { streamId, version, events } = await this.store.readStream(query.streamId, {
      fromVersion: query.fromVersion,
      limit: query.limit,
    });
    return { streamId, version, events };
  }
}
