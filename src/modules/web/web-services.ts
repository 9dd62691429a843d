import type { PlatformConfig, PlatformServices } from '../../platform/platform-services.ts';
import type { WebConfig } from './config-schema.ts';
import type { ConsentLedgerPort } from './ports/consent-ledger-port.ts';
import type { RequesterMailPort } from './ports/requester-mail-port.ts';
import type { RetentionRunsPort } from './ports/retention-runs-port.ts';
import type { SubjectRequestsPort } from './ports/subject-requests-port.ts';
import type { WebDatabase } from './store/web-database.ts';

/**
 * What the web module's adapters (the console's and the privacy center's API) use: the platform on
 * its own tables, its config section, and what it needs of the modules it shows, as ports the app
 * binds (src/workflows/requests-for-web.ts, consent-for-web.ts, retention-runs-for-web.ts).
 */
export interface WebServices extends PlatformServices<WebDatabase> {
  config: PlatformConfig & { web: WebConfig };
  /** Requests: dashboard counts, search by identity, public status, plans (the DSR module). */
  subjectRequests: SubjectRequestsPort;
  /** The privacy center's sign-in codes go out, and its addresses are keyed, as intake's are (the DSR module). */
  requesterMail: RequesterMailPort;
  /** Notices, a subject's history and decisions, GPC, consent rates (the consent module). */
  consentLedger: ConsentLedgerPort;
  /** The dashboard's retention runs (the retention module). */
  retentionRuns: RetentionRunsPort;
}
