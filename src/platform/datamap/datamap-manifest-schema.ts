import { z } from 'zod';

/**
 * The data-map YAML format (one or more files per folder, merged). Structure only: what needs the
 * whole map (categories in the taxonomy, references that resolve, reachability, strategies that fit
 * the column) is checked by `validate-datamap.ts`. `npm run schemas:datamap` writes the JSON Schema.
 */

const SECRET_REFERENCE = /^(env|file):.+/;
const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const DURATION = /^(\d+y)?(\d+m)?(\d+w)?(\d+d)?(\d+h)?$/;

export const secretReferenceSchema = z
  .string()
  .regex(SECRET_REFERENCE, 'must be a secret reference: env:NAME or file:/path/to/secret')
  .describe('A secret reference, never the secret itself: env:NAME or file:/path.');

export const durationSchema = z
  .string()
  .regex(DURATION, 'must be a duration such as 10y, 6m, 30d, 2w, 12h or 1y6m')
  .refine((value) => value.length > 0, 'must not be empty')
  .describe('A duration: 10y, 6m, 30d, 2w, 12h or combined (1y6m).');

const idSchema = z
  .string()
  .regex(ID, 'must start with a letter or _ and contain only letters, digits, _ and -');
const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as DE or US');

export const legalBasisSchema = z
  .enum(['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'])
  .describe('GDPR Art. 6(1)(a)–(f).');

export const exemptionGroundSchema = z
  .enum([
    'freedom_of_expression',
    'legal_obligation',
    'public_health',
    'archiving_research_statistics',
    'legal_claims',
  ])
  .describe(
    'GDPR Art. 17(3)(a)–(e): freedom_of_expression (a), legal_obligation (b), public_health (c), archiving_research_statistics (d), legal_claims (e).',
  );

const tlsSchema = z
  .object({
    mode: z.enum(['disable', 'require', 'verify']).default('verify'),
    ca: secretReferenceSchema.optional(),
    cert: secretReferenceSchema.optional(),
    key: secretReferenceSchema.optional(),
  })
  .strict();

export const sqlConnectionSchema = z
  .object({
    url: z.string().optional().describe('env:NAME holding the URL, or a literal URL WITHOUT a password.'),
    host: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().optional(),
    user: z.string().optional(),
    password: secretReferenceSchema.optional(),
    tls: tlsSchema.optional(),
    poolSize: z.number().int().min(1).max(100).default(5),
    statementTimeoutMs: z.number().int().min(0).default(30_000),
    connectTimeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict();

export const filesConnectionSchema = z
  .object({
    directory: z.string().min(1).describe('Folder of the log files (relative to the data-map file).'),
  })
  .strict();

export const filesCollectionSchema = z
  .object({
    glob: z
      .string()
      .min(1)
      .describe('Files of this collection in the directory, e.g. api.log* (with .gz archives).'),
    format: z.enum(['jsonl', 'text']).default('jsonl'),
    timestamp: z
      .string()
      .optional()
      .describe('JSON path of the line time (jsonl); default ts/time/timestamp.'),
  })
  .strict();

export const headerValueSchema = z.union([
  z.string(),
  z
    .object({ secret: secretReferenceSchema, prefix: z.string().optional().describe('e.g. "Bearer "') })
    .strict(),
]);

export const httpConnectionSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), headerValueSchema).default({}),
    timeoutMs: z.number().int().min(100).default(15_000),
    tls: z
      .object({
        ca: secretReferenceSchema.optional(),
        cert: secretReferenceSchema.optional(),
        key: secretReferenceSchema.optional(),
        rejectUnauthorized: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const httpEndpointSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    path: z
      .string()
      .startsWith('/', 'must start with /')
      .describe('Template: /customers?email={identity.email}, /customers/{row.id}'),
    query: z.record(z.string(), z.string()).default({}),
    headers: z.record(z.string(), headerValueSchema).default({}),
    body: z.unknown().optional(),
    rowsPath: z
      .string()
      .optional()
      .describe('Where the rows are in the JSON response, e.g. data.items; $ for the whole body.'),
    notFoundStatuses: z.array(z.number().int().min(100).max(599)).default([404]),
  })
  .strict();

const endpointMapSchema = z.record(z.string(), httpEndpointSchema).default({});

export const httpEndpointsSchema = z
  .object({
    read: endpointMapSchema.describe('Keyed by identity name.'),
    delete: endpointMapSchema.describe('Keyed by identity name, or `row` for one call per row read.'),
    update: endpointMapSchema.describe('Keyed by identity name, or `row`.'),
  })
  .strict();

