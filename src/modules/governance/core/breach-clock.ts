/**
 * The breach notification clock. GDPR Art. 33(1): the controller notifies the supervisory authority
 * "without undue delay and, where feasible, not later than 72 hours after having become aware of
 * it"; a later notification states the reasons for the delay. The deadline is an instant, computed
 * on UTC milliseconds: 72 elapsed hours, whatever the wall clock does in between (a DST change makes
 * the local time of the deadline differ from the local time of awareness by an hour; a year end
 * changes nothing). Local time is only for display (`formatInstant`).
 */
export const NOTIFICATION_WINDOW_HOURS = 72;
const HOUR_MS = 3_600_000;

/** Art. 33(1): awareness + 72 hours. */
export function notificationDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + NOTIFICATION_WINDOW_HOURS * HOUR_MS);
}

/** Reminders before the deadline, in hours left; the last (0) is the escalation when it passes. */
export const DEFAULT_REMINDER_HOURS_LEFT: readonly number[] = [48, 24, 6, 1, 0];

export interface BreachReminder {
  /** Hours left before the deadline when it fires; 0 = the deadline has passed (escalation). */
  hoursLeft: number;
  at: Date;
  kind: 'reminder' | 'escalation';
}

/** Every reminder of a breach, in firing order. */
export function reminderSchedule(
  awareAt: Date,
  hoursLeft: readonly number[] = DEFAULT_REMINDER_HOURS_LEFT,
): BreachReminder[] {
  const deadline = notificationDeadline(awareAt).getTime();
  return [...new Set(hoursLeft)]
    .filter((h) => h >= 0 && h < NOTIFICATION_WINDOW_HOURS)
    .sort((a, b) => b - a)
    .map((h) => ({
      hoursLeft: h,
      at: new Date(deadline - h * HOUR_MS),
      kind: h === 0 ? 'escalation' : 'reminder',
    }));
}

/** The reminders that are due at `now` and not yet sent (`sent` holds their `hoursLeft`). */
export function dueReminders(
  awareAt: Date,
  now: Date,
  sent: readonly number[],
  hoursLeft: readonly number[] = DEFAULT_REMINDER_HOURS_LEFT,
): BreachReminder[] {
  return reminderSchedule(awareAt, hoursLeft).filter(
    (r) => r.at.getTime() <= now.getTime() && !sent.includes(r.hoursLeft),
  );
}

export type ClockState = 'running' | 'overdue' | 'met' | 'late' | 'not_required';

export interface ClockStatus {
  state: ClockState;
  deadline: Date;
  /** Negative when overdue; null once notified or not required. */
  hoursLeft: number | null;
  /** Art. 33(1) second sentence: a late notification must give the reasons for the delay. */
  delayReasonRequired: boolean;
}

/**
 * Where the clock stands: running or overdue until the authority is notified, then met or late;
 * `not_required` when the assessment found the breach unlikely to result in a risk (Art. 33(1)).
 */
export function clockStatus(input: {
  awareAt: Date;
  now: Date;
  authorityNotifiedAt?: Date | undefined;
  authorityNotificationRequired: boolean;
  delayReason?: string | undefined;
}): ClockStatus {
  const deadline = notificationDeadline(input.awareAt);
  if (input.authorityNotifiedAt) {
    const late = input.authorityNotifiedAt.getTime() > deadline.getTime();
    return {
      state: late ? 'late' : 'met',
      deadline,
      hoursLeft: null,
      delayReasonRequired: late && !input.delayReason,
    };
  }
  if (!input.authorityNotificationRequired)
    return { state: 'not_required', deadline, hoursLeft: null, delayReasonRequired: false };
  const hoursLeft = (deadline.getTime() - input.now.getTime()) / HOUR_MS;
  const overdue = hoursLeft < 0;
  return {
    state: overdue ? 'overdue' : 'running',
    deadline,
    hoursLeft: Math.round(hoursLeft * 100) / 100,
    delayReasonRequired: overdue && !input.delayReason,
  };
}

/**
 * An instant as people in `timeZone` read it, with the zone's abbreviation and UTC offset so the
 * text is unambiguous on the night the clocks change: `2026-03-30 11:00 CEST (UTC+02:00)`.
 */
export function formatInstant(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const utcOffset = offset === 'GMT' ? 'UTC+00:00' : (offset ?? '').replace('GMT', 'UTC');
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')} (${utcOffset})`;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}
