import type { components } from './schema.js';

/** The request and response bodies by their component name in docs/openapi.json. */
type Schemas = components['schemas'];

export type AppendRequest = Schemas['AppendRequest'];
export type AppendResponse = Schemas['AppendResponse'];
export type CorrectionRequest = Schemas['CorrectionRequest'];
export type RetractionRequest = Schemas['RetractionRequest'];
export type EventEnvelope = Schemas['EventEnvelope'];
export type StreamResponse = Schemas['StreamResponse'];
export type LogPage = Schemas['LogPage'];
export type TimelineItem = Schemas['TimelineItem'];
export type TimelineResponse = Schemas['TimelineResponse'];
export type TimelineStats = Schemas['TimelineStats'];
export type RebuildStatus = Schemas['RebuildStatus'];
export type ErrorResponse = Schemas['ErrorResponse'];
