import type { DbHandle } from '../../../kernel/database/db-handle.ts';
import type { DsrDatabase } from '../store/dsr-database.ts';

/** Who records a consent change on the DSR module's behalf (never a person's name). */
export interface ConsentChangeOrigin {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string;
  tenantId: string;
  requestId?: string;
}

/**
 * What the DSR module needs from whatever keeps the subjects' consents (the consent module, bound
 * by src/workflows/subject-consent-for-dsr.ts): the module states the need, the app wires it, and
 * neither module imports the other.
 */
export interface SubjectConsentPort {
  /** Sec-GPC on a privacy-center request (CCPA §1798.135): an opt-out of sale and sharing for each identity given. */
  hasGpcSignal(headers: Record<string, string | string[] | undefined>): boolean;
  recordGpcOptOut(
    origin: ConsentChangeOrigin,
    identities: Record<string, string>,
    proof: { ipAddress?: string; userAgent?: string },
  ): Promise<void>;
  /** A CCPA opt-out request (§1798.120): the purpose withdrawn for each subject, in the caller's transaction. */
  recordOptOut(
    trx: DbHandle<DsrDatabase>,
    origin: ConsentChangeOrigin,
    subjects: readonly string[],
    source: 'web' | 'api',
  ): Promise<void>;
  /** After the opt-out's transaction committed: answers cached for these subjects are dropped. */
  forgetCachedAnswers(tenantId: string, subjects: readonly string[]): void;
  /** The purpose an opt-out withdraws (`ccpa.sale_sharing`), for the request's report. */
  readonly optOutPurpose: string;
  /** GDPR Art. 15: the consents given and withdrawn under any of these identities, for the access package. */
  historiesOf(tenantId: string, identityValues: readonly string[]): Promise<unknown[]>;
}
