import { headerText, KAFKA_HEADERS } from '@timeline/shared-types';
import type { KafkaMessage } from 'kafkajs';

/** A header's first value as text (shared-types' `headerText`), or undefined when absent or not UTF-8. */
export function header(message: Pick<KafkaMessage, 'headers'>, name: string): string | undefined {
  try {
    return headerText(message.headers?.[name]);
  } catch {
    return undefined;
  }
}

/** The log position the relay wrote in the message's headers, or undefined when it is missing or not a position. */
export function headerPosition(message: Pick<KafkaMessage, 'headers'>): number | undefined {
  const text = header(message, KAFKA_HEADERS.position);
  return text && /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}
