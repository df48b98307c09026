import type { z } from 'zod';
import type { EventEnvelopeSchema } from './envelope.js';

/**
 * CloudEvents 1.0 in binary content mode on Kafka: the attributes travel as `ce_*` headers beside the
 * topic's own headers, and the message value is the event's `data`.
 *
 * The value is left as it always was, the stored envelope (`decodeKafkaMessage` and every consumer
 * in the repository read it unchanged), so for a CloudEvents consumer the event's `data` is that
 * envelope: the domain event is `data.data`. `content-type: application/json` (a topic header
 * already) is the `datacontenttype` an SDK reads, so the value arrives parsed.
 */
export const CLOUDEVENTS_SPEC_VERSION = '1.0';

export const CLOUDEVENTS_HEADERS = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
} as const;

/** `timeline.<Type>.v<schemaVersion>`: one CloudEvents type per event type and schema version, the name of its AsyncAPI message. */
export const cloudEventType = (type: string, schemaVersion: number) => `timeline.${type}.v${schemaVersion}`;

/**
 * `/timeline/streams/<streamId>`: a URI reference naming the stream the event was appended to (every
 * stream id character is allowed in a path segment). With the event id (a UUID) it is unique.
 */
export const cloudEventSource = (streamId: string) => `/timeline/streams/${streamId}`;

export function cloudEventHeaders(envelope: z.infer<typeof EventEnvelopeSchema>): Record<string, string> {
  return {
    [CLOUDEVENTS_HEADERS.specVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CLOUDEVENTS_HEADERS.id]: envelope.eventId,
    [CLOUDEVENTS_HEADERS.source]: cloudEventSource(envelope.streamId),
    [CLOUDEVENTS_HEADERS.type]: cloudEventType(envelope.type, envelope.schemaVersion),
    [CLOUDEVENTS_HEADERS.time]: envelope.recordedAt,
    [CLOUDEVENTS_HEADERS.subject]: envelope.streamId,
  };
}

export const CLOUDEVENTS_HEADER_DESCRIPTIONS: Record<keyof typeof CLOUDEVENTS_HEADERS, string> = {
  specVersion: 'CloudEvents `specversion`: `1.0`.',
  id: 'CloudEvents `id`: the event id (same as `event-id`).',
  source: 'CloudEvents `source`: `/timeline/streams/<streamId>`.',
  type: 'CloudEvents `type`: `timeline.<type>.v<schema-version>`, e.g. `timeline.FundingCallAnnounced.v2`.',
  time: 'CloudEvents `time`: `recordedAt`, when the store committed the event (RFC 3339).',
  subject: 'CloudEvents `subject`: the stream id (also the message key).',
};
