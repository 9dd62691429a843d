import type { WebServices } from '../web-services.ts';

/**
 * What the privacy center's status page shows: the request's type, state, receipt and deadline.
 * The reference (a random UUID, mailed only to the requester) is the credential, as the download
 * token is for the package; nothing the requester did not send is returned.
 */
export async function readPublicRequestStatus(
  services: Pick<WebServices, 'subjectRequests'>,
  tenantId: string,
  requestId: string,
) {
  return services.subjectRequests.publicStatus(tenantId, requestId);
}
