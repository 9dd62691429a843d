import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import type { paths } from '@steward/sdk';
import { unwrap } from '../shared/api.ts';
import { api, apiKeyStore } from './api.ts';

export type Actor = paths['/v1/auth/me']['get']['responses'][200]['content']['application/json']['actor'];
export type Permission = Actor['permissions'][number];

export interface Session {
  actor: Actor;
  /** Whether the signed-in person or key holds a permission: what it cannot do is not offered. */
  can(permission: Permission): boolean;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Who is signed in (GET /v1/auth/me with the session cookie or the pasted key). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: () => unwrap(api.GET('/v1/auth/me')),
    retry: false,
    staleTime: 60_000,
  });
}

export function SessionProvider({ actor, children }: { actor: Actor; children: ReactNode }) {
  const queryClient = useQueryClient();
  const permissions = new Set<string>(actor.permissions);
  const session: Session = {
    actor,
    can: (permission) => permissions.has(permission),
    async signOut() {
      if (apiKeyStore.get()) apiKeyStore.clear();
      else await unwrap(api.POST('/v1/auth/logout')).catch(() => undefined);
      queryClient.clear();
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new TypeError('useSession outside SessionProvider');
  return session;
}