export const purposeSchema = z
  .object({
    use: z
      .string()
      .min(1)
      .describe('A data use from the taxonomy, e.g. essential.service.payment_processing.'),
    legalBasis: legalBasisSchema,
    note: z.string().optional(),
  })
  .strict();

const keepSchema = z
  .object({
    strategy: z.literal('keep'),
    ground: exemptionGroundSchema,
    period: durationSchema.optional().describe('How long the hold lasts (absent = indefinite).'),
    anchor: z.string().optional().describe('Date field of the same collection the period runs from.'),
    reason: z.string().min(3).describe('The law or claim, e.g. "§147 AO: invoices are kept 10 years".'),
  })
  .strict();

/** A key Steward may hold itself (`secret:NAME`, rotatable with `steward secrets`) or read from env/file. */
const keyReferenceSchema = z
  .string()
  .regex(/^(env|file|secret):.+/, 'must be a secret reference: secret:NAME, env:NAME or file:/path/to/key')
  .describe(
    'The key as a reference, never the key itself: secret:NAME (Steward-held, rotatable), env:NAME or file:/path.',
  );

export const erasureStrategySchema = z.union([
  z
    .enum(['delete_row', 'null', 'random', 'hash', 'pseudonymise', 'generalise'])
    .describe('Shorthand for a strategy without options.'),
  z.discriminatedUnion('strategy', [
    z.object({ strategy: z.literal('delete_row') }).strict(),
    z.object({ strategy: z.literal('null') }).strict(),
    z
      .object({ strategy: z.literal('fixed_value'), value: z.union([z.string(), z.number(), z.boolean()]) })
      .strict(),
    z
      .object({ strategy: z.literal('random'), length: z.number().int().min(1).max(4096).optional() })
      .strict(),
    z
      .object({ strategy: z.literal('hash'), algorithm: z.enum(['sha256', 'sha512']).default('sha256') })
      .strict()
      .describe(
        'Refused: an unkeyed digest is pseudonymisation (GDPR Recital 26). Use hmac, or pseudonymise to say so.',
      ),
    z
      .object({
        strategy: z.literal('pseudonymise'),
        algorithm: z.enum(['sha256', 'sha512']).default('sha256'),
      })
      .strict()
      .describe(
        'Unkeyed digest: the data stays personal data, so an erasure using it is reported as not complete.',
      ),
    z
      .object({
        strategy: z.literal('hmac'),
        algorithm: z.enum(['sha256', 'sha512']).default('sha256'),
        key: keyReferenceSchema,
      })
      .strict(),
    z.object({ strategy: z.literal('deterministic_encryption'), key: keyReferenceSchema }).strict(),
    z
      .object({
        strategy: z.literal('generalise'),
        dateTo: z
          .enum(['year', 'month'])
          .optional()
          .describe('Dates: first day of the year (default) or month.'),
        step: z
          .number()
          .positive()
          .optional()
          .describe('Numbers: rounded down to a multiple of this (default 10).'),
        keepCharacters: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Text: only the first n characters are kept (default 0).'),
      })
      .strict(),
    keepSchema,
  ]),
]);

const conditionSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z
    .object({
      eq: z.unknown().optional(),
      ne: z.unknown().optional(),
      in: z.array(z.unknown()).optional(),
      notIn: z.array(z.unknown()).optional(),
      isNull: z.boolean().optional(),
      lt: z.unknown().optional(),
      lte: z.unknown().optional(),
      gt: z.unknown().optional(),
      gte: z.unknown().optional(),
    })
    .strict(),
]);

export const retentionRuleSchema = z
  .object({
    keepFor: durationSchema,
    anchor: z.string().min(1).describe('Date/timestamp field the period runs from, e.g. last_login_at.'),
    where: z.record(z.string(), conditionSchema).optional().describe('Only rows matching every condition.'),
    action: z.enum(['delete', 'anonymise']),
  })
  .strict();

export const referenceSchema = z
  .object({
    field: z.string().min(1).describe('collection.field in the same system, or system.collection.field.'),
    direction: z
      .enum(['from', 'to', 'both'])
      .default('from')
      .describe("from: this field's values come from the target (an FK to its parent)."),
    onDelete: z
      .enum(['cascade', 'set_null', 'set_default', 'restrict', 'no_action'])
      .optional()
      .describe('Set when the database enforces the link as a foreign key.'),
    constraint: z.string().optional().describe('Foreign-key constraint name; groups composite keys.'),
  })
  .strict();

