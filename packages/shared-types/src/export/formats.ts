export const EXPORT_FORMATS = ['jsonl', 'csv', 'timelinejs'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
