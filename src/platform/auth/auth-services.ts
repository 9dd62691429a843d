import type { PlatformServices } from '../platform-services.ts';
import type { AuthDatabase } from './store/auth-database.ts';

/** What the auth service's adapters (routes, jobs, commands) use: the platform services, on its own tables. */
export type AuthServices = PlatformServices<AuthDatabase>;
