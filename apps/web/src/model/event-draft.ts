import {
  currentSchemaVersion,
  FACT_EVENT_TYPES,
  type FactEventType,
  type NewEvent,
  NewEventSchema,
  type OccurredAt,
  OccurredAtSchema,
  type Source,
  StreamIdSchema,
  safeParseWith,
  type TimelineItem,
  type ValidationIssue,
  validateEventData,
} from '@timeline/shared-types';
import { dataFromValues, type FormValues, mergePatchBetween } from './form-values.ts';
import { type FieldSpec, fieldsOfType } from './schema-fields.ts';

/**
 * The pure side of the editing forms: from the form's values to the request the API takes, checked
 * with the same zod schemas the API checks with, so a failing field is named before anything is sent.
 * Issue paths are the form's own (`streamId`, `occurredAt.start`, `data.title`, `sources.0.quote`).
 */

export interface SourceDraft {
  publisher: string;
  title: string;
  quote: string;
  url: string;
  attribution: string;
}

export interface AddDraft {
  streamId: string;
  type: string;
  values: FormValues;
  occurredAt: OccurredAtDraft;
  sources: readonly SourceDraft[];
}

export interface OccurredAtDraft {
  start: string;
  end: string;
  precision: string;
  derivation: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** The fact types a form offers, in catalog order: lineage events are made by correcting and retracting. */
export const FORM_EVENT_TYPES: readonly FactEventType[] = FACT_EVENT_TYPES;

export function formFields(type: string): FieldSpec[] {
  return (FORM_EVENT_TYPES as readonly string[]).includes(type)
    ? fieldsOfType(type, currentSchemaVersion(type as FactEventType))
    : [];
}

export function checkAdd(draft: AddDraft, eventId: string): Checked<{ streamId: string; event: NewEvent }> {
  const issues: ValidationIssue[] = [];
  const stream = safeParseWith(StreamIdSchema, draft.streamId.trim(), ['streamId']);
  if (!stream.ok) issues.push(...stream.issues);
  const occurredAt = checkOccurredAt(draft.occurredAt);
  if (!occurredAt.ok) issues.push(...occurredAt.issues);
  const sources = checkSources(draft.sources);
  if (!sources.ok) issues.push(...sources.issues);
  const type = draft.type as FactEventType;
  if (!(FORM_EVENT_TYPES as readonly string[]).includes(type)) {
    issues.push({ path: 'type', message: 'choose an event type' });
    return { ok: false, issues };
  }
  const schemaVersion = currentSchemaVersion(type);
  const { data, issues: valueIssues } = dataFromValues(fieldsOfType(type, schemaVersion), draft.values);
  issues.push(...valueIssues);
  const valid = validateEventData(type, schemaVersion, data);
  if (!valid.ok) issues.push(...valid.issues);
  if (issues.length > 0 || !stream.ok || !occurredAt.ok || !sources.ok) return { ok: false, issues };
  const event: NewEvent = {
    eventId,
    type,
    schemaVersion,
    occurredAt: occurredAt.value,
    data,
    metadata: { sources: sources.value },
  };
  // The envelope as the API will read it: the last word before sending.
  const envelope = safeParseWith(NewEventSchema, event);
  if (!envelope.ok) return { ok: false, issues: envelope.issues };
  return { ok: true, value: { streamId: stream.value, event } };
}

export function checkOccurredAt(draft: OccurredAtDraft): Checked<OccurredAt> {
  const candidate: Record<string, string> = { start: draft.start.trim(), precision: draft.precision };
  if (draft.end.trim()) candidate.end = draft.end.trim();
  if (draft.derivation.trim()) candidate.derivation = draft.derivation.trim();
  return safeParseWith(OccurredAtSchema, candidate, ['occurredAt']);
}

/** At least one source, each with publisher, title and a verbatim quote; a link only over http(s). */
export function checkSources(drafts: readonly SourceDraft[]): Checked<Source[]> {
  const issues: ValidationIssue[] = [];
  const sources: Source[] = [];
  drafts.forEach((draft, index) => {
    const at = (field: string) => `sources.${index}.${field}`;
    const source: Record<string, string> = {};
    for (const key of ['publisher', 'title', 'quote', 'url', 'attribution'] as const) {
      const value = draft[key].trim();
      if (value) source[key] = value;
    }
    for (const key of ['publisher', 'title', 'quote'] as const)
      if (!source[key]) issues.push({ path: at(key), message: 'is required' });
    if (source.url && !/^https?:\/\/[^\s]+$/i.test(source.url))
      issues.push({ path: at('url'), message: 'must be an http(s) address' });
    sources.push(source as unknown as Source);
  });
  if (drafts.length === 0)
    issues.push({ path: 'sources.0.quote', message: 'at least one source is required' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: sources };
}

export interface Correction {
  patch?: Record<string, unknown>;
  occurredAt?: OccurredAt;
  reason: string;
}

/**
 * A correction of `item` from the form: a merge patch of only the fields that changed (both sides
 * read through the type's schema, so a default or trimmed space is not a change), the valid time when
 * it changed, and the reason. Changing nothing is an issue, since the API would refuse it.
 */
export function checkCorrection(
  item: TimelineItem,
  values: FormValues,
  occurredAtDraft: OccurredAtDraft,
  reason: string,
): Checked<Correction> {
  const issues: ValidationIssue[] = [];
  const fields = fieldsOfType(item.type, item.schemaVersion);
  const { data, issues: valueIssues } = dataFromValues(fields, values);
  issues.push(...valueIssues);
  const valid = validateEventData(item.type, item.schemaVersion, data);
  if (!valid.ok) issues.push(...valid.issues);
  const occurredAt = checkOccurredAt(occurredAtDraft);
  if (!occurredAt.ok) issues.push(...occurredAt.issues);
  if (!reason.trim()) issues.push({ path: 'reason', message: 'say why this is corrected' });
  if (!valid.ok || !occurredAt.ok || issues.length > 0) return { ok: false, issues };
  const correction: Correction = { reason: reason.trim() };
  const patch = mergePatchBetween(item.data, valid.value);
  if (patch) correction.patch = patch;
  if (JSON.stringify(occurredAt.value) !== JSON.stringify(item.occurredAt))
    correction.occurredAt = occurredAt.value;
  if (!patch && !correction.occurredAt)
    return { ok: false, issues: [{ path: 'reason', message: 'nothing was changed' }] };
  return { ok: true, value: correction };
}

/** An issue path from the API (`events.0.data.title`, `patch.title`) as the form names it. */
export function formPath(apiPath: string): string {
  return apiPath
    .replace(/^events\.\d+\./, '')
    .replace(/^patch(\.|$)/, 'data$1')
    .replace(/^metadata\.sources\./, 'sources.');
}
