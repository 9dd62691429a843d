import { NotFound } from '../../../kernel/errors/domain-error.ts';
import { clockStatus, formatInstant, type ClockStatus } from '../core/breach-clock.ts';
import { firstAuthorityNotification, type BreachRecord } from '../core/breach-record.ts';
import { readBreach } from '../store/breach-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { governanceSettings } from '../config-schema.ts';
import type { GovernanceDeps } from './governance-deps.ts';
import { missingForClosure } from './close-breach.ts';

export interface BreachView extends BreachRecord {
  clock: Omit<ClockStatus, 'deadline'> & {
    deadline: string;
    deadlineLocal: string;
    awareLocal: string;
    timeZone: string;
  };
  /** What the register entry still lacks before it can be closed. */
  missing: string[];
}

/** A breach with where its 72-hour clock stands, in the configured time zone. */
export async function readBreachView(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  now = new Date(),
): Promise<BreachView> {
  const breach = await readBreach(governanceDb(deps.database.db), tenantId, id);
  if (!breach) throw new NotFound('governance.breach_not_found', `No breach ${id} in the register.`, { id });
  return breachView(breach, governanceSettings(deps.config).timeZone, now);
}

export function breachView(breach: BreachRecord, timeZone: string, now: Date): BreachView {
  const first = firstAuthorityNotification(breach);
  const status = clockStatus({
    awareAt: new Date(breach.awareAt),
    now,
    authorityNotifiedAt: first ? new Date(first.sentAt) : undefined,
    authorityNotificationRequired: breach.decision?.notifyAuthority ?? true,
    delayReason: breach.delayReason,
  });
  return {
    ...breach,
    clock: {
      ...status,
      deadline: status.deadline.toISOString(),
      deadlineLocal: formatInstant(status.deadline, timeZone),
      awareLocal: formatInstant(new Date(breach.awareAt), timeZone),
      timeZone,
    },
    missing: breach.state === 'open' ? missingForClosure(breach) : [],
  };
}
