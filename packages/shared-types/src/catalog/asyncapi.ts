import { CLOUDEVENTS_SPEC_VERSION } from '../cloudevents.js';
import type { JsonSchema } from '../json-schema.js';
import { KAFKA_CONTRACT_VERSION, topicNames } from '../topics.js';
import { DEAD_LETTER_MESSAGE, deadLetterMessage, eventMessages, sharedSchemas } from './asyncapi-messages.js';

export interface AsyncApiOptions {
  /** The deployment's `KAFKA_TOPIC_PREFIX`; the committed docs/asyncapi.json has none. */
  topicPrefix?: string;
}

const ORDERING = [
  '**Order.** The key is the `streamId`, so the events of one stream stay in one partition, in stream order.',
  'Across partitions the `position` header (equal to the body’s `position`) gives the total order: positions are',
  'gapless (1, 2, 3, … in commit order), so a consumer that needs the total order holds a message until every',
  'lower position has been handled, and never waits for a position that does not exist.',
].join(' ');

const DELIVERY = [
  '**Delivery: at least once.** The relay records how far it got only after Kafka acknowledged, so after a crash it',
  'publishes some events again; a consumer group rebalance redelivers too. No position is ever skipped. A consumer',
  'drops a message whose `position` it has already handled.',
].join(' ');

const POISON = [
  '**Poison messages.** A message the projector cannot decode or validate goes to the dead-letter topic with its',
  'original key, value and headers plus `dlq-reason` (why) and `dlq-source-topic`, `dlq-source-partition`,',
  '`dlq-source-offset` (where it was); the projector carries on.',
].join(' ');

const CLOUDEVENTS = [
  `**CloudEvents.** Every message is also a CloudEvent ${CLOUDEVENTS_SPEC_VERSION} in binary content mode: the \`ce_*\``,
  'headers are its attributes and `content-type` its `datacontenttype`. The value is the stored envelope, as it',
  'always was, so a CloudEvents SDK gives the whole envelope as `data` (the domain event is `data.data`). Each',
  'message below is named by its `ce_type`, `timeline.<type>.v<schema-version>`.',
].join(' ');

/**
 * The AsyncAPI 3 document of the Kafka contract, generated from the event catalog: the events topic
 * with one message per event type and schema version, and the dead-letter topic. Served at
 * `GET /api/docs/asyncapi.json` and committed as docs/asyncapi.json.
 */
export function buildAsyncApiDocument(options: AsyncApiOptions = {}): JsonSchema {
  const topics = topicNames(options.topicPrefix ?? '');
  const events = eventMessages();
  const channelMessages = (names: string[]) =>
    Object.fromEntries(names.map((name) => [name, { $ref: `#/components/messages/${name}` }]));
  const operationMessages = (channel: string, names: string[]) =>
    names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }));
  const eventNames = Object.keys(events);
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Timeline events',
      version: String(KAFKA_CONTRACT_VERSION),
      description: [
        `The Kafka contract of Timeline, version ${KAFKA_CONTRACT_VERSION} (header \`contract-version\`), versioned apart from the event`,
        'catalog it is generated from (packages/shared-types/src/catalog; docs/event-catalog.md describes the same in prose).',
        'Every event appended to the store is published to the events topic by the API’s outbox relay. Topic names take',
        'the deployment’s prefix, `KAFKA_TOPIC_PREFIX`.',
        '',
        ORDERING,
        '',
        DELIVERY,
        '',
        POISON,
        '',
        CLOUDEVENTS,
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: '{broker}',
        protocol: 'kafka',
        description: 'The deployment’s brokers (`KAFKA_BROKERS`).',
        variables: { broker: { default: '127.0.0.1:9092', description: 'host:port of a broker' } },
      },
    },
    channels: {
      events: {
        address: topics.events,
        title: 'Events',
        description: `Every stored event, in commit order per stream. ${ORDERING}`,
        messages: channelMessages(eventNames),
      },
      deadLetters: {
        address: topics.deadLetters,
        title: 'Dead letters',
        description: POISON,
        messages: channelMessages([DEAD_LETTER_MESSAGE]),
      },
    },
    operations: {
      publishEvents: {
        action: 'send',
        channel: { $ref: '#/channels/events' },
        title: 'Publish stored events',
        description: `The API’s outbox relay publishes each stored event once its transaction committed. ${DELIVERY}`,
        messages: operationMessages('events', eventNames),
      },
      consumeEvents: {
        action: 'receive',
        channel: { $ref: '#/channels/events' },
        title: 'Consume events',
        description:
          'What the API’s projector and live feed do, and what any other consumer does: decode (`decodeKafkaMessage` ' +
          'checks the envelope, the event’s schema and the `position` header, then upcasts), drop duplicates by ' +
          'position, restore the total order from `position` where it matters.',
        messages: operationMessages('events', eventNames),
      },
      publishDeadLetters: {
        action: 'send',
        channel: { $ref: '#/channels/deadLetters' },
        title: 'Set a poison message aside',
        description: POISON,
        messages: operationMessages('deadLetters', [DEAD_LETTER_MESSAGE]),
      },
    },
    components: {
      schemas: sharedSchemas(),
      messages: { ...events, [DEAD_LETTER_MESSAGE]: deadLetterMessage() },
    },
  };
}

/** docs/asyncapi.json as committed: the document without a topic prefix. */
export const renderAsyncApiJson = () => `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`;
