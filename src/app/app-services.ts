import type { PlatformServices } from '../platform/platform-services.ts';
import type { ConsentRuntime } from '../modules/consent/api.ts';
import type { OwnDataPurger } from '../modules/retention/api.ts';
import type { ErasureRequestPort } from '../modules/consent/api.ts';
import type { SubjectConsentPort } from '../modules/dsr/api.ts';
import type {
  ConsentLedgerPort,
  RequesterMailPort,
  RetentionRunsPort,
  SubjectRequestsPort,
} from '../modules/web/api.ts';
import type { StewardConfig } from './config/config-schema.ts';
import type { Database } from './database.ts';

/**
 * The services one Steward process holds: the platform's (on every table), the whole configuration,
 * and what modules provide (`provides` in their manifests). Each module's adapters receive this
 * object but are typed by the part they use (DsrServices, ConsentServices, …), which the compiler
 * checks this type satisfies where the app wires them (src/app/wire-modules.ts).
 */
export interface AppServices extends PlatformServices<Database> {
  config: StewardConfig;
  /** Provided by the consent module: the check cache kept current across replicas, taxonomy, proof keys. */
  consent: ConsentRuntime;
  /** Flow files modules add to retention's (the demo shop's flow when the demo is on). */
  retentionFlowFiles: readonly string[];
  /** Every module's own-data purge, for the built-in `steward-data` flow. */
  ownDataPurgers: readonly OwnDataPurger[];
  /** The DSR module's consent needs, met by the consent module (src/workflows/subject-consent-for-dsr.ts). */
  subjectConsent: SubjectConsentPort;
  /** The consent module's erasure requests, met by the DSR module (src/workflows/withdrawal-erasure.ts). */
  erasureRequests: ErasureRequestPort;
  /** The web module's reads of requests, met by the DSR module (src/workflows/requests-for-web.ts). */
  subjectRequests: SubjectRequestsPort;
  /** The privacy center's mail and address keys, met by the DSR module (src/workflows/requests-for-web.ts). */
  requesterMail: RequesterMailPort;
  /** The web module's consent needs, met by the consent module (src/workflows/consent-for-web.ts). */
  consentLedger: ConsentLedgerPort;
  /** The web module's retention runs, met by the retention module (src/workflows/retention-runs-for-web.ts). */
  retentionRuns: RetentionRunsPort;
}
