import type { PlatformConfig, PlatformServices } from '../../platform/platform-services.ts';
import type { WebConfig } from './config-schema.ts';
import type {
  ConsentConfig,
  ConsentRuntime,
  DsrConfig,
  ErasureRequestPort,
  SubjectConsentPort,
} from './other-modules.ts';
import type { WebDatabase } from './store/web-database.ts';

/**
 * What the web module's adapters (the console's and the privacy center's API) use. The console and
 * the privacy center compose requests and consent, so this holds what those modules' use cases take.
 */
export interface WebServices extends PlatformServices<WebDatabase> {
  config: PlatformConfig & { web: WebConfig; dsr: DsrConfig; consent: ConsentConfig };
  consent: ConsentRuntime;
  subjectConsent: SubjectConsentPort;
  erasureRequests: ErasureRequestPort;
}
