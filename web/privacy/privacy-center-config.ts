import { useQuery } from '@tanstack/react-query';
import type { paths } from '@steward/sdk';
import { unwrap } from '../shared/api.ts';
import { api } from './api.ts';

export type PrivacyCenterConfig =
  paths['/v1/privacy-center/config']['get']['responses'][200]['content']['application/json'];
export type PrivacyCenterAction = PrivacyCenterConfig['actions'][number];

/** The tenant's privacy center settings; the same for every page, so fetched once per visit. */
export function usePrivacyCenterConfig() {
  return useQuery({
    queryKey: ['privacy-center-config'],
    queryFn: () => unwrap(api.GET('/v1/privacy-center/config')),
    staleTime: Infinity,
  });
}

/** A link inside the privacy center that keeps the tenant of the address (`?tenant=`). */
export function privacyPath(path: string, tenant: string | undefined): string {
  if (!tenant) return path;
  return `${path}${path.includes('?') ? '&' : '?'}tenant=${encodeURIComponent(tenant)}`;
}
