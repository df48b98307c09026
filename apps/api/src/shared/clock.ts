/** The domain asks a clock for the time (injected as CLOCK) and never calls `new Date()` itself. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
