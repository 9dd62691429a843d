import type { AppServices } from '../../../app/app-services.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { createNotice, type Notice } from '../use-cases/notices.ts';

/** The actor tests and the CLI record consent as. */
export const TEST_ACTOR: ChangeActor = { kind: 'system', id: 'consent-tests', tenantId: 'default' };

/** An EU newsletter notice asking for opt-in consent, valid 12 months. */
export function aNewsletterNotice(
  services: AppServices,
  overrides: Partial<Parameters<typeof createNotice>[3]> = {},
): Promise<Notice> {
  return createNotice(services.database.db, services.consent.taxonomy, TEST_ACTOR, {
    key: 'newsletter',
    purpose: 'marketing.communications.email',
    title: 'Our newsletter',
    text: 'We send you our newsletter by email about once a week. You can unsubscribe at any time.',
    legalBasis: 'consent',
    mechanism: 'opt_in',
    regions: ['EU'],
    ...overrides,
  });
}

/** The CCPA "Do Not Sell or Share My Personal Information" notice (opt-out). */
export function aSaleAndSharingNotice(services: AppServices): Promise<Notice> {
  return createNotice(services.database.db, services.consent.taxonomy, TEST_ACTOR, {
    key: 'do-not-sell-or-share',
    purpose: 'ccpa.sale_sharing',
    title: 'Do Not Sell or Share My Personal Information',
    text: 'We share identifiers with advertising partners. You can opt out at any time.',
    legalBasis: 'ccpa_notice_at_collection',
    mechanism: 'opt_out',
    regions: ['US-CA'],
  });
}
