import { randomUUID } from 'node:crypto';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMap } from '../../../platform/datamap/datamap-types.ts';
import { notificationDeadline } from '../core/breach-clock.ts';
import type { AffectedCollection, BreachNature, BreachRecord } from '../core/breach-record.ts';
import { personal } from '../core/processing-activities.ts';
import { appendTimeline, insertBreach } from '../store/breach-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';

export interface NewBreach {
  title: string;
  description: string;
  nature: BreachNature;
  awareAt: Date;
  occurredAt?: Date;
  detectedAt?: Date;
  affected: AffectedCollection[];
  likelyConsequences?: string;
  measures?: string;
  contact: string;
}

/**
 * Enters a breach in the register (Art. 33(5)) and starts its 72-hour clock from the moment of
 * awareness. The categories concerned come from the affected collections in the data map. Publishes
 * `governance.breach_detected` and audits, in the same transaction as the entry.
 */
export async function recordBreach(
  deps: GovernanceDeps,
  tenantId: string,
  input: NewBreach,
  actor: GovernanceActor,
  now = new Date(),
): Promise<BreachRecord> {
  const dataMap = deps.dataMaps.forTenant(tenantId).dataMap;
  const categories = checkAffected(dataMap, input.affected);
  if (input.awareAt.getTime() > now.getTime() + 60_000)
    throw new InvalidInput(
      'governance.aware_in_future',
      'awareAt lies in the future; give the moment the breach became known (the 72-hour clock starts there).',
    );
  const breach: BreachRecord = {
    id: randomUUID(),
    tenantId,
    title: input.title,
    description: input.description,
    nature: input.nature,
    awareAt: input.awareAt.toISOString(),
    ...(input.occurredAt ? { occurredAt: input.occurredAt.toISOString() } : {}),
    ...(input.detectedAt ? { detectedAt: input.detectedAt.toISOString() } : {}),
    affected: input.affected,
    categories,
    likelyConsequences: input.likelyConsequences ?? '',
    measures: input.measures ?? '',
    contact: input.contact,
    notifications: [],
    timeline: [],
    remindersSent: [],
    state: 'open',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const deadline = notificationDeadline(input.awareAt);
  await deps.database.db.transaction().execute(async (trx) => {
    const db = governanceDb(trx);
    await insertBreach(db, breach);
    if (input.detectedAt)
      await appendTimeline(db, tenantId, breach.id, {
        at: input.detectedAt.toISOString(),
        kind: 'detected',
        note: 'Breach detected',
        by: actorLabel(actor),
      });
    await appendTimeline(db, tenantId, breach.id, {
      at: breach.awareAt,
      kind: 'aware',
      note: `Controller aware; the 72-hour period (Art. 33(1)) ends ${deadline.toISOString()}`,
      by: actorLabel(actor),
    });
    await publishEvent(trx, {
      tenantId,
      type: 'governance.breach_detected',
      source: 'governance',
      topic: 'governance.breach',
      orderingKey: `breach:${breach.id}`,
      data: {
        breachId: breach.id,
        title: breach.title,
        awareAt: breach.awareAt,
        deadline: deadline.toISOString(),
        systems: [...new Set(input.affected.map((a) => a.system))],
        categories,
      },
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.breach.recorded',
      object: { type: 'breach', id: breach.id },
      outcome: 'success',
      details: { awareAt: breach.awareAt, collections: input.affected.length, categories: categories.length },
    });
  });
  return { ...breach, timeline: [] };
}

/** Every affected collection and window field exists; returns the personal categories concerned. */
export function checkAffected(dataMap: DataMap, affected: readonly AffectedCollection[]): string[] {
  const categories = new Set<string>();
  for (const item of affected) {
    const system = dataMap.systems.find((s) => s.id === item.system);
    const collection = system?.collections.find((c) => c.name === item.collection);
    if (!collection)
      throw new InvalidInput(
        'governance.unknown_collection',
        `${item.system}.${item.collection} is not a collection of the data map; pick affected collections from steward datamap show or GET /v1/datamap (the demo shop's need --demo or demo.enabled).`,
        { system: item.system, collection: item.collection },
      );
    if (item.window) {
      const field = collection.fields.find((f) => f.name === item.window!.field);
      if (!field || (field.type && !['date', 'timestamp'].includes(field.type.family)))
        throw new InvalidInput(
          'governance.bad_window_field',
          `The window of ${item.system}.${item.collection} must use a date or timestamp field of that collection; "${item.window.field}" is ${field ? `a ${field.type?.raw} field` : 'not a field'}.`,
          { field: item.window.field },
        );
      for (const bound of [item.window.from, item.window.to])
        if (bound !== undefined && Number.isNaN(Date.parse(bound)))
          throw new InvalidInput(
            'governance.bad_window_bound',
            `Window bound "${bound}" is not an ISO 8601 date or time.`,
          );
    }
    for (const field of collection.fields) for (const c of personal(field.categories)) categories.add(c);
  }
  return [...categories].sort();
}
