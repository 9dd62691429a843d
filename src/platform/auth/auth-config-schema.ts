import { z } from 'zod';
import { ROLE_NAMES } from './roles.ts';

/** Needed before any tenant is known (start-up, sign-in), so only the environment or a file can hold it. */
const processSecretReference = z
  .string()
  .regex(/^(env|file):.+/, 'must be env:NAME or file:/path (secret: references need a tenant)')
  .describe('A secret reference (env:NAME or file:/path), never the value itself.');

const roleMappingSchema = z
  .object({
    group: z.string().min(1).describe('A value of the groups claim, as the OpenID provider sends it.'),
    role: z.enum(ROLE_NAMES).describe('The Steward role members of the group get.'),
    tenant: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .default('default')
      .describe('The tenant the role applies in.'),
  })
  .strict();

const REQUESTS_DUTY =
  'Erasures always wait for approval, and a request is approved only by someone other than the one who submitted it and the one who verified the identity.';

const RETENTION_DUTY =
  'A real retention run (or a flow run sweeping) whose rows due, counted when it is requested, exceed this number waits for approval by someone other than its requester; false turns the rule off.';
const retentionRunRowsAbove = z.union([z.number().int().min(0), z.literal(false)]);

const SECRETS_DUTY =
  'A master key rotation (`steward secrets rotate`) is proposed by one person and carried out by another.';

/** One tenant's own settings; what it leaves out comes from the defaults. */
const tenantDutiesSchema = z
  .object({
    requests: z.boolean().optional().describe(REQUESTS_DUTY),
    retentionRunRowsAbove: retentionRunRowsAbove.optional().describe(RETENTION_DUTY),
    secretsRotation: z.boolean().optional().describe(SECRETS_DUTY),
  })
  .strict();

/**
 * Separation of duties (GDPR Art. 32(1)(b), 5(1)(f)): irreversible actions need a second person.
 * On by default; a tenant may be given other settings under `tenants`.
 */
const separationOfDutiesSchema = z
  .object({
    requests: z.boolean().default(true).describe(REQUESTS_DUTY),
    retentionRunRowsAbove: retentionRunRowsAbove.default(1000).describe(RETENTION_DUTY),
    secretsRotation: z.boolean().default(true).describe(SECRETS_DUTY),
    tenants: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), tenantDutiesSchema)
      .default({})
      .describe(
        'Per-tenant settings; a key left out takes the value above, e.g. { sandbox: { requests: false, retentionRunRowsAbove: false } }.',
      ),
  })
  .strict();

const oidcSchema = z
  .object({
    issuer: z.url().describe('Issuer URL of the OpenID provider (its discovery document lives below it).'),
    clientId: z.string().min(1),
    clientSecretRef: processSecretReference.describe(
      'Reference to the client secret registered with the provider.',
    ),
    redirectUri: z
      .url()
      .describe("This Steward's callback: https://steward.example.com/v1/auth/oidc/callback."),
    scopes: z
      .string()
      .default('openid email profile')
      .describe('Scopes requested at sign-in; must include openid.'),
    groupsClaim: z.string().default('groups').describe("ID-token claim that lists the user's groups."),
    roleMapping: z
      .array(roleMappingSchema)
      .min(1)
      .describe('Groups to roles; a user in no mapped group cannot sign in.'),
    afterLoginRedirect: z
      .string()
      .startsWith('/')
      .default('/')
      .describe('Local path the browser goes to after signing in.'),
    allowInsecureRequests: z
      .boolean()
      .default(false)
      .describe('Talk to the provider over plain http. Only for a provider on this machine in development.'),
  })
  .strict();

export const authConfigSchema = z
  .object({
    sessionSecretRef: processSecretReference
      .optional()
      .describe(
        'Key that signs session cookies (32+ random bytes). Without it a random key per process is used and sessions end at restart.',
      ),
    sessionTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(8 * 3600)
      .describe('How long a browser session lasts.'),
    rateLimit: z
      .object({
        max: z
          .number()
          .int()
          .min(1)
          .default(20)
          .describe('Sign-in attempts and failed authentications per client per window.'),
        timeWindowMs: z.number().int().min(1000).default(60_000),
      })
      .strict()
      .default({ max: 20, timeWindowMs: 60_000 }),
    oidc: oidcSchema
      .optional()
      .describe('Single sign-on with an OpenID Connect provider (authorization code with PKCE).'),
    separationOfDuties: separationOfDutiesSchema.default(separationOfDutiesSchema.parse({})),
  })
  .strict();

export type AuthConfig = z.infer<typeof authConfigSchema>;
export type OidcConfig = z.infer<typeof oidcSchema>;
