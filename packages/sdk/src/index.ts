/**
 * Steward's TypeScript SDK: a typed client of the Steward API generated from its OpenAPI document.
 *
 *   const steward = createStewardClient({ baseUrl: 'https://steward.example.com', apiKey: process.env.STEWARD_API_KEY });
 *   const { items } = await unwrap(steward.GET('/v1/requests', { params: { query: { state: 'awaiting_approval' } } }));
 */
export { createStewardClient, unwrap, browserCsrfToken } from './steward-client.ts';
export type { StewardClient, StewardClientOptions, CallResult } from './steward-client.ts';
export { StewardApiError, apiErrorOf } from './steward-api-error.ts';
export type { paths, components, operations } from './generated/steward-api.ts';
