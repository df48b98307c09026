import { type JsonSchema, jsonSchemaOf, schemaFor } from '@timeline/shared-types';

/**
 * What a form shows for one field of an event's data, read from the JSON Schema of the catalog's zod
 * schema (the same document `GET /api/catalog` serves), so the forms follow the catalog without knowing
 * any event type. `path` is dotted from the form's root (`data.amount.value`), as validation issues are.
 */
export type FieldSpec =
  | (FieldBase & { kind: 'text'; long: boolean; maxLength?: number })
  | (FieldBase & { kind: 'number'; integer: boolean })
  | (FieldBase & { kind: 'select'; options: readonly string[]; defaultValue?: string })
  /** An array of strings, typed as one comma-separated line. */
  | (FieldBase & { kind: 'list' })
  /** An array of enum values: one checkbox each. */
  | (FieldBase & { kind: 'choices'; options: readonly string[] })
  | (FieldBase & { kind: 'group'; fields: FieldSpec[] })
  /** Anything else (a record, say): typed as JSON. */
  | (FieldBase & { kind: 'json' });

interface FieldBase {
  key: string;
  path: string;
  required: boolean;
}

/** Longer than this, a text field is a textarea. */
const LONG_TEXT = 300;

/** The fields of a type's data at a schema version, or none when the catalog does not know it. */
export function fieldsOfType(type: string, schemaVersion: number): FieldSpec[] {
  const schema = schemaFor(type, schemaVersion);
  return schema ? fieldsOfSchema(jsonSchemaOf(schema, 'input'), 'data') : [];
}

export function fieldsOfSchema(schema: JsonSchema, prefix: string): FieldSpec[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([key, property]) =>
    fieldOf(key, `${prefix}.${key}`, property, required.has(key)),
  );
}

function fieldOf(key: string, path: string, schema: JsonSchema, required: boolean): FieldSpec {
  const base = { key, path, required };
  const enumValues = stringEnum(schema);
  if (enumValues) {
    const defaultValue = typeof schema.default === 'string' ? schema.default : undefined;
    return { ...base, kind: 'select', options: enumValues, ...(defaultValue ? { defaultValue } : {}) };
  }
  switch (schema.type) {
    case 'string': {
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
      return {
        ...base,
        kind: 'text',
        long: maxLength === undefined || maxLength > LONG_TEXT,
        ...(maxLength ? { maxLength } : {}),
      };
    }
    case 'number':
    case 'integer':
      return { ...base, kind: 'number', integer: schema.type === 'integer' };
    case 'array': {
      const items = (schema.items ?? {}) as JsonSchema;
      const options = stringEnum(items);
      if (options) return { ...base, kind: 'choices', options };
      if (items.type === 'string') return { ...base, kind: 'list' };
      return { ...base, kind: 'json' };
    }
    case 'object':
      if (schema.properties) return { ...base, kind: 'group', fields: fieldsOfSchema(schema, path) };
      return { ...base, kind: 'json' };
    default:
      return { ...base, kind: 'json' };
  }
}

function stringEnum(schema: JsonSchema): string[] | undefined {
  const values = schema.enum;
  return Array.isArray(values) && values.every((v) => typeof v === 'string') ? values : undefined;
}
