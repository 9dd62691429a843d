import type { OpenApiOptions } from '../kernel/http/openapi-conventions.ts';
import {
  AUTH_SECURITY_SCHEMES,
  accessNoteOf,
  securityRequirementOf,
} from '../platform/auth/http/openapi-security.ts';

/**
 * What Steward's OpenAPI document says beyond the routes: where to send requests, what each tag
 * covers, and how callers authenticate. A route's tag must be described here (a test checks).
 */
export const STEWARD_OPENAPI: OpenApiOptions = {
  // The document must not depend on the address a server happens to listen on (it is committed):
  // `/` is the server that serves it, the template any deployment.
  servers: [
    { url: '/', description: 'The Steward server that serves this document' },
    {
      url: '{origin}',
      description: 'Your Steward deployment',
      variables: {
        origin: { default: 'http://127.0.0.1:8080', description: 'Scheme, host and port of Steward' },
      },
    },
  ],
  tags: [
    { name: 'health', description: 'Liveness and readiness probes for load balancers and orchestrators.' },
    { name: 'auth', description: 'Who the caller is, single sign-on and sessions of the console.' },
    { name: 'tenants', description: 'Tenants: separate organisations served by one Steward (owners only).' },
    { name: 'users', description: "The tenant's members and their roles." },
    { name: 'api keys', description: 'API keys for services and scripts; each holds roles in one tenant.' },
    {
      name: 'secrets',
      description: 'Encrypted secrets of the tenant (connection passwords, tokens); write-only.',
    },
    {
      name: 'audit',
      description: 'The tamper-evident audit log: entries, signed checkpoints, RFC 9162 proofs.',
    },
    {
      name: 'events',
      description:
        'Webhooks (signed per Standard Webhooks) and the dead letters of deliveries that failed for their whole retry window.',
    },
    { name: 'datamap', description: 'The data map: systems, collections and fields holding personal data.' },
    {
      name: 'consent',
      description:
        'Consent and privacy notices: record, check (fails closed), history, IAB TCF strings, imports, GPC.',
    },
    {
      name: 'data subject requests',
      description:
        'Requests under GDPR Art. 15–22 and CCPA/CPRA: intake, identity verification, approval, deadlines, execution and access packages.',
    },
    {
      name: 'retention',
      description:
        'Retention rules of the data map and privacy flows: dry runs, runs in batches, the compliance report.',
    },
    { name: 'discovery', description: 'Finding personal data in systems and proposing data-map changes.' },
    {
      name: 'governance',
      description:
        'The record of processing (Art. 30), processors, transfers, DPIAs (Art. 35) and the breach register (Art. 33/34).',
    },
    { name: 'masking', description: 'Masked copies of systems for development and testing.' },
    {
      name: 'privacy center',
      description: "The data subjects' own pages: requests, their status and consent choices.",
    },
    { name: 'console', description: 'Views of the admin console (the browser app).' },
  ],
  securitySchemes: AUTH_SECURITY_SCHEMES,
  securityOf: securityRequirementOf,
  accessNoteOf,
};
