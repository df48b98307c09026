import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { renderAsyncApiJson } from '../src/catalog/asyncapi.js';
import {
  buildAsyncApiDocument,
  cloudEventType,
  EVENT_CATALOG,
  EVENT_TYPES,
  encodeKafkaMessage,
  type EventEnvelope,
  jsonSchemaOf,
  KAFKA_HEADERS,
  schemaFor,
} from '../src/index.js';
import { SEED_EVENTS } from '../src/seed/index.js';
import { stored } from './support/events.js';
import { repoRoot } from './support/files.js';

interface Message {
  name: string;
  headers: { properties: Record<string, { const?: string }>; required: string[] };
  payload: { properties: { data: Record<string, unknown> } };
}
interface Document {
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, Message> };
}

const document = buildAsyncApiDocument() as unknown as Document;
const messages = document.components.messages;
/** As the relay reads them from the store, whose append path kept what the version's schema returned. */
const asStored = (envelope: EventEnvelope): EventEnvelope => ({
  ...envelope,
  data: schemaFor(envelope.type, envelope.schemaVersion)!.parse(envelope.data) as Record<string, unknown>,
});
const envelopes = stored(SEED_EVENTS).map(asStored);
const fundingCall = envelopes.find((e) => e.type === 'FundingCallAnnounced')!;
const fundingCallV1 = asStored({
  ...fundingCall,
  schemaVersion: 1,
  data: { title: 'Call', amountGbp: 7_000_000, funders: ['UKRI'], topic: 'telecoms' },
});

describe('AsyncAPI document of the Kafka contract', () => {
  let diagnostics: Awaited<ReturnType<Parser['parse']>>['diagnostics'];

  beforeAll(async () => {
    ({ diagnostics } = await new Parser().parse(JSON.stringify(document)));
    // What the parser said, for the record in the test log.
    console.info(
      `@asyncapi/parser: ${diagnostics.length} diagnostics${diagnostics.map((d) => `\n  [${d.severity}] ${d.code}: ${d.message} at ${d.path.join('/')}`).join('')}`,
    );
  });

  it('is valid for @asyncapi/parser: no error, no warning', () => {
    const serious = diagnostics.filter(
      (d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning,
    );
    expect(serious.map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`)).toEqual([]);
  });

  it('has one message per event type and schema version, named by its CloudEvents type', () => {
    const expected = EVENT_TYPES.flatMap((type) =>
      Object.keys(EVENT_CATALOG[type].versions).map((v) => cloudEventType(type, Number(v))),
    );
    expect(Object.keys(document.channels.events!.messages).sort()).toEqual(expected.sort());
    for (const type of EVENT_TYPES) {
      const versions = EVENT_CATALOG[type].versions as Record<number, z.ZodType>;
      for (const [version, schema] of Object.entries(versions)) {
        const message = messages[cloudEventType(type, Number(version))]!;
        expect(message.name).toBe(type);
        expect(message.payload.properties.data).toMatchObject(jsonSchemaOf(schema, 'output'));
        expect(message.headers.properties[KAFKA_HEADERS.schemaVersion]!.const).toBe(version);
      }
    }
  });

  it('describes every header the encoder writes, and the dead-letter headers', () => {
    const written = Object.keys(encodeKafkaMessage(fundingCall).headers).sort();
    for (const name of Object.keys(document.channels.events!.messages))
      expect(messages[name]!.headers.required.sort()).toEqual(written);
    expect(messages.deadLetter!.headers.required.sort()).toEqual(
      [
        KAFKA_HEADERS.dlqReason,
        KAFKA_HEADERS.dlqSourceTopic,
        KAFKA_HEADERS.dlqSourcePartition,
        KAFKA_HEADERS.dlqSourceOffset,
      ].sort(),
    );
  });

  it('matches real encoded messages: headers and value of every seed event and an old version', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(document, 'asyncapi');
    for (const envelope of [...envelopes, fundingCallV1]) {
      const encoded = encodeKafkaMessage(envelope);
      const name = encoded.headers.ce_type!;
      expect(messages[name], name).toBeDefined();
      const at = `asyncapi#/components/messages/${name}`;
      const headersOk = ajv.validate({ $ref: `${at}/headers` }, encoded.headers);
      expect(ajv.errors ?? [], `${name} headers`).toEqual([]);
      const payloadOk = ajv.validate({ $ref: `${at}/payload` }, JSON.parse(encoded.value));
      expect(ajv.errors ?? [], `${name} payload`).toEqual([]);
      expect(headersOk && payloadOk).toBe(true);
    }
    const wrongVersion = encodeKafkaMessage({ ...fundingCallV1, schemaVersion: 2 });
    expect(
      ajv.validate(
        { $ref: 'asyncapi#/components/messages/timeline.FundingCallAnnounced.v2/payload' },
        JSON.parse(wrongVersion.value),
      ),
    ).toBe(false);
  });

  it('names the topics with the deployment prefix', () => {
    const prefixed = buildAsyncApiDocument({ topicPrefix: 'staging.' }) as unknown as Document;
    expect(prefixed.channels.events!.address).toBe('staging.timeline.events');
    expect(prefixed.channels.deadLetters!.address).toBe('staging.timeline.events.dlq');
    expect(document.channels.events!.address).toBe('timeline.events');
  });

  it('is the committed docs/asyncapi.json', () => {
    let committed: string;
    try {
      committed = readFileSync(join(repoRoot(), 'docs', 'asyncapi.json'), 'utf8');
    } catch {
      throw new Error('docs/asyncapi.json is missing: run pnpm --filter @timeline/shared-types catalog:docs');
    }
    expect(
      committed === renderAsyncApiJson(),
      'docs/asyncapi.json is stale: run pnpm --filter @timeline/shared-types catalog:docs',
    ).toBe(true);
  });
});
