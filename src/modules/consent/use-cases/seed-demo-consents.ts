import type { ConsentServices } from '../consent-services.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { CCPA_PURPOSES } from '../core/consent-purposes.ts';
import { createNotice, listNotices, type NoticeInput } from './notices.ts';
import { recordConsentChanges, type ConsentChange } from './record-consent.ts';

const DEMO_NOTICES: NoticeInput[] = [
  {
    key: 'newsletter',
    purpose: 'marketing.communications.email',
    title: 'Shop newsletter',
    text: 'Weekly offers from the demo shop by email. Unsubscribe any time.',
    legalBasis: 'consent',
    mechanism: 'opt_in',
    regions: ['EEA'],
  },
  {
    key: 'personalised-ads',
    purpose: 'marketing.advertising.first_party.targeted',
    title: 'Personalised offers',
    text: 'We tailor offers on our site to what you bought.',
    legalBasis: 'consent',
    mechanism: 'opt_in',
    regions: [],
    validityMonths: 6,
  },
  {
    key: 'product-analytics',
    purpose: 'analytics.reporting.system',
    title: 'Improving the shop',
    text: 'We measure how the shop is used to improve it. You can object.',
    legalBasis: 'legitimate_interests',
    mechanism: 'opt_out',
    regions: [],
  },
  {
    key: 'do-not-sell-or-share',
    purpose: CCPA_PURPOSES.saleAndSharing,
    title: 'Do Not Sell or Share My Personal Information',
    text: 'We share identifiers with advertising partners; opt out here.',
    legalBasis: 'ccpa_notice_at_collection',
    mechanism: 'opt_out',
    regions: ['US'],
  },
];

/**
 * The demo shop's consent data: four notices and, for the given subjects (the shop's customers),
 * a deterministic mix of given, renewed and withdrawn consents over the past year plus some CCPA
 * opt-outs — a few thousand ledger entries in one transaction. Idempotent: does nothing when the
 * notices exist.
 */
export async function seedDemoConsents(
  services: ConsentServices,
  subjects: string[],
  tenantId = 'default',
): Promise<{ notices: number; entries: number }> {
  const actor: ChangeActor = { kind: 'system', id: 'demo-seed', tenantId };
  if (await demoConsentsSeeded(services, tenantId)) return { notices: 0, entries: 0 };
  for (const notice of DEMO_NOTICES)
    await createNotice(services.database.db, services.consent.taxonomy, actor, notice);
  const now = Date.now();
  const changes: ConsentChange[] = [];
  subjects.forEach((subject, index) => {
    // Spread over the last 11 months, so nothing has expired yet and some reminders are due.
    const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000);
    const daysAgo = 10 + ((index * 37) % 320);
    if (index % 3 !== 2)
      changes.push({
        subject,
        purpose: 'marketing.communications.email',
        action: 'given',
        source: 'import',
        jurisdiction: 'DE',
        notice: 'newsletter',
        occurredAt: at(daysAgo),
      });
    if (index % 7 === 0)
      changes.push({
        subject,
        purpose: 'marketing.communications.email',
        action: 'withdrawn',
        source: 'import',
        occurredAt: at(daysAgo - 5),
      });
    if (index % 4 === 0)
      changes.push({
        subject,
        purpose: 'marketing.advertising.first_party.targeted',
        action: 'given',
        source: 'import',
        notice: 'personalised-ads',
        occurredAt: at(daysAgo % 150),
      });
    if (index % 11 === 0)
      changes.push({
        subject,
        purpose: 'analytics.reporting.system',
        action: 'withdrawn',
        source: 'import',
        occurredAt: at(daysAgo),
      });
    if (index % 13 === 0)
      changes.push({
        subject,
        purpose: CCPA_PURPOSES.saleAndSharing,
        action: 'withdrawn',
        source: 'gpc',
        jurisdiction: 'US-CA',
        occurredAt: at(daysAgo),
      });
  });
  changes.sort((a, b) => a.occurredAt!.getTime() - b.occurredAt!.getTime());
  const entries = await recordConsentChanges(services, actor, changes, { audit: 'summary' });
  return { notices: DEMO_NOTICES.length, entries: entries.length };
}

async function demoConsentsSeeded(services: ConsentServices, tenantId: string): Promise<boolean> {
  const existing = await listNotices(services.database.db, tenantId);
  return existing.some((n) => n.key === 'newsletter');
}

/**
 * Start-up step of `steward serve --demo`, after the services exist: gives the demo system's
 * customers (every value of the `email` identity in the system, lower-cased, as a service would
 * name its users) notices and consents. Only the first start writes; later ones find the notices
 * and read nothing from the shop.
 */
export async function seedDemoSystemConsents(
  services: ConsentServices,
  systemId: string,
  tenantId = 'default',
): Promise<{ notices: number; entries: number }> {
  if (await demoConsentsSeeded(services, tenantId)) return { notices: 0, entries: 0 };
  const system = services.dataMaps.forTenant(tenantId).system(systemId);
  if (!system) return { notices: 0, entries: 0 };
  const connector = services.connectors.forSystem(tenantId, system);
  const subjects = new Set<string>();
  for (const collection of system.collections) {
    const field = collection.fields.find((f) => f.identity === 'email');
    if (!field) continue;
    const target = { name: collection.name, primaryKey: collection.primaryKey };
    const keyset = collection.primaryKey;
    for await (const rows of connector.read({
      target,
      columns: [...new Set([...keyset, field.name])],
      where: { kind: 'all', of: [] },
      keyset,
    })) {
      for (const row of rows)
        if (typeof row[field.name] === 'string') subjects.add((row[field.name] as string).toLowerCase());
    }
  }
  return seedDemoConsents(services, [...subjects].sort(), tenantId);
}
