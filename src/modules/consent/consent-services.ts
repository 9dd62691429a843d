import type { ConsentDatabase } from './store/consent-database.ts';
import type { PlatformConfig, PlatformServices } from '../../platform/platform-services.ts';
import type { ConsentConfig } from './config-schema.ts';
import type { ConsentRuntime } from './use-cases/consent-runtime.ts';
import type { ErasureRequestPort } from './ports/erasure-request-port.ts';

/** What the consent module's adapters and use cases get, including its own runtime (cache, taxonomy, proof keys). */
export interface ConsentServices extends PlatformServices<ConsentDatabase> {
  config: PlatformConfig & { consent: ConsentConfig };
  consent: ConsentRuntime;
  /** Opens the erasure a withdrawal calls for (bound by the app to the DSR module). */
  erasureRequests: ErasureRequestPort;
}
