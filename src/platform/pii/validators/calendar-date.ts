/** Month names and abbreviations in English, German and French, lower-case, to month number. */
const MONTHS: Record<string, number> = {};
const monthNames: [number, string[]][] = [
  [1, ['january', 'jan', 'januar', 'jänner', 'janvier', 'janv']],
  [2, ['february', 'feb', 'februar', 'février', 'fevrier', 'févr', 'fevr', 'fév']],
  [3, ['march', 'mar', 'märz', 'maerz', 'mär', 'mars']],
  [4, ['april', 'apr', 'avril', 'avr']],
  [5, ['may', 'mai']],
  [6, ['june', 'jun', 'juni', 'juin']],
  [7, ['july', 'jul', 'juli', 'juillet', 'juil']],
  [8, ['august', 'aug', 'août', 'aout']],
  [9, ['september', 'sep', 'sept', 'septembre']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre']],
  [11, ['november', 'nov', 'novembre']],
  [12, ['december', 'dec', 'dezember', 'dez', 'décembre', 'decembre', 'déc']],
];
for (const [month, names] of monthNames) for (const name of names) MONTHS[name] = month;

const MONTH = `(?:${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|')})\\.?`;
const DAY = '(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th|er|\\.)?';
const YEAR = '(?:1[89]\\d\\d|20\\d\\d)';

/** Dates as people write them: ISO, numeric with . / -, "12 March 1985", "March 12, 1985", "12. März 1985". */
const DATE_SOURCE = [
  `${YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])`,
  `(?:0?[1-9]|[12]\\d|3[01])([./-])(?:0?[1-9]|[12]\\d|3[01])\\1(?:${YEAR}|\\d{2})`,
  `${DAY}\\s(?:of\\s)?${MONTH},?\\s${YEAR}`,
  `${MONTH}\\s${DAY},?\\s${YEAR}`,
].join('|');

/** Global pattern for dates in free text (case-insensitive, month names in three languages). */
export const DATE_IN_TEXT = new RegExp(
  `(?<![\\p{L}\\p{N}./-])(?:${DATE_SOURCE})(?![\\p{L}\\p{N}]|[./-]\\d)`,
  'giu',
);
const WHOLE_DATE = new RegExp(`^(?:${DATE_SOURCE})$`, 'iu');

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function valid(year: number, month: number, day: number): CalendarDate | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : undefined;
}

/** Reads a date written in any of the shapes above; day-first when both readings are possible (as in de/fr). */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const numbers = text.match(/\d+/g)?.map(Number) ?? [];
  const monthWord = text.match(/\p{L}{3,}/u)?.[0]?.toLowerCase();
  if (/^\d{4}-/.test(text)) return valid(numbers[0]!, numbers[1]!, numbers[2]!);
  if (monthWord && MONTHS[monthWord] !== undefined) {
    const [day, year] = numbers;
    return valid(year!, MONTHS[monthWord]!, day!);
  }
  const [first, second, third] = numbers as [number, number, number];
  const year = third < 100 ? (third > new Date().getUTCFullYear() % 100 ? 1900 : 2000) + third : third;
  return valid(year, second, first) ?? valid(year, first, second);
}

/** A whole value that is a date someone alive may have been born on (not in the future, ≤ 125 years ago). */
export function plausibleBirthDate(value: string): CalendarDate | undefined {
  if (value.length > 30 || !WHOLE_DATE.test(value.trim())) return undefined;
  const date = parseCalendarDate(value.trim());
  return date && isPlausibleBirthYear(date) ? date : undefined;
}

export function isPlausibleBirthYear(date: CalendarDate): boolean {
  const now = new Date();
  const asDate = Date.UTC(date.year, date.month - 1, date.day);
  return asDate <= now.getTime() && date.year >= now.getUTCFullYear() - 125;
}
