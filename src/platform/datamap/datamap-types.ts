/**
 * The loaded, validated data map as plain serialisable data (STYLE.md §3): what connectors, the DSR
 * planner, the access package and retention read. The YAML input format is `datamap-manifest-schema.ts`;
 * the loader turns manifests into these values (defaults applied, references resolved to full
 * addresses, column types parsed) and validation guarantees every invariant documented here.
 */

/** `env:NAME` or `file:/path`; resolve at the moment of use with `resolveSecretReference`. */
export type SecretReference = string;

export type SystemKind = 'postgres' | 'mysql' | 'http' | 'files';

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

/** A header value: literal text, or a secret (optionally prefixed, e.g. `Bearer `). */
export type HttpHeaderValue = string | { secret: SecretReference; prefix?: string };

export interface HttpConnection {
  baseUrl: string;
  /** Sent with every call; credentials only through `{ secret: env:… }`. */
  headers: Record<string, HttpHeaderValue>;
  timeoutMs: number;
  tls?: Pick<TlsOptions, 'ca' | 'cert' | 'key'> & { rejectUnauthorized?: boolean };
}

/** Log files: the folder they are in (absolute after loading); each collection names its files. */
export interface FilesConnection {
  directory: string;
}

/**
 * Which files of a `files` system make one collection, and how their lines read: `jsonl` (one JSON
 * object per line; fields are JSON paths) or `text` (fields are `$line` or detector columns `pii:<type>`).
 */
export interface FilesCollectionSettings {
  /** Relative to the system's directory, e.g. `api.log*` (rotations and `.gz` archives included). */
  glob: string;
  format: 'jsonl' | 'text';
  /** JSON path of a line's time (jsonl); default: the first of ts, time, timestamp, @timestamp. */
  timestamp?: string;
}

export type SystemConnection = SqlConnection | HttpConnection | FilesConnection;

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

/**
 * Replaces a value by a coarser one: a date by the first day of its year or month, a number by a
 * multiple of `step` (rounded down), text by its first `keepCharacters` characters (a postcode by
 * its district). Irreversible without the original; whether the result still singles a person
 * out depends on the column, which is the data map author's judgement.
 */
export interface GeneraliseStrategy {
  strategy: 'generalise';
  /** Dates and timestamps. Default `year`. */
  dateTo?: 'year' | 'month';
  /** Numbers. Default 10. */
  step?: number;
  /** Text. Default 0 (the empty string). */
  keepCharacters?: number;
}

export type ErasureStrategy =
  | { strategy: 'delete_row' }
  | { strategy: 'null' }
  | { strategy: 'fixed_value'; value: string | number | boolean }
  | { strategy: 'random'; length?: number }
  /**
   * Unkeyed SHA digest. Refused by validation under erasure and anonymisation (anyone who can guess
   * a value recomputes its digest: GDPR Recital 26); still parsed so the refusal can say why.
   */
  | { strategy: 'hash'; algorithm: 'sha256' | 'sha512' }
  /** The same unkeyed digest, under a name that says what it is: the data stays personal data. */
  | { strategy: 'pseudonymise'; algorithm: 'sha256' | 'sha512' }
  | { strategy: 'hmac'; algorithm: 'sha256' | 'sha512'; key: SecretReference }
  | { strategy: 'deterministic_encryption'; key: SecretReference }
  | GeneraliseStrategy
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

/** A value inside a JSON column that the data map describes, e.g. `contact.phone` in `settings`. */
export interface JsonPath {
  /** Dotted keys from the column's top-level object, e.g. `contact.phone`. */
  path: string;
  categories: string[];
}

export interface DataMapField {
  name: string;
  type?: ColumnType;
  /**
   * Undefined = not known (not declared, catalog not read). At plan time the live catalog decides;
   * an omitted value is never taken as NOT NULL or as nullable.
   */
  nullable?: boolean;
  /**
   * Set when the field describes someone other than the row's data subject: `gift_recipient`,
   * `referee`, `emergency_contact`. Fields with the same role in a collection describe one person:
   * withheld from the row subject's access package (GDPR Art. 15(4)), never changed by the row
   * subject's rectification or masked by their erasure, and found, shown, corrected or masked for
   * that other person when one of the role's fields holds an identity they give.
   */
  otherSubject?: string;
  /** JSON columns: the values inside it that the data map describes (rectified by path). */
  paths?: JsonPath[];
  /** A unique constraint or index on this column alone; known from the live catalog only. */
  unique?: boolean;
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
  /** Files systems only. */
  files?: FilesCollectionSettings;
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
  | (SystemBase & { kind: 'http'; connection: HttpConnection })
  | (SystemBase & { kind: 'files'; connection: FilesConnection });

/** How values of an identity compare: emails case-insensitively (RFC 5321 local parts are not, but every mailbox provider treats them so). */
export type IdentityMatch = 'exact' | 'case_insensitive' | 'e164';

export interface IdentityDefinition {
  name: string;
  match: IdentityMatch;
  /**
   * e164 only: ISO 3166-1 alpha-2 country of numbers written without a country code, in requests
   * and in stored values (`06 44 58 92 42` is `+33644589242` with region FR).
   */
  region?: string;
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
  /**
   * `nullable`: whether every holder column may be NULL; undefined when neither the data map nor the
   * live catalog says (then nothing is set to NULL on the strength of it).
   */
  foreignKey?: { onDelete: OnDeleteRule; constraint?: string; nullable?: boolean };
  /** The holder fields describe another person (`otherSubject`): not followed to find the row subject's rows. */
  otherSubject?: string;
  /**
   * Found in the live catalog but not declared in the data map: never followed to find rows, only
   * honoured so that a row it still points at is not deleted from under it.
   */
  undeclared?: boolean;
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
