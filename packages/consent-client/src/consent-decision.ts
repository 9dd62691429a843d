/**
 * The answer of Steward's consent check API (`GET /v1/consent/check`), as this client receives it.
 * The package is installed on its own, so it declares the wire format itself; its test checks that
 * Steward's own type still fits it.
 */
export interface ConsentDecision {
  allowed: boolean;
  purpose: string;
  legalBasis:
    | 'consent'
    | 'contract'
    | 'legal_obligation'
    | 'vital_interests'
    | 'public_task'
    | 'legitimate_interests'
    | 'ccpa_notice_at_collection'
    | null;
  reason:
    | 'consent_given'
    | 'other_legal_basis'
    | 'not_opted_out'
    | 'withdrawn'
    | 'gpc_opt_out'
    | 'expired'
    | 'never_given'
    | 'no_notice'
    | 'tcf_consent'
    | 'tcf_no_consent'
    | 'tcf_no_string'
    | 'error';
  /** One sentence for people reading logs and dashboards. */
  explanation: string;
  consent?: {
    id: string;
    notice: string | null;
    noticeVersion: number | null;
    givenAt: string;
    expiresAt: string | null;
    source: 'web' | 'api' | 'import' | 'gpc' | 'tcf' | 'system';
  };
}

/** Steward could not be asked or answered unexpectedly; the client then fails closed. */
export class ConsentClientError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ConsentClientError';
    this.code = code;
    this.details = details;
  }
}
