import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  canonicalJson,
  EXPORT_CSV_HEADER,
  exportCsvRow,
  ndjsonLine,
  TIMELINEJS_SHEET_HEADER,
  timelineJsSheetRow,
  timelineJsSheetTitleRow,
  toTimelineJs,
} from '@timeline/shared-types';
import type { HttpReply } from '../http/http-types.js';
import { ValidQuery } from '../http/validation/validated.js';
import type { CurrentTimeline } from './current-timeline.js';
import { CURRENT_TIMELINE } from './read-model.tokens.js';
import { type ExportQuery, ExportQuerySchema } from './read-model-queries.js';

const CONTENT_TYPES = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  timelinejs: 'application/json; charset=utf-8',
  'timelinejs-csv': 'text/csv; charset=utf-8; header=present',
} as const;
const EXTENSIONS = { jsonl: 'jsonl', csv: 'csv', timelinejs: 'json', 'timelinejs-csv': 'csv' } as const;

@Controller('api/export')
export class ExportHttpController {
  constructor(@Inject(CURRENT_TIMELINE) private readonly timeline: CurrentTimeline) {}

  /**
   * One row per timeline item in its corrected state, sources (verbatim quotes) included, in timeline
   * order: `jsonl` (the items as canonical JSON), `csv` (RFC 4180), `timelinejs` (TimelineJS JSON,
   * HTML-escaped) or `timelinejs-csv` (the TimelineJS spreadsheet template, the same slides). Retracted items are not on the timeline and are not exported.
   *
   * The CSV is meant to be opened in spreadsheets and carries text anyone who appends can write, so a
   * field starting with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading `'`
   * (formula injection, OWASP): shown as text, never run. Plain numbers (`-3`) and ISO dates are
   * written as they are. See `csvField` in shared-types. The JSON formats are unchanged.
   */
  @Get()
  async export(@ValidQuery(ExportQuerySchema) query: ExportQuery, @Res() res: HttpReply): Promise<void> {
    const { items, position } = await this.timeline.read({}, query.asOf);
    res.headers({
      'content-type': CONTENT_TYPES[query.format],
      'content-disposition': `attachment; filename="timeline-${position}.${EXTENSIONS[query.format]}"`,
      'timeline-position': String(position),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    let body: string;
    switch (query.format) {
      case 'jsonl':
        body = items.map(ndjsonLine).join('');
        break;
      case 'csv':
        body = EXPORT_CSV_HEADER + items.map(exportCsvRow).join('');
        break;
      case 'timelinejs':
        body = canonicalJson(toTimelineJs(items, query.title));
        break;
      case 'timelinejs-csv':
        body =
          TIMELINEJS_SHEET_HEADER +
          (query.title !== undefined ? timelineJsSheetTitleRow(query.title) : '') +
          items.map(timelineJsSheetRow).join('');
        break;
    }
    res.code(200).send(body);
  }
}
