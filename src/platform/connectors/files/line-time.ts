/** JSON keys that usually hold a log line's time, tried in order when the collection names none. */
export const TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp', 'date', 'datetime'] as const;

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

// RFC 3339 / ISO 8601 at the start of the line (optionally in brackets), with a space or T, a
// comma or dot before the fraction (log4j, Python logging), and an optional offset.
const ISO_AT_START =
  /^\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?/;
// Common/combined log format (Apache, nginx): [10/Oct/2026:13:55:36 +0200].
const CLF = /\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\]/;

/**
 * The time a plain-text line was written: an ISO 8601 timestamp at its start, or a common-log-format
 * one in its first 200 characters. Undefined when there is none (such lines are never "older than").
 * A time without an offset is read as UTC: servers that log local time should log the offset too.
 */
export function timeOfTextLine(line: string): Date | undefined {
  const iso = ISO_AT_START.exec(line);
  if (iso) {
    const fraction = (iso[3] ?? '').slice(0, 3).padEnd(3, '0');
    const offset = iso[4] ? normaliseOffset(iso[4]) : 'Z';
    return validDate(`${iso[1]}T${iso[2]}.${fraction}${offset}`);
  }
  const clf = CLF.exec(line.slice(0, 200));
  if (clf) {
    const month = MONTHS[clf[2]!];
    if (month === undefined) return undefined;
    const utc = Date.UTC(
      Number(clf[3]),
      month,
      Number(clf[1]),
      Number(clf[4]),
      Number(clf[5]),
      Number(clf[6]),
    );
    const sign = clf[7] === '-' ? -1 : 1;
    return new Date(utc - sign * (Number(clf[8]) * 60 + Number(clf[9])) * 60_000);
  }
  return undefined;
}

/** A JSON value as a time: ISO text, or epoch seconds / milliseconds (numbers below 1e12 are seconds). */
export function timeOfJsonValue(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value))
    return new Date(value < 1e12 ? value * 1000 : value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return validDate(value);
  return undefined;
}

function normaliseOffset(offset: string): string {
  if (offset === 'Z') return offset;
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

function validDate(text: string): Date | undefined {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
