import { createStewardClient } from '@steward/sdk';

/** The tenant whose privacy center this is: `?tenant=` in the address, else the installation's default. */
export const tenant = new URLSearchParams(location.search).get('tenant') ?? undefined;

/**
 * The Steward API as the privacy center calls it: no credentials of its own (the routes are
 * public), the tenant from the address, and the header the API asks of the privacy center's changes.
 */
export const api = createStewardClient({
  baseUrl: '',
  tenant: () => tenant,
  headers: { 'x-steward-privacy-center': '1' },
});
