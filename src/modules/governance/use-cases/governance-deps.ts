import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { ConnectorRegistry } from '../../../platform/connectors/connector-registry.ts';
import type { DataMapRegistry } from '../../../platform/datamap/datamap-types.ts';
import type { EventsDatabase } from '../../../platform/events/store/events-database.ts';
import type { GovernanceTables } from '../store/governance-tables.ts';

/** The tables governance code touches: its own, plus the event and audit outboxes it writes to. */
export type GovernanceDatabase = GovernanceTables & EventsDatabase;

/** The part of the app's services the governance module's adapters (routes, jobs, commands) use. */
export interface GovernanceServices {
  database: { db: Kysely<GovernanceDatabase> };
  /** Each tenant's validated data map. */
  dataMaps: DataMapRegistry;
  /** The source systems, for counting a breach's affected subjects. */
  connectors: Pick<ConnectorRegistry, 'forSystem'>;
  /** The loaded steward.yaml; governance reads its `governance` section (governanceSettings). */
  config: object;
}

/** What most governance use-cases read and write: Steward's database, the data maps, settings. */
export type GovernanceDeps = Omit<GovernanceServices, 'connectors'>;

/** …plus the source systems, for counting a breach's affected subjects. */
export type GovernanceCountingDeps = GovernanceServices;

/** Who did it, as the audit log records it (never a name or an email). */
export type GovernanceActor = Pick<Actor, 'kind' | 'id'>;

export function actorLabel(actor: GovernanceActor): string {
  return `${actor.kind}:${actor.id}`;
}
