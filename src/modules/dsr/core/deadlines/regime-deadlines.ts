import { Conflict, InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { Regime } from '../../use-cases/requests/request-types.ts';
import {
  addBusinessDays,
  addCalendarDays,
  addCalendarMonths,
  calendarDateOf,
  endOfDay,
  type CalendarDate,
} from './calendar-date.ts';

export interface Deadlines {
  /** When the request must be answered. */
  dueAt: Date;
  /** CCPA only: when receipt must have been confirmed. */
  confirmationDueAt: Date | null;
}

/** GDPR Art. 12(3): one month from receipt, extendable by two further months. */
const GDPR_MONTHS = 1;
const GDPR_MAX_EXTENSION_MONTHS = 2;
/** Cal. Civ. Code §1798.130(a)(2)(A): 45 calendar days, extendable once by 45 more. */
const CCPA_DAYS = 45;
const CCPA_EXTENSION_DAYS = 45;
/** CCPA Regs (11 CCR) §7021(a): confirm receipt within 10 business days. */
const CCPA_CONFIRMATION_BUSINESS_DAYS = 10;

/** The deadlines of a request received at `receivedAt` (days counted in UTC). */
export function deadlinesFor(
  regime: Regime,
  receivedAt: Date,
  holidays: readonly CalendarDate[] = [],
): Deadlines {
  const received = calendarDateOf(receivedAt);
  if (regime === 'gdpr')
    return { dueAt: endOfDay(addCalendarMonths(received, GDPR_MONTHS)), confirmationDueAt: null };
  return {
    dueAt: endOfDay(addCalendarDays(received, CCPA_DAYS)),
    confirmationDueAt: endOfDay(
      addBusinessDays(received, CCPA_CONFIRMATION_BUSINESS_DAYS, new Set(holidays)),
    ),
  };
}

export interface ExtensionInput {
  regime: Regime;
  receivedAt: Date;
  /** The deadline now in force. */
  dueAt: Date;
  /** Months (GDPR) or days (CCPA) already granted. */
  extendedSoFar: number;
  /** GDPR only: 1 or 2 further months (default: what is left of the two). */
  months?: number;
  now: Date;
}

export interface Extension {
  dueAt: Date;
  /** The new total: months (GDPR) or days (CCPA). */
  extendedTotal: number;
}

/**
 * A longer deadline, or Conflict when the regime allows no more. The extension must be decided and
 * told to the requester before the current deadline passes (GDPR Art. 12(3): "within one month of
 * receipt"; CCPA §1798.130(a)(2)(A): "within the first 45-day period").
 */
export function extendDeadline(input: ExtensionInput): Extension {
  if (input.now.getTime() > input.dueAt.getTime()) {
    throw new Conflict(
      'dsr.extension_too_late',
      `The deadline (${input.dueAt.toISOString()}) has passed; an extension must be notified before the deadline runs out.`,
      { dueAt: input.dueAt.toISOString() },
    );
  }
  const received = calendarDateOf(input.receivedAt);
  if (input.regime === 'ccpa') {
    if (input.months !== undefined)
      throw new InvalidInput('dsr.extension_months_not_ccpa', 'CCPA extensions are 45 days; omit "months".');
    if (input.extendedSoFar > 0)
      throw new Conflict(
        'dsr.extension_exhausted',
        'A CCPA request can be extended only once, by 45 days (Cal. Civ. Code §1798.130(a)(2)(A)).',
      );
    return {
      dueAt: endOfDay(addCalendarDays(received, CCPA_DAYS + CCPA_EXTENSION_DAYS)),
      extendedTotal: CCPA_EXTENSION_DAYS,
    };
  }
  const left = GDPR_MAX_EXTENSION_MONTHS - input.extendedSoFar;
  if (left <= 0)
    throw new Conflict(
      'dsr.extension_exhausted',
      'This request was already extended by the two further months GDPR Art. 12(3) allows.',
    );
  const months = input.months ?? left;
  if (!Number.isInteger(months) || months < 1 || months > left) {
    throw new InvalidInput(
      'dsr.extension_months',
      `GDPR Art. 12(3) allows ${left} more month(s) for this request; "months" must be between 1 and ${left}.`,
      { left },
    );
  }
  const total = input.extendedSoFar + months;
  // Counted from receipt, not from the previous deadline, so clamping at a short month is not compounded.
  return { dueAt: endOfDay(addCalendarMonths(received, GDPR_MONTHS + total)), extendedTotal: total };
}
