import {
  decodeKafkaMessage,
  type EventEnvelope,
  type NewEvent,
  topicNames,
  upcastEnvelope,
} from '@timeline/shared-types';
import { CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi } from './support/api-process.js';
import { call } from './support/http.js';
import { consumeTopic, deleteTopicsWithPrefix, uniqueTopicPrefix } from './support/kafka.js';

const appended: Record<string, NewEvent[]> = {
  'ce-talks': [
    {
      type: 'MeetingHeld',
      occurredAt: { start: '2024-07-24', precision: 'day' },
      data: { title: 'Talks in Delhi', participants: ['David Lammy', 'S Jaishankar'] },
      metadata: { sources: [{ publisher: 'MEA', title: 'Readout', quote: 'The ministers met.' }] },
    },
    {
      type: 'StatementIssued',
      occurredAt: { start: '2024-07-25T10:00+05:30', precision: 'minute' },
      data: {
        title: 'Joint statement',
        speaker: 'MEA',
        channel: 'readout',
        text: 'Both sides welcomed the TSI.',
      },
    },
  ],
  'ce-funding': [
    {
      type: 'FundingCallAnnounced',
      schemaVersion: 1,
      occurredAt: { start: '2024-09', precision: 'month' },
      data: { title: 'An older-version call', amountGbp: 7_000_000, funders: ['UKRI'], topic: 'telecoms' },
    },
  ],
};

/** What the CloudEvents SDK is handed: a message as kafkajs delivers it, header values as text. */
type Received = KafkaMessage<string> & { value: string };

describe('every message is a binary-mode CloudEvent a CloudEvents SDK reads back', () => {
  const prefix = uniqueTopicPrefix('cloudevents');
  let api: RunningApi;
  const stored: EventEnvelope[] = [];
  let received: Received[];

  beforeAll(async () => {
    api = await startApi({ KAFKA_TOPIC_PREFIX: prefix, TIMELINE_SEED: 'false' });
    for (const [streamId, events] of Object.entries(appended)) {
      const result = await call(api.url, 'POST', `/api/streams/${streamId}/events`, {
        token: api.token,
        body: { expectedVersion: 'no_stream', events },
      });
      expect(result.status, result.text).toBe(201);
      const read = await call<{ events: EventEnvelope[] }>(api.url, 'GET', `/api/streams/${streamId}`);
      stored.push(...read.body.events);
    }
    received = await consumeTopic(
      topicNames(prefix).events,
      (m): Received => ({ key: m.key!, value: m.value!, headers: m.headers, body: m.value }),
      (seen) => seen.length >= stored.length,
    );
  });

  afterAll(async () => {
    await api?.stop();
    await deleteTopicsWithPrefix(prefix);
  });

  it('gives back id, type, source, subject, time and, as data, the stored envelope', () => {
    expect(received).toHaveLength(stored.length);
    for (const message of received) {
      const event = Kafka.toEvent(message) as CloudEvent<EventEnvelope>;
      expect(event.validate()).toBe(true);
      const envelope = event.data!;
      const original = stored.find((e) => e.eventId === event.id)!;
      const sent = appended[original.streamId]![original.streamVersion - 1]!;
      expect({
        specversion: event.specversion,
        id: event.id,
        type: event.type,
        source: event.source,
        subject: event.subject,
        time: event.time,
        datacontenttype: event.datacontenttype,
      }).toEqual({
        specversion: '1.0',
        id: original.eventId,
        type: `timeline.${sent.type}.v${sent.schemaVersion ?? 1}`,
        source: `/timeline/streams/${original.streamId}`,
        subject: original.streamId,
        time: envelope.recordedAt,
        datacontenttype: 'application/json',
      });
      expect(envelope).toMatchObject({
        eventId: original.eventId,
        type: sent.type,
        occurredAt: sent.occurredAt,
        data: sent.data,
      });
      expect(envelope.metadata.sources).toEqual(sent.metadata?.sources ?? []);
      // The value is the envelope as the API serves it (which upcasts old versions on read).
      expect(upcastEnvelope(envelope)).toEqual(upcastEnvelope(original));
    }
  });

  it('is still what decodeKafkaMessage reads, unchanged', () => {
    for (const message of received) {
      const decoded = decodeKafkaMessage(message);
      expect(decoded).toEqual(upcastEnvelope(JSON.parse(message.value) as EventEnvelope));
      expect(decoded.position).toBe(Number(message.headers.position));
    }
  });
});
