import type { z } from 'zod';
import type {
  publicRequestViewSchema,
  requestSummarySchema,
  RequestCounts,
  RequestPlanRead,
  RequestSearcher,
} from '../../dsr/api.ts';

/**
 * What the console and the privacy center read of data subject requests, from whatever keeps them
 * (the DSR module, bound by src/workflows/requests-for-web.ts): the module states the need, the app
 * wires it, and the web module never touches the requests' tables.
 */
export interface SubjectRequestsPort {
  /** Open requests by deadline and state, closed ones in the last thirty days: counts only. */
  countsByDeadline(tenantId: string, now: Date): Promise<RequestCounts>;
  /** A data subject's requests found by one identity as typed, newest first; the search is audited. */
  searchByIdentity(
    searcher: RequestSearcher,
    identity: { name: string; value: string },
  ): Promise<z.infer<typeof requestSummarySchema>[]>;
  /** The request's type, state, receipt and deadline, nothing the requester did not send. */
  publicStatus(tenantId: string, requestId: string): Promise<z.infer<typeof publicRequestViewSchema>>;
  /** The request's plan as its execution would compute it now, or why it has none; the caller audits the read. */
  currentPlan(tenantId: string, requestId: string, options: { estimate: boolean }): Promise<RequestPlanRead>;
}
