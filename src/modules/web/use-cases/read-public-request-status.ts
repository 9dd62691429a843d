import type { WebServices } from '../web-services.ts';
import { loadRequest, publicRequestView } from '../other-modules.ts';

/**
 * What the privacy center's status page shows: the request's type, state, receipt and deadline.
 * The reference (a random UUID, mailed only to the requester) is the credential, as the download
 * token is for the package; nothing the requester did not send is returned.
 */
export async function readPublicRequestStatus(
  services: Pick<WebServices, 'database'>,
  tenantId: string,
  requestId: string,
) {
  return publicRequestView(await loadRequest(services.database.db, tenantId, requestId));
}
