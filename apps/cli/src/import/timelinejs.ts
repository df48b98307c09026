import { type MappedImport, mapTimelineJs, type SlideImportOptions } from '@timeline/shared-types';
import { uuidV5 } from './event-id.js';
import { ImportCollector, type ImportValidation, validateRecord } from './validate-events.js';

export { plainText } from '@timeline/shared-types';

/**
 * A mapped TimelineJS file, spreadsheet or mapped CSV (shared-types `import/`) checked against the
 * catalog record by record, ids derived: a slide's `unique_id` names its id (UUID v5 of stream +
 * unique_id), others get one from their content. With `skipInvalid`, bad records are left out and
 * returned as `skipped`; without it any problem refuses the whole file.
 */
export function validateMapped(
  mapped: MappedImport,
  options: { skipInvalid?: boolean } = {},
): ImportValidation {
  const collected = new ImportCollector();
  for (const problem of mapped.problems) collected.add({ problems: [problem] });
  for (const { line, unit, record, idName } of mapped.records) {
    const result = validateRecord(record, line, {});
    if ('event' in result) {
      result.event.unit = unit;
      if (idName) result.event.event.eventId = uuidV5(idName);
    }
    const prefix = unit === 'row' ? '' : `${unit === 'era' ? 'eras' : 'events'}.${line - 1} → `;
    collected.add(result, (p) => ({ ...p, unit, path: `${prefix}${p.path}` }));
  }
  const validation = collected.result(undefined, options.skipInvalid);
  return mapped.title && validation.ok ? { ...validation, title: mapped.title } : validation;
}

/** A TimelineJS JSON document as events of one stream (see shared-types `mapTimelineJs`). */
export function validateTimelineJs(
  document: unknown,
  options: SlideImportOptions & { skipInvalid?: boolean },
): ImportValidation {
  return validateMapped(mapTimelineJs(document, options), options);
}
