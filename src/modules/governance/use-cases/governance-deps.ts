import type { AppServices } from '../../../kernel/http/steward-app.ts';
import type { Actor } from '../../../platform/auth/actor.ts';

/** What governance use-cases read and write: Steward's database, the data maps, settings. */
export type GovernanceDeps = Pick<AppServices, 'database' | 'dataMaps' | 'config'>;

/** …plus the source systems, for counting a breach's affected subjects. */
export type GovernanceCountingDeps = GovernanceDeps & Pick<AppServices, 'connectors'>;

/** Who did it, as the audit log records it (never a name or an email). */
export type GovernanceActor = Pick<Actor, 'kind' | 'id'>;

export function actorLabel(actor: GovernanceActor): string {
  return `${actor.kind}:${actor.id}`;
}
