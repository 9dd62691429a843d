import type { ConsentHistory, Notice, PurposeConsentRate } from '../../consent/api.ts';

/** Who records a change on the web module's behalf (the privacy center acts for the visitor, never by name). */
export interface ConsentChangeOrigin {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string;
  tenantId: string;
  requestId?: string;
}

/** A visitor's decision on one notice, under the version they were shown. */
export interface NoticeDecision {
  subject: string;
  purpose: string;
  action: 'given' | 'withdrawn';
  notice: string;
  noticeVersion: number;
  /** Kept only as keyed hashes (GDPR Art. 7(1): the controller proves consent was given). */
  proof: { ipAddress?: string; userAgent?: string };
}

/**
 * What the privacy center and the console need of the consent ledger, from whatever keeps it (the
 * consent module, bound by src/workflows/consent-for-web.ts).
 */
export interface ConsentLedgerPort {
  /** The tenant's current notices, by key. */
  notices(tenantId: string): Promise<Notice[]>;
  /** The subject's whole consent history and current states; the caller audits the read. */
  historyOf(tenantId: string, subject: string): Promise<ConsentHistory>;
  /** Records the decisions as made on the web (source `web`), each audited and published. */
  recordDecisions(origin: ConsentChangeOrigin, decisions: NoticeDecision[]): Promise<void>;
  /**
   * Global Privacy Control (Cal. Code Regs. tit. 11 §7025): the subject's opt-out of sale and
   * sharing; true when this call recorded it, false when they were opted out already.
   */
  recordGpcOptOut(
    origin: ConsentChangeOrigin,
    subject: string,
    proof: { ipAddress?: string; userAgent?: string },
  ): Promise<boolean>;
  /** Per purpose: subjects by current state, and decisions per day of the last `days`. Counts only. */
  ratesByPurpose(tenantId: string, now: Date, days: number): Promise<PurposeConsentRate[]>;
}
