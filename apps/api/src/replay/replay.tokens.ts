/** Injection tokens of the replay module's services (the module builds them from EVENT_STORE and SQL_CLIENT). */
export const REPLAY_SERVICE = Symbol('REPLAY_SERVICE');
export const READ_MODEL_REBUILD = Symbol('READ_MODEL_REBUILD');
