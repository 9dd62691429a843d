/**
 * Calendar dates as `YYYY-MM-DD` strings, computed in UTC: deadlines are legal periods counted in
 * days and months, not in milliseconds, so they must not drift with time zones or DST.
 */
export type CalendarDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function calendarDateOf(instant: Date): CalendarDate {
  return instant.toISOString().slice(0, 10);
}

function parts(date: CalendarDate): [number, number, number] {
  const match = ISO_DATE.exec(date);
  if (!match) throw new TypeError(`not a calendar date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function format(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The same day `months` later; when that month is shorter, its last day (Jan 31 + 1 month = Feb 28,
 * or Feb 29 in a leap year). This is how Regulation (EEC, Euratom) No 1182/71 Art. 3(2)(c) ends a
 * period expressed in months, which the EDPB applies to GDPR Art. 12(3).
 */
export function addCalendarMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = parts(date);
  return calendarDateOf(new Date(Date.UTC(year, month - 1, day + days)));
}

export function isWeekend(date: CalendarDate): boolean {
  const [year, month, day] = parts(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * The `days`-th business day after `date` (the day of receipt itself does not count). Saturdays,
 * Sundays and the given holidays are skipped.
 */
export function addBusinessDays(
  date: CalendarDate,
  days: number,
  holidays: ReadonlySet<CalendarDate> = new Set(),
): CalendarDate {
  let current = date;
  let remaining = days;
  while (remaining > 0) {
    current = addCalendarDays(current, 1);
    if (!isWeekend(current) && !holidays.has(current)) remaining--;
  }
  return current;
}

/** The last instant of a calendar day in UTC: a deadline "on" a day is met until that day ends. */
export function endOfDay(date: CalendarDate): Date {
  return new Date(`${date}T23:59:59.999Z`);
}
