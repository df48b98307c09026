/** Injection tokens of the replay module (replay.module.ts). */
export const REPLAY_SERVICE = Symbol('REPLAY_SERVICE');
export const READ_MODEL_REBUILD = Symbol('READ_MODEL_REBUILD');
