import { Conflict } from '../../../../kernel/errors/domain-error.ts';

export const REQUEST_STATES = [
  'received',
  'verifying',
  'verified',
  'awaiting_approval',
  'in_progress',
  'completed',
  'partially_completed',
  'denied',
  'failed',
  'cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const CLOSED_STATES: ReadonlySet<RequestState> = new Set([
  'completed',
  'partially_completed',
  'denied',
  'failed',
  'cancelled',
]);

/**
 * The lifecycle. Execution starts only from a verified identity (GDPR Art. 12(6), CCPA Regs §7060)
 * and, where configured, after approval; once execution has started a request can no longer be
 * cancelled or denied, only finish.
 */
const TRANSITIONS: Record<RequestState, readonly RequestState[]> = {
  received: ['verifying', 'verified', 'denied', 'cancelled'],
  verifying: ['verified', 'denied', 'cancelled'],
  verified: ['awaiting_approval', 'in_progress', 'denied', 'cancelled'],
  awaiting_approval: ['in_progress', 'denied', 'cancelled'],
  in_progress: ['completed', 'partially_completed', 'failed'],
  completed: [],
  partially_completed: [],
  denied: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: RequestState, to: RequestState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws Conflict `dsr.invalid_transition` naming both states and what is possible from `from`. */
export function assertTransition(requestId: string, from: RequestState, to: RequestState): void {
  if (canTransition(from, to)) return;
  const allowed = TRANSITIONS[from];
  throw new Conflict(
    'dsr.invalid_transition',
    `Request ${requestId} cannot go from ${from} to ${to}. ${allowed.length ? `From ${from} it can go to: ${allowed.join(', ')}.` : `${from} is final.`}`,
    { requestId, from, to, allowed },
  );
}

export function isClosed(state: RequestState): boolean {
  return CLOSED_STATES.has(state);
}
