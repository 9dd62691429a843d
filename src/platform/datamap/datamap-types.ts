/**
 * The loaded, validated data map as plain serialisable data (STYLE.md §3): what connectors, the DSR
 * planner, the access package and retention read. The YAML input format is `datamap-manifest-schema.ts`;
 * the loader turns manifests into these values (defaults applied, references resolved to full
 * addresses, column types parsed) and validation guarantees every invariant documented here.
 */

/** `env:NAME` or `file:/path`; resolve at the moment of use with `resolveSecretReference`. */
export type SecretReference = string;

export type SystemKind = 'postgres' | 'mysql' | 'pglite' | 'http';

/** GDPR Art. 4(7)/(8): who decides the purposes (controller) or processes on someone's behalf. */
export type SystemRole = 'controller' | 'processor';

/** GDPR Art. 6(1)(a)–(f). */
export type LegalBasis =
  'consent' | 'contract' | 'legal_obligation' | 'vital_interests' | 'public_task' | 'legitimate_interests';

/** GDPR Art. 17(3)(a)–(e): the grounds on which erasure may be refused. */
export type ErasureExemptionGround =
  | 'freedom_of_expression' // (a)
  | 'legal_obligation' // (b) incl. public task / official authority
  | 'public_health' // (c)
  | 'archiving_research_statistics' // (d)
  | 'legal_claims'; // (e)

/** Chapter V safeguards for transfers to third countries, reported in the Art. 15(2) context. */
export type TransferSafeguard =
  | 'adequacy_decision' // Art. 45
  | 'eu_us_data_privacy_framework' // Art. 45 adequacy decision of 10 July 2023
  | 'standard_contractual_clauses' // Art. 46(2)(c)
  | 'binding_corporate_rules' // Art. 47
  | 'derogation' // Art. 49
  | 'none';

/** A duration such as `10y`, `6m`, `30d`, `2w`, `12h` or combined `1y6m` (y, m = calendar units). */
export type Duration = string;

// ---------------------------------------------------------------- addresses

export interface CollectionAddress {
  system: string;
  collection: string;
}

export interface FieldAddress extends CollectionAddress {
  field: string;
}

// ---------------------------------------------------------------- connections

export interface TlsOptions {
  /** disable: plain TCP; require: TLS without certificate check; verify: TLS with CA + host check. */
  mode: 'disable' | 'require' | 'verify';
  /** PEM CA bundle, as a secret reference (file:/etc/ssl/db-ca.pem). */
  ca?: SecretReference;
  cert?: SecretReference;
  key?: SecretReference;
}

/** postgres and mysql systems: a URL reference, or parts with the password as a reference. */
export interface SqlConnection {
  /** Resolves to `postgres://…` / `mysql://…`. A literal URL is allowed only without a password. */
  url?: SecretReference | string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: SecretReference;
  tls?: TlsOptions;
  /** Connections in the pool Steward keeps for this system. Default 5. */
  poolSize: number;
  /** Per statement. Default 30 000. */
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface PgliteConnection {
  /** PGlite data directory (absolute after loading), or `memory://`. */
  dataDir: string;
}

/** A header value: literal text, or a secret (optionally prefixed, e.g. `Bearer `). */
export type HttpHeaderValue = string | { secret: SecretReference; prefix?: string };

export interface HttpConnection {
  baseUrl: string;
  /** Sent with every call; credentials only through `{ secret: env:… }`. */
  headers: Record<string, HttpHeaderValue>;
  timeoutMs: number;
  tls?: Pick<TlsOptions, 'ca' | 'cert' | 'key'> & { rejectUnauthorized?: boolean };
}

export type SystemConnection = SqlConnection | PgliteConnection | HttpConnection;

/**
 * One declarative call of an HTTP system. `path` and string values in `body`/`query` are templates:
 * `{identity.email}` is the subject's identity value, `{row.id}` a field of a row read before
 * (delete/update per row), `{value.<field>}` a new value (rectification).
 */
export interface HttpEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query: Record<string, string>;
  headers: Record<string, HttpHeaderValue>;
  body?: unknown;
  /** Where the rows are in the JSON response: `data.items`, `$` or `` for the whole body. Read only. */
  rowsPath?: string;
  /** Status codes that mean "nothing there" rather than failure (e.g. 404). */
  notFoundStatuses: number[];
}

