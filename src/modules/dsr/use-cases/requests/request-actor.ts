import type { AuditEventInput } from '../../../../platform/audit/audit-event.ts';

/** Who changed a request: the same shape the audit log records. Never an email or a name. */
export type RequestActor = AuditEventInput['actor'];

/** Steward itself (jobs, the watchdog). */
export const SYSTEM_ACTOR: RequestActor = { kind: 'system', id: 'steward' };
