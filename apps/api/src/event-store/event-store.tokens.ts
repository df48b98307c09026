/** Injection tokens of the event-store module (event-store.module.ts). */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The store's SQL client, for modules with tables of their own beside the log (relay, read model, rebuild). */
export const SQL_CLIENT = Symbol('SQL_CLIENT');
