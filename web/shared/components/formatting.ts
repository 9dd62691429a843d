import { currentLanguage } from '../i18n.ts';

/** A date (and time) in the page's language, in the viewer's time zone. */
export function formatDate(value: string | null | undefined, withTime = false): string {
  if (!value) return '–';
  const date = new Date(value);
  return new Intl.DateTimeFormat(currentLanguage(), {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(date);
}

/** A whole number with the language's grouping. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(currentLanguage()).format(value);
}

/** Seconds as the largest sensible unit, e.g. "3 min", "2 h", "5 days". */
export function formatDuration(seconds: number): string {
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = units.find(([, size]) => seconds >= size) ?? ['second', 1];
  return new Intl.NumberFormat(currentLanguage(), { style: 'unit', unit, unitDisplay: 'short' }).format(
    Math.round(seconds / size),
  );
}

/** Days from now until a date: negative when it is past. */
export function daysUntil(value: string, now = Date.now()): number {
  return Math.ceil((new Date(value).getTime() - now) / 86_400_000);
}
