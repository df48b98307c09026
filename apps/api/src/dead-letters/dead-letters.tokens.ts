/** Injection tokens of the dead-letters module (dead-letters.module.ts). */
/** DeadLetterAdmin: list, show and redrive the projector's dead letters. */
export const DEAD_LETTER_ADMIN = Symbol('DEAD_LETTER_ADMIN');
