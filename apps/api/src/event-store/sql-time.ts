/** 0001-01-01T00:00:00Z: from here on `toISOString` is what PostgreSQL reads. */
const YEAR_1_CE_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * An instant as PostgreSQL's `timestamptz` input reads it. `toISOString` writes years before 1 CE in
 * ISO 8601's expanded form (`-000043-03-15T…Z`), which PostgreSQL refuses; it wants the era spelled
 * out (`0044-03-15T…Z BC`: astronomical year -43 is 44 BC, since there is no year 0 in that count).
 */
export function sqlTimestamp(ms: number): string {
  const date = new Date(ms);
  const iso = date.toISOString();
  if (ms >= YEAR_1_CE_MS) return iso;
  const year = date.getUTCFullYear();
  const rest = iso.slice(iso.indexOf('-', 1));
  return `${String(1 - year).padStart(4, '0')}${rest} BC`;
}
