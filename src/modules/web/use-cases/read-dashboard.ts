import type { WebServices } from '../web-services.ts';
import type { Permission } from '../../../platform/auth/permissions.ts';
import {
  auditLogStatus,
  consentRates,
  eventDeliveryStatus,
  recentRetentionRuns,
  requestCounts,
} from '../store/dashboard-queries.ts';

/** The days of consent decisions the dashboard charts. */
export const CONSENT_DAYS = 30;

export type Dashboard = {
  generatedAt: string;
  requests?: Awaited<ReturnType<typeof requestCounts>>;
  consent?: { days: number; purposes: Awaited<ReturnType<typeof consentRates>> };
  retention?: Awaited<ReturnType<typeof recentRetentionRuns>>;
  audit?: Awaited<ReturnType<typeof auditLogStatus>>;
  events?: Awaited<ReturnType<typeof eventDeliveryStatus>>;
};

/**
 * The console's first page: one section per area the caller may read (a role without dsr:read
 * gets no request figures, and so on), each a handful of counts the console links into.
 */
export async function readDashboard(
  services: Pick<WebServices, 'database'>,
  viewer: { tenantId: string; permissions: ReadonlySet<Permission> },
  now = new Date(),
): Promise<Dashboard> {
  const { db } = services.database;
  const { tenantId, permissions } = viewer;
  const can = (permission: Permission) => permissions.has(permission);
  const [requests, consent, retention, audit, events] = await Promise.all([
    can('dsr:read') ? requestCounts(db, tenantId, now) : undefined,
    can('consent:read') ? consentRates(db, tenantId, now, CONSENT_DAYS) : undefined,
    can('retention:read') ? recentRetentionRuns(db, tenantId, now, 5) : undefined,
    can('audit:read') ? auditLogStatus(db, tenantId, now) : undefined,
    can('events:read') ? eventDeliveryStatus(db, tenantId, now) : undefined,
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