export const fieldSchema = z
  .object({
    name: z.string().min(1),
    type: z.string().min(1).optional().describe('Column type as the database spells it, e.g. varchar(255).'),
    nullable: z.boolean().optional(),
    categories: z
      .array(z.string().min(1))
      .default([])
      .describe('Dotted data categories, e.g. user.contact.email.'),
    identity: idSchema.optional().describe('email, phone, user_id or a custom identity name.'),
    references: z.array(referenceSchema).default([]),
    purposes: z.array(purposeSchema).default([]),
    erasure: erasureStrategySchema.optional(),
    description: z.string().optional(),
    review: z
      .boolean()
      .default(false)
      .describe('A guess (generated or imported) that a human should confirm.'),
    otherSubject: idSchema
      .optional()
      .describe(
        "The field describes another person than the row's subject, in this role (gift_recipient, referee, emergency_contact): withheld from the row subject's access package (GDPR Art. 15(4)), never changed by their rectification or erasure, masked when that person is erased.",
      ),
    paths: z
      .array(
        z
          .object({
            path: z
              .string()
              .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be dotted keys such as contact.phone')
              .describe('Dotted keys inside the JSON value, e.g. contact.phone.'),
            categories: z.array(z.string().min(1)).min(1),
          })
          .strict(),
      )
      .optional()
      .describe(
        'JSON columns: the values inside that hold personal data; rectification writes these paths only.',
      ),
  })
  .strict();

const collectionBody = {
  name: z.string().min(1),
  schema: z.string().optional().describe("PostgreSQL schema or MySQL database; default: the connection's."),
  primaryKey: z.array(z.string().min(1)).default([]).describe('Column names; [] when the table has none.'),
  fields: z.array(fieldSchema).default([]),
  erasure: erasureStrategySchema
    .optional()
    .describe('Default for personal fields without their own strategy.'),
  purposes: z.array(purposeSchema).default([]),
  dataSubjects: z.array(z.string()).default(['customer']),
  retention: retentionRuleSchema.optional(),
  endpoints: httpEndpointsSchema.optional().describe('HTTP systems only.'),
  files: filesCollectionSchema.optional().describe('files systems only: which files, which format.'),
  description: z.string().optional(),
  review: z.boolean().default(false),
};

export const collectionSchema = z.object(collectionBody).strict();

/** A collection declared at the top level of a file, added to a system declared in any file. */
export const detachedCollectionSchema = z.object({ system: idSchema, ...collectionBody }).strict();

const recipientSchema = z
  .object({
    name: z.string().min(1),
    category: z.string().optional(),
    role: z.enum(['controller', 'processor']).optional(),
    country: countrySchema.optional(),
  })
  .strict();

const transferSchema = z
  .object({
    country: countrySchema,
    safeguard: z.enum([
      'adequacy_decision',
      'eu_us_data_privacy_framework',
      'standard_contractual_clauses',
      'binding_corporate_rules',
      'derogation',
      'none',
    ]),
    recipient: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();

const systemBody = {
  id: idSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  owner: z.string().optional(),
  region: z.string().optional(),
  role: z.enum(['controller', 'processor']).default('controller'),
  recipients: z.array(recipientSchema).default([]),
  transfers: z.array(transferSchema).default([]),
  collections: z.array(collectionSchema).default([]),
};

export const systemSchema = z.discriminatedUnion('kind', [
  z.object({ ...systemBody, kind: z.literal('postgres'), connection: sqlConnectionSchema }).strict(),
  z.object({ ...systemBody, kind: z.literal('mysql'), connection: sqlConnectionSchema }).strict(),
  z.object({ ...systemBody, kind: z.literal('http'), connection: httpConnectionSchema }).strict(),
  z.object({ ...systemBody, kind: z.literal('files'), connection: filesConnectionSchema }).strict(),
]);

export const identityDeclarationSchema = z
  .object({
    match: z.enum(['exact', 'case_insensitive', 'e164']).default('exact'),
    region: countrySchema
      .optional()
      .describe('e164 only: the country of numbers written without a country code (06 44 58 92 42 with FR).'),
    description: z.string().optional(),
  })
  .strict();

/** One data-map file. */
export const dataMapManifestSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    tenant: idSchema.default('default').describe('Tenant the file belongs to.'),
    identities: z
      .record(idSchema, identityDeclarationSchema)
      .default({})
      .describe('Custom identities and how their values compare.'),
    systems: z.array(systemSchema).default([]),
    collections: z.array(detachedCollectionSchema).default([]),
  })
  .strict();

export type DataMapManifest = z.infer<typeof dataMapManifestSchema>;
export type DataMapManifestInput = z.input<typeof dataMapManifestSchema>;
export type ManifestSystem = z.infer<typeof systemSchema>;
export type ManifestCollection = z.infer<typeof collectionSchema>;
export type ManifestField = z.infer<typeof fieldSchema>;
export type ManifestErasure = z.infer<typeof erasureStrategySchema>;
