import { Forbidden } from '../../kernel/errors/domain-error.ts';
import type { AuthConfig } from './auth-config-schema.ts';

/** A tenant's separation-of-duties policy (auth.separationOfDuties, with the tenant's own settings applied). */
export interface DutiesPolicy {
  /** Erasures always wait for approval; an approver is neither the submitter nor the verifier. */
  requests: boolean;
}

export function dutiesPolicyFor(
  auth: Pick<AuthConfig, 'separationOfDuties'>,
  tenantId: string,
): DutiesPolicy {
  const { tenants, ...defaults } = auth.separationOfDuties;
  const own = tenants[tenantId] ?? {};
  return { requests: own.requests ?? defaults.requests };
}

/** Who did something, as the audit log names them. */
export interface DutyActor {
  kind: string;
  id: string;
}

/**
 * The four-eyes rule: `approver` must be none of the people who took the earlier steps (submitter,
 * verifier, proposer). Throws Forbidden naming which role they held, so they know to ask someone else.
 */
export function requireSecondPerson(
  code: string,
  what: string,
  approver: DutyActor,
  earlier: ReadonlyArray<{ role: string; actor: DutyActor | undefined }>,
): void {
  const roles = earlier
    .filter((e) => e.actor && e.actor.kind === approver.kind && e.actor.id === approver.id)
    .map((e) => e.role);
  if (roles.length === 0) return;
  throw new Forbidden(
    code,
    `${what} needs a second person: you are its ${roles.join(' and ')}. Someone else must approve it (auth.separationOfDuties).`,
    { roles },
  );
}
