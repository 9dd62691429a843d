/**
 * Every permission a route or command can require. Routes declare one in their Fastify config
 * (`config: { permission: 'dsr:write' }`) or mark themselves `public: true`; the auth plugin
 * enforces it on every request. Roles are sets of these (src/auth/roles.ts).
 */
export const PERMISSIONS = [
  'datamap:read',
  'datamap:write',
  'dsr:read',
  'dsr:write',
  'dsr:approve',
  'dsr:export',
  'consent:check',
  'consent:read',
  'consent:write',
  'notices:write',
  'events:read',
  'events:write',
  'retention:read',
  'retention:write',
  'retention:run',
  // Masked copies (issue 16): plan and read runs; start and cancel them.
  'masking:read',
  'masking:run',
  // Governance (issue 14): read the records of processing, transfers, processors, DPIAs and the
  // breach register; write them (hand-written record fields, screenings, DPIAs, breaches).
  'governance:read',
  'governance:write',
  'audit:read',
  'jobs:read',
  'users:manage',
  'apikeys:manage',
  'secrets:manage',
  'tenants:manage',
  // Prometheus metrics at /metrics (issue 10): figures of the whole installation, every tenant's together.
  'metrics:read',
  // Added by the auth domain: reading one's own identity (GET /v1/auth/me), held by every role.
  'profile:read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];
