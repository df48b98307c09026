import { type ItemLine, isExportItem, validateItems } from './export-items.js';
import { ImportCollector, type ImportValidation, validateRecord } from './validate-events.js';

type LineKind = 'event' | 'item';

/**
 * A JSONL import file: one event per line, `{streamId, eventId?, type, schemaVersion?, occurredAt,
 * data, metadata?}`, or one timeline item per line as `timeline export` writes them (see
 * export-items.ts), never both. The whole file is validated before anything is appended; blank lines
 * are skipped. An event line without an eventId gets one derived from its canonical content.
 */
export function validateJsonl(
  text: string,
  options: { defaultStream?: string | undefined } = {},
): ImportValidation {
  const collected = new ImportCollector();
  const items: ItemLine[] = [];
  let first: { kind: LineKind; line: number } | undefined;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      const message = `is not JSON: ${(error as Error).message}`;
      collected.add({ problems: [{ line, path: '(line)', message }] });
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      collected.add(validateRecord(record, line, options));
      continue;
    }
    const kind: LineKind = isExportItem(record as Record<string, unknown>) ? 'item' : 'event';
    first ??= { kind, line };
    if (kind !== first.kind) {
      const message = `is ${describeKind(kind)} but line ${first.line} is ${describeKind(first.kind)}: a file holds one kind`;
      collected.add({ problems: [{ line, path: '(line)', message }] });
    } else if (kind === 'item') items.push({ line, record: record as Record<string, unknown> });
    else collected.add(validateRecord(record, line, options));
  }
  for (const result of validateItems(items, options)) collected.add(result);
  return collected.result(first?.kind === 'item');
}

function describeKind(kind: LineKind): string {
  return kind === 'item'
    ? 'a timeline item (an export line: id, sources)'
    : 'an event line (eventId?, metadata?)';
}
