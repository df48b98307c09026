import { plainText } from './html-text.js';
import {
  type ImportIssue,
  type ImportRecord,
  type MappedImport,
  mapSlide,
  type SlideImportOptions,
  type SlideInput,
} from './slides.js';

/**
 * A TimelineJS JSON file (`{title?, events: [slide], eras?: [era]}`) as events of one stream: each
 * slide an event of the chosen type, each era an `EraMarked` event, the title slide the timeline's
 * title (see slides.ts). Problems are numbered by slide (1-based, as in `events`) or by era.
 */
export function mapTimelineJs(document: unknown, options: SlideImportOptions): MappedImport {
  if (
    typeof document !== 'object' ||
    document === null ||
    !Array.isArray((document as { events?: unknown }).events)
  ) {
    return {
      records: [],
      problems: [
        {
          line: 0,
          unit: 'file',
          path: 'events',
          message: 'a TimelineJS file is an object with an events array',
        },
      ],
    };
  }
  const doc = document as { title?: SlideInput; events: unknown[]; eras?: unknown };
  const title =
    plainText(doc.title?.text?.headline) ?? plainText(doc.title?.text?.text)?.slice(0, 300).trim();
  const context = { options, title, publisher: `TimelineJS file ${options.fileName}` };
  const records: ImportRecord[] = [];
  const problems: ImportIssue[] = [];
  const eras = Array.isArray(doc.eras) ? doc.eras : [];
  if (doc.eras !== undefined && !Array.isArray(doc.eras))
    problems.push({ line: 0, unit: 'file', path: 'eras', message: 'must be an array' });
  const entries = [
    ...doc.events.map((slide, i) => ({ slide, line: i + 1, unit: 'slide' as const, path: `events.${i}` })),
    ...eras.map((slide, i) => ({ slide, line: i + 1, unit: 'era' as const, path: `eras.${i}` })),
  ];
  for (const { slide, line, unit, path } of entries) {
    if (typeof slide !== 'object' || slide === null || Array.isArray(slide)) {
      problems.push({ line, unit, path, message: 'must be an object' });
      continue;
    }
    const result = mapSlide(slide as SlideInput, { line, unit }, context);
    if ('record' in result) records.push(result.record);
    else problems.push(...result.problems.map((p) => ({ ...p, path: `${path}.${p.path}` })));
  }
  return title ? { title, records, problems } : { records, problems };
}
