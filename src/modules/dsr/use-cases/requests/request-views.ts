import type { z } from 'zod';
import type { RequestDetail } from './read-requests.ts';
import type {
  publicRequestView,
  requestDetailResponse,
  requestSummary,
} from '../../http/request-api-schemas.ts';
import type { RequestRow } from './request-record.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function publicView(row: RequestRow): z.infer<typeof publicRequestView> {
  return {
    id: row.id,
    type: row.type,
    regime: row.regime,
    state: row.state,
    receivedAt: row.received_at.toISOString(),
    dueAt: row.due_at.toISOString(),
  };
}

export function summaryView(row: RequestRow, now = new Date()): z.infer<typeof requestSummary> {
  return {
    ...publicView(row),
    regimeType: row.regime_type,
    source: row.source,
    scope: row.scope,
    approvalRequired: row.approval_required,
    verifiedBy: row.verified_by,
    duplicateOf: row.duplicate_of,
    originalDueAt: row.original_due_at.toISOString(),
    confirmationDueAt: iso(row.confirmation_due_at),
    acknowledgedAt: iso(row.acknowledged_at),
    overdue: row.closed_at === null && row.due_at.getTime() < now.getTime(),
    extension:
      row.extension_amount > 0
        ? {
            amount: row.extension_amount,
            unit: row.regime === 'gdpr' ? 'months' : 'days',
            reason: row.extension_reason,
          }
        : null,
    closedAt: iso(row.closed_at),
    outcomeReason: row.outcome_reason,
    result: row.result,
    personalDataMinimisedAt: iso(row.personal_data_minimised_at),
  };
}

export function detailView(detail: RequestDetail): z.infer<typeof requestDetailResponse> {
  return {
    ...summaryView(detail.request),
    identities: detail.identities,
    corrections: detail.corrections,
    history: detail.history.map((h) => ({
      event: h.event,
      from: h.from_state,
      to: h.to_state,
      actor: { kind: h.actor_kind, id: h.actor_id },
      reason: h.reason,
      at: h.at.toISOString(),
    })),
    steps: detail.steps.map((s) => ({
      step: s.step,
      kind: s.kind,
      system: s.system,
      status: s.status,
      attempts: s.attempts,
      startedAt: iso(s.started_at),
      finishedAt: iso(s.finished_at),
      error: s.error,
      result: s.result,
    })),
    package: detail.package
      ? {
          sizeBytes: detail.package.size_bytes,
          collections: detail.package.collections,
          rows: detail.package.rows,
          createdAt: detail.package.created_at.toISOString(),
          expiresAt: detail.package.expires_at.toISOString(),
          deletedAt: iso(detail.package.deleted_at),
        }
      : null,
  };
}