/** Per-identity endpoints of an HTTP collection. `read` is keyed by identity name. */
export interface HttpCollectionEndpoints {
  read: Record<string, HttpEndpoint>;
  /** Keyed by identity name, or `row` for one call per row read. */
  delete: Record<string, HttpEndpoint>;
  update: Record<string, HttpEndpoint>;
}

// ---------------------------------------------------------------- Art. 15 context

export interface Recipient {
  name: string;
  /** e.g. payment provider, carrier, auditor. */
  category?: string;
  role?: SystemRole;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

export interface Transfer {
  /** ISO 3166-1 alpha-2 of the third country. */
  country: string;
  safeguard: TransferSafeguard;
  recipient?: string;
  note?: string;
}

export interface Purpose {
  /** A data use from the taxonomy, e.g. `essential.service.payment_processing`. */
  use: string;
  legalBasis: LegalBasis;
  /** Art. 6(1)(f): the interest pursued; Art. 6(1)(c): the law. Free text. */
  note?: string;
}

// ---------------------------------------------------------------- erasure

/** Keep the value: a legal hold under Art. 17(3). */
export interface KeepStrategy {
  strategy: 'keep';
  ground: ErasureExemptionGround;
  /** e.g. "Art. 17(3)(b)". Derived from the ground. */
  article: string;
  /** How long the hold lasts, counted from `anchor` (or the row's creation). Absent = indefinite. */
  period?: Duration;
  /** A date/timestamp field of the same collection the period runs from. */
  anchor?: string;
  /** Why, e.g. "§147 AO: invoices are kept 10 years". */
  reason: string;
}

export type ErasureStrategy =
  | { strategy: 'delete_row' }
  | { strategy: 'null' }
  | { strategy: 'fixed_value'; value: string | number | boolean }
  | { strategy: 'random'; length?: number }
  | { strategy: 'hash'; algorithm: 'sha256' | 'sha512' }
  | { strategy: 'hmac'; algorithm: 'sha256' | 'sha512'; key: SecretReference }
  | { strategy: 'deterministic_encryption'; key: SecretReference }
  | KeepStrategy;

export type ErasureStrategyName = ErasureStrategy['strategy'];

// ---------------------------------------------------------------- retention (issue 6)

export type RetentionCondition =
  | string
  | number
  | boolean
  | null
  | {
      eq?: unknown;
      ne?: unknown;
      in?: unknown[];
      notIn?: unknown[];
      isNull?: boolean;
      lt?: unknown;
      lte?: unknown;
      gt?: unknown;
      gte?: unknown;
    };

export interface RetentionRule {
  keepFor: Duration;
  /** A date/timestamp field the period runs from, e.g. `last_login_at`. */
  anchor: string;
  /** Only rows matching every condition (field → value or operator object). */
  where?: Record<string, RetentionCondition>;
  /** delete: remove rows; anonymise: apply the fields' erasure strategies. */
  action: 'delete' | 'anonymise';
}

// ---------------------------------------------------------------- columns, fields, references

export type ColumnFamily =
  | 'text'
  | 'integer'
  | 'decimal'
  | 'float'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'json'
  | 'binary'
  | 'uuid'
  | 'enum'
  | 'array'
  | 'other';

/** A column type as the database spells it, parsed. */
export interface ColumnType {
  /** As written: `varchar(20)`, `character varying(255)`, `int unsigned`, `jsonb`. */
  raw: string;
  family: ColumnFamily;
  /** Max characters (text) or bytes (binary) when bounded. */
  length?: number;
  precision?: number;
  scale?: number;
}

export type OnDeleteRule = 'cascade' | 'set_null' | 'set_default' | 'restrict' | 'no_action';

/**
 * `from`: this field's values come from the target (find these rows from the target's rows; an FK
 * column pointing at its parent key). `to`: the target is found from this field. `both`: either way.
 * Same meaning as fideslang's `direction`.
 */
export type ReferenceDirection = 'from' | 'to' | 'both';

export interface FieldReference {
  target: FieldAddress;
  direction: ReferenceDirection;
  /** Set when the database enforces this link as a foreign key held by THIS field. */
  foreignKey?: {
    onDelete: OnDeleteRule;
    /** Groups the columns of a composite foreign key. */
    constraint?: string;
  };
}

export interface DataMapField {
  name: string;
  type?: ColumnType;
  /** Undefined = not known (no introspection, not declared). */
  nullable?: boolean;
  /** Dotted taxonomy keys; empty = not personal data. */
  categories: string[];
  /** The identity this field holds (email, phone, user_id or a custom one). */
  identity?: string;
  references: FieldReference[];
  purposes: Purpose[];
  /** Declared for this field; see `effectiveErasure` for the collection default. */
  erasure?: ErasureStrategy;
  description?: string;
  /** Generated or imported guess that a human should confirm. */
  review: boolean;
}

export interface DataMapCollection {
  /** Address parts, repeated so a collection can be passed around alone. */
  system: string;
  name: string;
  /** Database schema (PostgreSQL schema / MySQL database); undefined = the connection's default. */
  schema?: string;
  /** Column names; empty = no primary key (rows are then addressed by their identity predicate). */
  primaryKey: string[];
  fields: DataMapField[];
  /** Default for personal fields without their own strategy; `delete_row` removes the whole row. */
  erasure?: ErasureStrategy;
  purposes: Purpose[];
  /** Data subjects from the taxonomy, e.g. `customer`. */
  dataSubjects: string[];
  retention?: RetentionRule;
  /** HTTP systems only. */
  endpoints?: HttpCollectionEndpoints;
  description?: string;
  review: boolean;
  /** The YAML file that declared it (for error messages). */
  source: string;
}

interface SystemBase {
  id: string;
  name?: string;
  description?: string;
  /** Team or person responsible (a role address, not a private one). */
  owner?: string;
  /** Hosting region or country, e.g. `eu-central-1` or `DE`. */
  region?: string;
  role: SystemRole;
  recipients: Recipient[];
  transfers: Transfer[];
  collections: DataMapCollection[];
  source: string;
}

export type DataMapSystem =
  | (SystemBase & { kind: 'postgres' | 'mysql'; connection: SqlConnection })
  | (SystemBase & { kind: 'pglite'; connection: PgliteConnection })
  | (SystemBase & { kind: 'http'; connection: HttpConnection });

/** How values of an identity compare: emails case-insensitively (RFC 5321 local parts are not, but every mailbox provider treats them so). */
export type IdentityMatch = 'exact' | 'case_insensitive' | 'e164';

export interface IdentityDefinition {
  name: string;
  match: IdentityMatch;
  description?: string;
}

/** A directed edge of the reference graph: one (possibly composite) link between two collections. */
export interface ReferenceEdge {
  /** The collection whose field declares the reference. */
  holder: CollectionAddress;
  target: CollectionAddress;
  /** Pairs holder field → target field (several for a composite foreign key). */
  fields: { holder: string; target: string }[];
  direction: ReferenceDirection;
  foreignKey?: { onDelete: OnDeleteRule; constraint?: string; nullable: boolean };
}

/** One tenant's complete data map. */
export interface DataMap {
  tenant: string;
  systems: DataMapSystem[];
  identities: IdentityDefinition[];
  edges: ReferenceEdge[];
  /** Files it was loaded from. */
  sources: string[];
}

/** Loaded data maps for every tenant, with lookups. */
export interface DataMapRegistry {
  tenants(): string[];
  /** The tenant's data map; an empty one when the tenant has none. */
  forTenant(tenantId: string): DataMapView;
}

/** Lookups over one tenant's data map. Every method returns plain data from `dataMap`. */
export interface DataMapView {
  readonly dataMap: DataMap;
  system(id: string): DataMapSystem | undefined;
  collection(address: CollectionAddress): DataMapCollection | undefined;
  field(address: FieldAddress): DataMapField | undefined;
  /** Edges where the collection is holder or target. */
  edgesOf(address: CollectionAddress): ReferenceEdge[];
  /** Every field holding the given identity, across systems. */
  identityFields(identity: string): FieldAddress[];
  identity(name: string): IdentityDefinition;
  /** The strategy that applies to a field: its own, else the collection's, else undefined. */
  effectiveErasure(address: FieldAddress): ErasureStrategy | undefined;
}
