import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import type { Duration } from './datamap-types.ts';

/** A duration split into calendar months and exact hours (`1y6m2w` = 18 months + 336 hours). */
export interface ParsedDuration {
  months: number;
  hours: number;
}

const PART = /(\d+)([ymwdh])/g;
const WHOLE = /^(\d+y)?(\d+m)?(\d+w)?(\d+d)?(\d+h)?$/;
const MONTHS: Record<string, number> = { y: 12, m: 1 };
const HOURS: Record<string, number> = { w: 7 * 24, d: 24, h: 1 };

export function parseDuration(value: Duration): ParsedDuration {
  if (!value || !WHOLE.test(value)) {
    throw new InvalidInput(
      'datamap.bad_duration',
      `"${value}" is not a duration. Write e.g. 10y, 6m, 30d, 2w, 12h or 1y6m.`,
      { value },
    );
  }
  const parsed: ParsedDuration = { months: 0, hours: 0 };
  for (const [, amount, unit] of value.matchAll(PART)) {
    if (unit && unit in MONTHS) parsed.months += Number(amount) * (MONTHS[unit] ?? 0);
    else if (unit) parsed.hours += Number(amount) * (HOURS[unit] ?? 0);
  }
  return parsed;
}

/**
 * True when `a` lasts at least as long as `b` from ANY start date. Months count as 28 days where
 * that is the worst case for `a` and as 31 where it is the worst case for `b`, so `1y` ≥ `12m` holds
 * but `1m` ≥ `30d` does not (February).
 */
export function isAtLeast(a: Duration, b: Duration): boolean {
  const x = parseDuration(a);
  const y = parseDuration(b);
  const months = x.months - y.months;
  const hours = x.hours - y.hours;
  if (months >= 0 && hours >= 0) return true;
  if (months <= 0 && hours <= 0) return false;
  return months > 0 ? months * 28 * 24 + hours >= 0 : months * 31 * 24 + hours >= 0;
}

/** `date` plus the duration, in UTC; month arithmetic clamps to the month's end (31 Jan + 1m = 28/29 Feb). */
export function addDuration(date: Date, duration: Duration): Date {
  const { months, hours } = parseDuration(duration);
  const result = new Date(date.getTime());
  if (months) {
    const day = result.getUTCDate();
    result.setUTCDate(1);
    result.setUTCMonth(result.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
    result.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(result.getTime() + hours * 3_600_000);
}

/** `date` minus the duration: the cut-off before which an anchor makes a row due. */
export function subtractDuration(date: Date, duration: Duration): Date {
  const { months, hours } = parseDuration(duration);
  const result = new Date(date.getTime() - hours * 3_600_000);
  if (!months) return result;
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}
