import { sql } from 'kysely';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';
import type { ConsentDatabase } from '../store/consent-database.ts';

/** One purpose's subjects by current state, and the decisions recorded on each recent day (UTC). */
export interface PurposeConsentRate {
  purpose: string;
  given: number;
  withdrawn: number;
  expired: number;
  daily: { day: string; given: number; withdrawn: number }[];
}

/**
 * Per purpose, how many subjects' consent is given, withdrawn or expired now, and per day of the
 * last `days` the decisions recorded (given and renewed count as given): counts only, by purpose.
 */
export async function consentRatesByPurpose(
  db: DbHandle<ConsentDatabase>,
  tenantId: string,
  now: Date,
  days: number,
): Promise<PurposeConsentRate[]> {
  const since = new Date(now.getTime() - days * 24 * 3600_000);
  const [states, daily] = await Promise.all([
    db
      .selectFrom('consent_state')
      .where('tenant_id', '=', tenantId)
      .select(['purpose', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['purpose', 'status'])
      .execute(),
    db
      .selectFrom('consent_ledger')
      .where('tenant_id', '=', tenantId)
      .where('occurred_at', '>=', since)
      .where('action', 'in', ['given', 'renewed', 'withdrawn'])
      .select([
        'purpose',
        sql<string>`to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD')`.as('day'),
        (eb) => eb.fn.count<string>('id').filterWhere('action', 'in', ['given', 'renewed']).as('given'),
        (eb) => eb.fn.count<string>('id').filterWhere('action', '=', 'withdrawn').as('withdrawn'),
      ])
      .groupBy(['purpose', 'day'])
      .orderBy('day')
      .execute(),
  ]);
  const purposes = new Map<string, PurposeConsentRate>();
  const entry = (purpose: string) => {
    let found = purposes.get(purpose);
    if (!found) purposes.set(purpose, (found = { purpose, given: 0, withdrawn: 0, expired: 0, daily: [] }));
    return found;
  };
  for (const state of states) entry(state.purpose)[state.status] = Number(state.n);
  for (const day of daily)
    entry(day.purpose).daily.push({
      day: day.day,
      given: Number(day.given),
      withdrawn: Number(day.withdrawn),
    });
  return [...purposes.values()].sort((a, b) => a.purpose.localeCompare(b.purpose));
}
