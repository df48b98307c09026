import type { EventEnvelope } from '@timeline/shared-types';

/** One event as a Server-Sent Events frame: `id:` is its position, `data:` the envelope as JSON. */
export function encodeEventFrame(event: EventEnvelope): string {
  return `id: ${event.position}\ndata: ${JSON.stringify(event)}\n\n`;
}

const shared = new WeakMap<EventEnvelope, string>();

/**
 * The frame of an event the live feed hands to every session: encoded once, on the first session
 * that sends it, and shared by the others (the same envelope object reaches all of them). Kept as
 * long as the envelope is (a session's queue), then collected with it.
 */
export function sharedEventFrame(event: EventEnvelope): string {
  let frame = shared.get(event);
  if (frame === undefined) {
    frame = encodeEventFrame(event);
    shared.set(event, frame);
  }
  return frame;
}

const batches = new WeakMap<readonly EventEnvelope[], Buffer>();

/**
 * The frames of a batch the live feed hands to every session (the same array reaches all of them),
 * as bytes: made once, then written as they are by every session that wants the whole batch.
 */
export function sharedBatchFrames(events: readonly EventEnvelope[]): Buffer {
  let frames = batches.get(events);
  if (frames === undefined) {
    frames = Buffer.from(events.map(sharedEventFrame).join(''));
    batches.set(events, frames);
  }
  return frames;
}
