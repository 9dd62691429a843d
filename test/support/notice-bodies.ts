/**
 * The API body (POST /v1/consent/notices) of an EU newsletter notice asking for opt-in consent:
 * the notice most consent tests start from.
 */
export const NEWSLETTER_NOTICE_BODY = {
  key: 'newsletter',
  purpose: 'marketing.communications.email',
  title: 'Newsletter',
  text: 'A weekly email about our products.',
  legalBasis: 'consent' as const,
  mechanism: 'opt_in' as const,
  regions: ['EU'],
};
