import type { WebServices } from '../web-services.ts';
import type { Permission } from '../../../platform/auth/permissions.ts';
import { auditLogStatus, type AuditLogStatus } from '../../../platform/audit/audit-log-status.ts';
import type { EventDeliveryStatus } from '../../../platform/events/delivery-status.ts';
import type { RequestCounts } from '../../dsr/api.ts';
import type { PurposeConsentRate } from '../../consent/api.ts';
import type { RecentRetentionRuns } from '../../retention/api.ts';

/** The days of consent decisions the dashboard charts. */
export const CONSENT_DAYS = 30;
/** The retention runs the dashboard lists. */
const RETENTION_RUNS = 5;

export type Dashboard = {
  generatedAt: string;
  requests?: RequestCounts;
  consent?: { days: number; purposes: PurposeConsentRate[] };
  retention?: RecentRetentionRuns;
  audit?: AuditLogStatus;
  events?: EventDeliveryStatus;
};

/**
 * The console's first page: one section per area the caller may read (a role without dsr:read
 * gets no request figures, and so on), each a handful of counts the console links into.
 */
export async function readDashboard(
  services: Pick<WebServices, 'database' | 'events' | 'subjectRequests' | 'consentLedger' | 'retentionRuns'>,
  viewer: { tenantId: string; permissions: ReadonlySet<Permission> },
  now = new Date(),
): Promise<Dashboard> {
  const { tenantId, permissions } = viewer;
  const can = (permission: Permission) => permissions.has(permission);
  const [requests, consent, retention, audit, events] = await Promise.all([
    can('dsr:read') ? services.subjectRequests.countsByDeadline(tenantId, now) : undefined,
    can('consent:read') ? services.consentLedger.ratesByPurpose(tenantId, now, CONSENT_DAYS) : undefined,
    can('retention:read') ? services.retentionRuns.recentRuns(tenantId, now, RETENTION_RUNS) : undefined,
    can('audit:read') ? auditLogStatus(services.database.db, tenantId, now) : undefined,
    can('events:read') ? services.events.deliveryStatus(tenantId, now) : undefined,
  ]);
  return {
    generatedAt: now.toISOString(),
    ...(requests ? { requests } : {}),
    ...(consent ? { consent: { days: CONSENT_DAYS, purposes: consent } } : {}),
    ...(retention ? { retention } : {}),
    ...(audit ? { audit } : {}),
    ...(events ? { events } : {}),
  };
}
