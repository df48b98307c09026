/** Injection tokens of the streaming side (see streaming.module.ts). */
export const SQL_CLIENT = Symbol('SQL_CLIENT');
export const STREAMING = Symbol('STREAMING');
export const METRICS = Symbol('METRICS');
