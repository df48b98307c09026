import type { EventEnvelope } from '../envelope.js';
import { ValidationError } from '../validation.js';
import {
  type DomainEventEnvelope,
  EVENT_CATALOG,
  type EventType,
  isEventType,
  validateEventData,
} from './registry.js';

/** Turns the data of `type` at version `from` into the data at version `from + 1`. Pure. */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * The upcaster chain. The server and the browser both read old events through it, so a schema can
 * change without rewriting the log. Key: `${type}@${fromVersion}`.
 */
const UPCASTERS: Record<string, Upcaster> = {
  // FundingCallAnnounced v1 held `amountGbp: 7000000`; v2 holds `amount: { value, currency }`.
  'FundingCallAnnounced@1': ({ amountGbp, ...rest }) => ({
    ...rest,
    amount: { value: amountGbp, currency: 'GBP' },
  }),
  // FactNoted v2 only adds an optional `group`: a v1 fact is a v2 fact without one.
  'FactNoted@1': (data) => data,
};

export function upcastData(
  type: EventType,
  fromVersion: number,
  data: Record<string, unknown>,
): Record<string, unknown> {
  let version = fromVersion;
  let current = data;
  const target = EVENT_CATALOG[type].current;
  while (version < target) {
    const step = UPCASTERS[`${type}@${version}`];
    if (!step) throw new Error(`no upcaster for ${type} from v${version} to v${version + 1}`);
    current = step(current);
    version += 1;
  }
  return current;
}

/**
 * Validates a stored envelope's data against its own version, upcasts it to the current version and
 * validates again. Throws `ValidationError` with the failing path.
 */
export function upcastEnvelope(envelope: EventEnvelope): DomainEventEnvelope {
  const { type, schemaVersion } = envelope;
  if (!isEventType(type)) {
    throw new ValidationError([{ path: 'type', message: `unknown event type '${type}'` }], 'event');
  }
  const original = validateEventData(type, schemaVersion, envelope.data);
  if (!original.ok) throw new ValidationError(original.issues, `${type} v${schemaVersion}`);
  const current = EVENT_CATALOG[type].current;
  if (schemaVersion === current) return { ...envelope, type, data: original.value } as DomainEventEnvelope;
  const upcast = validateEventData(type, current, upcastData(type, schemaVersion, original.value));
  if (!upcast.ok) throw new ValidationError(upcast.issues, `${type} upcast to v${current}`);
  return { ...envelope, type, schemaVersion: current, data: upcast.value } as DomainEventEnvelope;
}
