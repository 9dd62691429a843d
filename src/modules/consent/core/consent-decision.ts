import type { ConsentSource, NoticeLegalBasis, NoticeMechanism } from '../store/consent-tables.ts';
import type { Notice } from '../use-cases/notices.ts';

/** A subject's current state for one purpose, as the projection holds it. */
export interface ConsentStateRow {
  purpose: string;
  status: 'given' | 'withdrawn' | 'expired';
  ledgerId: string;
  noticeKey: string | null;
  noticeVersion: number | null;
  legalBasis: NoticeLegalBasis | null;
  source: ConsentSource;
  occurredAt: Date;
  expiresAt: Date | null;
}

export type DecisionReason =
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

/** The answer to "may I process this subject's data for this purpose?". Plain data. */
export interface ConsentDecision {
  allowed: boolean;
  purpose: string;
  legalBasis: NoticeLegalBasis | null;
  reason: DecisionReason;
  /** One sentence for people reading logs and dashboards. */
  explanation: string;
  consent?: {
    id: string;
    notice: string | null;
    noticeVersion: number | null;
    givenAt: string;
    expiresAt: string | null;
    source: ConsentSource;
  };
}

const STRICTNESS: Record<NoticeMechanism, number> = { opt_in: 3, opt_out: 2, notice_only: 1 };

/**
 * The notice that governs a purpose for a jurisdiction: among the notices of that purpose whose
 * regions include it (or that apply everywhere), the strictest mechanism wins, so an opt-in notice
 * for the EU is never undercut by an opt-out notice elsewhere.
 */
export function governingNotice(
  notices: Notice[],
  purpose: string,
  jurisdiction?: string,
): Notice | undefined {
  const candidates = notices.filter((n) => n.purpose === purpose && appliesIn(n.regions, jurisdiction));
  return candidates.sort((a, b) => STRICTNESS[b.mechanism] - STRICTNESS[a.mechanism])[0];
}

function appliesIn(regions: string[], jurisdiction: string | undefined): boolean {
  if (regions.length === 0 || regions.includes('WORLD') || jurisdiction === undefined) return true;
  const country = jurisdiction.split('-')[0]!;
  return regions.some(
    (r) => r === jurisdiction || r === country || ((r === 'EU' || r === 'EEA') && EEA.has(country)),
  );
}

// GDPR applies in the EU and, through the EEA Agreement, in Iceland, Liechtenstein and Norway.
const EU = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];
const EEA = new Set([...EU, 'IS', 'LI', 'NO']);

/** Decides from the governing notice and the subject's state for the purpose. Pure. */
export function decideConsent(
  purpose: string,
  notice: Notice | undefined,
  state: ConsentStateRow | undefined,
  now: Date,
): ConsentDecision {
  if (!notice) {
    return deny(
      purpose,
      null,
      'no_notice',
      `No privacy notice covers purpose ${purpose} here, so nobody can have been told or asked.`,
    );
  }
  const basis = notice.legalBasis;
  if (state?.status === 'withdrawn') {
    return state.source === 'gpc'
      ? deny(
          purpose,
          basis,
          'gpc_opt_out',
          `The subject opted out through a Global Privacy Control signal on ${state.occurredAt.toISOString()}.`,
          state,
        )
      : deny(
          purpose,
          basis,
          'withdrawn',
          `The subject withdrew on ${state.occurredAt.toISOString()}.`,
          state,
        );
  }
  if (notice.mechanism === 'notice_only') {
    return {
      allowed: true,
      purpose,
      legalBasis: basis,
      reason: 'other_legal_basis',
      explanation: `Processed under ${basis} as stated in notice ${notice.key} v${notice.version}; no consent is asked.`,
    };
  }
  const current =
    state?.status === 'given' && (state.expiresAt === null || state.expiresAt.getTime() > now.getTime());
  if (current) {
    return {
      allowed: true,
      purpose,
      legalBasis: state!.legalBasis ?? basis,
      reason: 'consent_given',
      explanation: `Given to notice ${state!.noticeKey ?? '(none)'} v${state!.noticeVersion ?? '-'} on ${state!.occurredAt.toISOString()}${state!.expiresAt ? `, valid until ${state!.expiresAt.toISOString()}` : ''}.`,
      consent: consentOf(state!),
    };
  }
  const lapsed = state !== undefined;
  if (notice.mechanism === 'opt_out') {
    return {
      allowed: true,
      purpose,
      legalBasis: basis,
      reason: 'not_opted_out',
      explanation: `Allowed under ${basis} until the subject opts out (notice ${notice.key} v${notice.version}).`,
    };
  }
  return lapsed
    ? deny(
        purpose,
        basis,
        'expired',
        `The consent lapsed on ${(state.expiresAt ?? state.occurredAt).toISOString()} and was not renewed.`,
        state,
      )
    : deny(
        purpose,
        basis,
        'never_given',
        `The subject never gave consent for ${purpose} (notice ${notice.key} asks for opt-in).`,
      );
}

/** Fail closed: whatever went wrong, the answer is no, with the reason. */
export function errorDecision(purpose: string, message: string): ConsentDecision {
  return deny(
    purpose,
    null,
    'error',
    `Consent could not be determined (${message}); not allowed until it can.`,
  );
}

function deny(
  purpose: string,
  legalBasis: NoticeLegalBasis | null,
  reason: DecisionReason,
  explanation: string,
  state?: ConsentStateRow,
): ConsentDecision {
  return {
    allowed: false,
    purpose,
    legalBasis,
    reason,
    explanation,
    ...(state ? { consent: consentOf(state) } : {}),
  };
}

function consentOf(state: ConsentStateRow): NonNullable<ConsentDecision['consent']> {
  return {
    id: state.ledgerId,
    notice: state.noticeKey,
    noticeVersion: state.noticeVersion,
    givenAt: state.occurredAt.toISOString(),
    expiresAt: state.expiresAt?.toISOString() ?? null,
    source: state.source,
  };
}
