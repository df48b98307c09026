import { splitCommaList, type ValidationIssue } from '@timeline/shared-types';
import type { FieldSpec } from './schema-fields.ts';

/** What the form's controls hold, by dotted path: text, or the checked values of a checkbox group. */
export type FormValues = ReadonlyMap<string, string | readonly string[]>;

/**
 * Turns the form's values into the event's data: empty optional fields are left out (so the schema's
 * defaults apply), numbers are read as numbers, lists are split on commas. A JSON field that does not
 * parse is an issue at its path, like any other failing field.
 */
export function dataFromValues(
  fields: readonly FieldSpec[],
  values: FormValues,
): { data: Record<string, unknown>; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const data = objectFrom(fields, values, issues);
  return { data, issues };
}

function objectFrom(
  fields: readonly FieldSpec[],
  values: FormValues,
  issues: ValidationIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = fieldValue(field, values, issues);
    if (value !== undefined) out[field.key] = value;
  }
  return out;
}

function fieldValue(field: FieldSpec, values: FormValues, issues: ValidationIssue[]): unknown {
  if (field.kind === 'group') {
    const inner = objectFrom(field.fields, values, issues);
    return Object.keys(inner).length > 0 || field.required ? inner : undefined;
  }
  const raw = values.get(field.path);
  if (field.kind === 'choices') return Array.isArray(raw) && raw.length > 0 ? [...raw] : undefined;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return undefined;
  switch (field.kind) {
    case 'number':
      // Not a number: passed on as typed, so the schema reports it at this field.
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case 'list':
      return splitCommaList(text);
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        issues.push({ path: field.path, message: 'is not valid JSON' });
        return undefined;
      }
    default:
      return text;
  }
}

/** The form's values for existing data (a correction starts from the item as it stands). */
export function valuesFromData(fields: readonly FieldSpec[], data: Record<string, unknown>): FormValues {
  const values = new Map<string, string | readonly string[]>();
  const fill = (specs: readonly FieldSpec[], object: Record<string, unknown>) => {
    for (const field of specs) {
      const value = object[field.key];
      if (field.kind === 'group') {
        fill(field.fields, isPlainObject(value) ? value : {});
        continue;
      }
      if (value === undefined || value === null) continue;
      if (field.kind === 'choices') values.set(field.path, Array.isArray(value) ? value.map(String) : []);
      else if (field.kind === 'list') values.set(field.path, Array.isArray(value) ? value.join(', ') : '');
      else if (field.kind === 'json') values.set(field.path, JSON.stringify(value, null, 2));
      else values.set(field.path, String(value));
    }
  };
  fill(fields, data);
  return values;
}

/**
 * The RFC 7396 merge patch that turns `before` into `after`, naming only what changed: a removed key
 * is `null`, objects are compared key by key, anything else (arrays included) is replaced whole.
 * Returns undefined when nothing changed.
 */
export function mergePatchBetween(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patch[key] = null;
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (isPlainObject(old) && isPlainObject(value)) {
      const inner = mergePatchBetween(old, value);
      if (inner) patch[key] = inner;
    } else if (!sameJson(old, value)) patch[key] = value;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
