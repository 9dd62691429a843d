import { Forbidden } from '../../kernel/errors/domain-error.ts';
import type { AuthConfig } from './auth-config-schema.ts';

/** A tenant's separation-of-duties policy (auth.separationOfDuties, with the tenant's own settings applied). */
export interface DutiesPolicy {
  /** Erasures always wait for approval; an approver is neither the submitter nor the verifier. */
  requests: boolean;
  /**
   * A real retention run with more rows due than this waits for approval by someone other than its
   * requester; false: no run waits.
   */
  retentionRunRowsAbove: number | false;
  /** A master key rotation is proposed by one person and carried out by another. */
  secretsRotation: boolean;
}

export function dutiesPolicyFor(
  auth: Pick<AuthConfig, 'separationOfDuties'>,
  tenantId: string,
): DutiesPolicy {
  const { tenants, ...defaults } = auth.separationOfDuties;
  const own = tenants[tenantId] ?? {};
  return {
    requests: own.requests ?? defaults.requests,
    retentionRunRowsAbove: own.retentionRunRowsAbove ?? defaults.retentionRunRowsAbove,
    secretsRotation: own.secretsRotation ?? defaults.secretsRotation,
  };
}

/** Whether a retention run with `rowsDue` rows due now must wait for a second person. */
export function retentionRunNeedsApproval(
  policy: Pick<DutiesPolicy, 'retentionRunRowsAbove'>,
  rowsDue: number,
): boolean {
  return policy.retentionRunRowsAbove !== false && rowsDue > policy.retentionRunRowsAbove;
}

/**
 * A master key rotation re-wraps the secrets of every tenant at once, so it needs a second person
 * when any tenant whose secrets it touches asks for one (the strictest policy wins).
 */
export function rotationNeedsSecondPerson(
  auth: Pick<AuthConfig, 'separationOfDuties'>,
  tenantIds: Iterable<string>,
): boolean {
  for (const tenantId of tenantIds) if (dutiesPolicyFor(auth, tenantId).secretsRotation) return true;
  return false;
}

/** Who did something, as the audit log names them. */
export interface DutyActor {
  kind: string;
  id: string;
}

/**
 * A second pair of eyes is a person the API authenticated (a user or their API key). A system actor
 * — the CLI's one operator identity `steward-cli`, a job, a flow — is nobody's second person.
 */
export function requirePerson(code: string, what: string, approver: DutyActor, how: string): void {
  if (approver.kind === 'user' || approver.kind === 'api_key') return;
  throw new Forbidden(
    code,
    `${what} needs a second person, and ${approver.kind} ${approver.id} is not one. ${how}`,
    { roles: [] },
  );
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
