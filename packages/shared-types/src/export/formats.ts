export const EXPORT_FORMATS = ['jsonl', 'csv', 'timelinejs', 'timelinejs-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
