import { KAFKA_HEADERS } from '@timeline/shared-types';
import type { KafkaMessage } from 'kafkajs';

/** A header's first value as text (kafkajs gives Buffers, or an array of them for a repeated key). */
export function header(message: Pick<KafkaMessage, 'headers'>, name: string): string | undefined {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** The log position the relay wrote in the message's headers, or undefined when it is missing or not a position. */
export function headerPosition(message: Pick<KafkaMessage, 'headers'>): number | undefined {
  const text = header(message, KAFKA_HEADERS.position);
  return text && /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}
