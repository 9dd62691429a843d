import type { PlatformServices } from '../platform-services.ts';
import type { SecretsDatabase } from './store/secrets-database.ts';

/** What the secrets service's adapters (routes, jobs, commands) use: the platform services, on its own tables. */
export type SecretsServices = PlatformServices<SecretsDatabase>;
