import type { DsrDatabase } from './store/dsr-database.ts';
import type { PlatformConfig, PlatformServices } from '../../platform/platform-services.ts';
import type { DsrConfig } from './config-schema.ts';
import type { SubjectConsentPort } from './ports/subject-consent-port.ts';

/** What the DSR module's adapters (routes, jobs, commands) and use cases get. */
export interface DsrServices extends PlatformServices<DsrDatabase> {
  config: PlatformConfig & { dsr: DsrConfig };
  /** The subjects' consents: GPC at intake, CCPA opt-outs, Art. 15 history (bound by the app to the consent module). */
  subjectConsent: SubjectConsentPort;
}
