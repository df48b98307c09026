import {
  canonicalJson,
  checkImportRecord,
  type ImportIssue,
  isTimelineJsSheet,
  type MappedImport,
  mapTimelineJs,
  mapTimelineJsSheet,
  type NewEvent,
  readCsvTable,
  STREAM_ID_PATTERN,
  uuidV5,
} from '@timeline/shared-types';

/** One event the import will append, with the slide or row it came from. */
export interface PlannedEvent {
  line: number;
  unit: ImportIssue['unit'];
  event: NewEvent & { eventId: string };
}

/** What dropping a file would append, and what is wrong with it, before anything is sent. */
export interface ImportPlan {
  fileName: string;
  streamId: string;
  title?: string;
  events: PlannedEvent[];
  problems: ImportIssue[];
}

/**
 * Maps a dropped TimelineJS JSON file or CSV (the TimelineJS spreadsheet template) with the same
 * shared-types code as `timeline import`, checks every record against the catalog, and derives the
 * same event ids as the CLI (a slide's `unique_id`, else the content), so importing the file again,
 * here or with the CLI, adds nothing. A CSV of another shape needs a column map: the CLI's `--map`.
 */
export function planImport(fileName: string, text: string, streamId: string): ImportPlan {
  const options = { streamId, fileName };
  const mapped = mapFile(fileName, text, options);
  const plan: ImportPlan = { fileName, streamId, events: [], problems: [...mapped.problems] };
  if (mapped.title) plan.title = mapped.title;
  const seen = new Map<string, number>();
  for (const record of mapped.records) {
    const issues = checkImportRecord(record);
    if (issues.length > 0) {
      plan.problems.push(...issues);
      continue;
    }
    const { streamId: _stream, ...event } = record.record;
    const eventId = record.idName ? uuidV5(record.idName) : uuidV5(canonicalJson(record.record));
    const first = seen.get(eventId);
    if (first !== undefined) {
      const message = `has the same id as ${record.unit} ${first} (a repeated slide?)`;
      plan.problems.push({ line: record.line, unit: record.unit, path: 'unique_id', message });
      continue;
    }
    seen.set(eventId, record.line);
    plan.events.push({ line: record.line, unit: record.unit, event: { ...(event as NewEvent), eventId } });
  }
  plan.problems.sort((a, b) => a.unit.localeCompare(b.unit) || a.line - b.line);
  return plan;
}

function mapFile(
  fileName: string,
  text: string,
  options: { streamId: string; fileName: string },
): MappedImport {
  const fileProblem = (message: string): MappedImport => ({
    records: [],
    problems: [{ line: 0, unit: 'file', path: fileName, message }],
  });
  if (!STREAM_ID_PATTERN.test(options.streamId))
    return fileProblem(
      'the stream must be 1-200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
    );
  if (/\.csv$/i.test(fileName) || !text.trimStart().startsWith('{')) {
    let table: ReturnType<typeof readCsvTable>;
    try {
      table = readCsvTable(text);
    } catch (error) {
      return fileProblem(`is not CSV: ${(error as Error).message}`);
    }
    if (!isTimelineJsSheet(table.header))
      return fileProblem(
        'is not the TimelineJS spreadsheet template (no Year and Headline columns): import it with the CLI and --map',
      );
    return mapTimelineJsSheet(table, options);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fileProblem(`is not JSON: ${(error as Error).message}`);
  }
  return mapTimelineJs(document, options);
}

/** A stream id from a file name: `Harbour History.json` → `harbour-history`. */
export function streamIdFor(fileName: string): string {
  const base = fileName
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9._:-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 80);
  return base || 'import';
}

/** "slide 3", "era 1", "row 7", or "the file". */
export function where(problem: Pick<ImportIssue, 'unit' | 'line'>): string {
  return problem.unit === 'file' || problem.line === 0 ? 'the file' : `${problem.unit} ${problem.line}`;
}
