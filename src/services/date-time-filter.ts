import { DomainError } from '../domain/index.js';

// ISO 8601 / RFC 3339 date-time with a required zone: date, `T` (or a space), hours and minutes, optional seconds
// and fraction, then `Z` or ±hh:mm (±hhmm too). A `+` sent unencoded in a query string arrives as a space, so a
// space before the offset is read as `+`.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+\- ])(\d{2}):?(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The instant (epoch ms) of an ISO 8601 date-time with a time zone (`2025-01-10T12:00:00Z`,
 * `2025-01-10T13:00:00.5+01:00`), or undefined when `text` is not one or names a day or time that does not exist
 * (`2025-02-30`, `24:00`).
 */
export function parseIsoDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zulu === undefined) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** The instant of an optional date-time filter field, or undefined when absent; throws DATE_TIME_INVALID naming `field`. */
export function dateTimeFilter(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const instant = typeof value === 'string' ? parseIsoDateTime(value) : value instanceof Date ? value.getTime() : undefined;
  if (instant === undefined || !Number.isFinite(instant)) {
    throw new DomainError(
      'DATE_TIME_INVALID',
      {
        pl: `Pole ${field}: podaj datę i godzinę ISO 8601 ze strefą, np. 2025-01-10T12:00:00Z.`,
        en: `Field ${field}: give an ISO 8601 date-time with a time zone, e.g. 2025-01-10T12:00:00Z.`,
      },
      { field },
    );
  }
  return instant;
}
