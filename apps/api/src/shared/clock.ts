/** Injection token of the clock: the domain asks it for the time and never calls `new Date()` itself. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
