import { createHash } from 'node:crypto';
import { canonicalJson } from '@timeline/shared-types';

/** The namespace of the eventIds the CLI derives (a fixed random UUID; changing it re-keys every import). */
export const IMPORT_NAMESPACE = '6f1c7a52-3d0e-4b8e-9a43-2b7f0d5c9e11';

/**
 * A UUID version 5 (RFC 9562: SHA-1 of namespace + name): the same name always gives the same id,
 * so importing a file twice appends nothing the second time.
 */
export function uuidV5(name: string, namespace = IMPORT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The id of an import line without one: derived from its canonical content (key order and spacing do not matter). */
export function deterministicEventId(line: Record<string, unknown>, streamId: string): string {
  const { eventId: _ignored, ...content } = line;
  return uuidV5(canonicalJson({ ...content, streamId }));
}
