import { canonicalJson, uuidV5 } from '@timeline/shared-types';

// One UUID v5 for the CLI and the web app's import (shared-types import/uuid-v5.ts), so both derive the same ids.
export { IMPORT_NAMESPACE, uuidV5 } from '@timeline/shared-types';

/** The id of an import line without one: derived from its canonical content (key order and spacing do not matter). */
export function deterministicEventId(line: Record<string, unknown>, streamId: string): string {
  const { eventId: _ignored, ...content } = line;
  return uuidV5(canonicalJson({ ...content, streamId }));
}
