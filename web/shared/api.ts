import { StewardApiError, unwrap } from '@steward/sdk';

export { unwrap, StewardApiError };

/** Whether an error is the API's answer, with this status when given. */
export function isApiError(error: unknown, status?: number): error is StewardApiError {
  return error instanceof StewardApiError && (status === undefined || error.status === status);
}
