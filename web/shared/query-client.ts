import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api.ts';

/**
 * Server state for both apps: fresh for 15 s, refetched when the window regains focus, and
 * not retried on answers that retrying cannot change (4xx).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => !(isApiError(error) && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}
