import type { ExpectedVersion } from '@timeline/shared-types';
import type { EventToAppend } from '../../event-store/event-store.port.js';

/** What a correction or retraction decides: one event, appended to the target's stream at the version it was decided on. */
export interface LineageDecision {
  streamId: string;
  expectedVersion: ExpectedVersion;
  event: EventToAppend;
}
