import { Conflict, NotFound } from '../../../kernel/errors/domain-error.ts';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { WebServices } from '../web-services.ts';
import { CCPA_PURPOSES, type ConsentHistory, type Notice } from '../../consent/api.ts';

/** What reading and changing a visitor's consent uses: the consent ledger, and the audit log for the read. */
export type SubjectConsentServices = Pick<WebServices, 'database' | 'consentLedger'>;

/** The privacy center acts for the visitor; the ledger and the audit log never name them. */
const PRIVACY_CENTER_ACTOR = { kind: 'anonymous', id: 'privacy-center' } as const;

export interface SubjectContext {
  tenantId: string;
  subject: string;
  /** The browser sent `Sec-GPC: 1`. */
  gpc: boolean;
  proof: { ipAddress?: string; userAgent?: string };
  httpRequestId?: string;
}

export interface NoticeChoice {
  key: string;
  purpose: string;
  version: number;
  title: string;
  text: string;
  legalBasis: Notice['legalBasis'];
  mechanism: Notice['mechanism'];
  /** The subject's current state for the notice's purpose; `not_set` when they never chose. */
  status: 'given' | 'withdrawn' | 'expired' | 'not_set';
  since: string | null;
  expiresAt: string | null;
}

export interface SubjectConsentView {
  notices: NoticeChoice[];
  history: ConsentHistory['entries'];
  /**
   * Global Privacy Control: whether the browser sent it, whether the subject is opted out of sale
   * and sharing now, and whether this visit recorded that opt-out.
   */
  gpc: { signal: boolean; optedOut: boolean; recordedNow: boolean };
}

/**
 * The visitor's consent as the privacy center shows it: each current notice with its text and
 * their choice, and their whole history. A browser sending Global Privacy Control has its opt-out of
 * sale and sharing recorded first (Cal. Code Regs. tit. 11 §7025), so the page shows it honoured.
 */
export async function readSubjectConsent(
  services: SubjectConsentServices,
  context: SubjectContext,
): Promise<SubjectConsentView> {
  const recordedNow = await honourGpc(services, context);
  const [notices, history] = await Promise.all([
    services.consentLedger.notices(context.tenantId),
    services.consentLedger.historyOf(context.tenantId, context.subject),
  ]);
  // GDPR Art. 15: the person reads their own records; audited like any read of the history.
  await recordAuditEvent(services.database.db, {
    tenantId: context.tenantId,
    actor: PRIVACY_CENTER_ACTOR,
    action: 'consent.history.read',
    object: { type: 'consent_subject', id: 'history' },
    outcome: 'success',
    subjectRef: context.subject,
    ...(context.httpRequestId ? { requestId: context.httpRequestId } : {}),
    details: { entries: history.entries.length, by: 'subject' },
  });
  return {
    notices: notices.map((notice) => choiceOf(notice, history)),
    history: history.entries,
    gpc: {
      signal: context.gpc,
      optedOut: history.current.some(
        (c) => c.purpose === CCPA_PURPOSES.saleAndSharing && c.status === 'withdrawn',
      ),
      recordedNow,
    },
  };
}

/**
 * Records the visitor's choices, one per notice, as given or withdrawn under the notice's current
 * version (source `web`, with the hashed address and user agent as proof). Opting back in to sale
 * and sharing while the browser itself sends Global Privacy Control is refused: the signal wins.
 */
export async function changeSubjectConsent(
  services: SubjectConsentServices,
  context: SubjectContext,
  changes: { notice: string; action: 'given' | 'withdrawn' }[],
): Promise<SubjectConsentView> {
  const notices = await services.consentLedger.notices(context.tenantId);
  const resolved = changes.map((change) => {
    const notice = notices.find((n) => n.key === change.notice);
    if (!notice) {
      throw new NotFound(
        'web.unknown_notice',
        `There is no notice "${change.notice}". Reload the page to see the current notices.`,
        {
          notice: change.notice,
        },
      );
    }
    if (context.gpc && notice.purpose === CCPA_PURPOSES.saleAndSharing && change.action === 'given') {
      throw new Conflict(
        'web.gpc_conflict',
        'Your browser sends Global Privacy Control, which opts you out of the sale and sharing of your personal information. Turn the signal off in your browser to opt back in.',
      );
    }
    return { notice, action: change.action };
  });
  await services.consentLedger.recordDecisions(
    {
      ...PRIVACY_CENTER_ACTOR,
      tenantId: context.tenantId,
      ...(context.httpRequestId ? { requestId: context.httpRequestId } : {}),
    },
    resolved.map(({ notice, action }) => ({
      subject: context.subject,
      purpose: notice.purpose,
      action,
      notice: notice.key,
      noticeVersion: notice.version,
      proof: context.proof,
    })),
  );
  return readSubjectConsent(services, context);
}

async function honourGpc(services: SubjectConsentServices, context: SubjectContext): Promise<boolean> {
  if (!context.gpc) return false;
  return services.consentLedger.recordGpcOptOut(
    {
      ...PRIVACY_CENTER_ACTOR,
      tenantId: context.tenantId,
      ...(context.httpRequestId ? { requestId: context.httpRequestId } : {}),
    },
    context.subject,
    context.proof,
  );
}

function choiceOf(notice: Notice, history: ConsentHistory): NoticeChoice {
  const current = history.current.find((c) => c.purpose === notice.purpose);
  return {
    key: notice.key,
    purpose: notice.purpose,
    version: notice.version,
    title: notice.title,
    text: notice.text,
    legalBasis: notice.legalBasis,
    mechanism: notice.mechanism,
    status: current?.status ?? 'not_set',
    since: current?.since ?? null,
    expiresAt: current?.expiresAt ?? null,
  };
}
