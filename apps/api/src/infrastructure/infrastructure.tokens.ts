/** Injection tokens of the infrastructure module (infrastructure.module.ts); the store's are in event-store.tokens.ts. */
/** The validated configuration (config/config.ts). */
export const CONFIG = Symbol('CONFIG');
/** The Clock the domain asks for the time. */
export const CLOCK = Symbol('CLOCK');
/** The process's one FoldGate (fold-gate.ts): every fold of the store goes through it. */
export const FOLD_GATE = Symbol('FOLD_GATE');
/** TimelineMetrics of this process (metrics.ts), with the metrics of its roles: the api role counts appends, the others their own. */
export const METRICS = Symbol('METRICS');
