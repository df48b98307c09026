import type { OccurredAt } from '@timeline/shared-types';

/**
 * How a valid time reads to a person, honest about its precision: "2021 (year)", "July 2024 (month)",
 * "24 July 2024", "24 July 2024, 09:30 +05:30". Dates are read in UTC so that a year-precision date
 * never turns into 31 December of the year before in a western time zone.
 */
export function formatOccurredAt(at: OccurredAt): string {
  const start = formatPoint(at.start, at.precision);
  const end = at.end === undefined || at.end === at.start ? undefined : formatPoint(at.end, at.precision);
  const span = end === undefined ? start : `${start} – ${end}`;
  return at.precision === 'year' || at.precision === 'month' ? `${span} (${at.precision})` : span;
}

/** True when the date names a period (a year or a month), not a day or an instant. */
export function isApproximate(at: OccurredAt): boolean {
  return at.precision === 'year' || at.precision === 'month';
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const INSTANT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZone: 'UTC',
});

function formatPoint(value: string, precision: OccurredAt['precision']): string {
  switch (precision) {
    case 'year':
      return value;
    case 'month': {
      const [y, m] = value.split('-').map(Number) as [number, number];
      return MONTH.format(Date.UTC(y, m - 1, 1));
    }
    case 'day':
      return DAY.format(Date.parse(`${value}T00:00:00Z`));
    case 'minute': {
      // Keep the offset the source gave: "09:30 +05:30" is what the reporter wrote.
      const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
      if (!match) return value;
      const [, day, time, offset] = match as unknown as [string, string, string, string];
      return `${DAY.format(Date.parse(`${day}T00:00:00Z`))}, ${time} ${offset === 'Z' ? 'UTC' : offset}`;
    }
  }
}

/** A knowledge-time instant (recordedAt), always in UTC so that two readers see the same text. */
export function formatInstant(iso: string | number): string {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  return `${INSTANT.format(ms)} UTC`;
}

/** For the valid-time sweep marker: as fine as the data around it needs. */
export function formatMarker(ms: number): string {
  return DAY.format(ms);
}

const NUMBER = new Intl.NumberFormat('en-GB');
export function formatCount(n: number): string {
  return NUMBER.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A data field's name as a label: `participantSectors` → "Participant sectors". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `<input type=datetime-local>` speaks local wall time without a zone; the app speaks UTC ISO. */
export function toDatetimeLocalValue(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms).toISOString().slice(0, 19);
}

export function fromDatetimeLocalValue(value: string): string | undefined {
  if (!value) return undefined;
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  const ms = Date.parse(`${withSeconds}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
