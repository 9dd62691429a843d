import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

/** A hand-written field of the record of processing (Art. 30): survives every regeneration. */
export interface GovernanceRopaFieldsTable {
  tenant_id: string;
  /** `controller:<data use>`, `processor:<data use>` or `*` for every entry. */
  entry_id: string;
  field: string;
  lines: Json<string[]>;
  written_by: string;
  written_at: Timestamp;
}

/** A stored generation of the record (Art. 30(3): in writing), so two can be diffed. */
export interface GovernanceRopaGenerationsTable {
  id: string;
  tenant_id: string;
  generated_at: Timestamp;
  /** sha-256 of the record without its timestamp: an unchanged record is not stored twice. */
  digest: string;
  record: Json<unknown>;
}

/** The register of processors and recipients (Art. 28, Art. 30(1)(d)). Business contacts only. */
export interface GovernanceProcessorsTable {
  tenant_id: string;
  id: string;
  name: string;
  role: 'processor' | 'controller';
  contact: string | null;
  countries: Json<string[]>;
  categories: Json<string[]>;
  systems: Json<string[]>;
  dpa: NullableJson<{ signedOn: string; reference?: string }>;
  sub_processors: Json<{ name: string; country: string; service?: string }[]>;
  dpf_certified: boolean;
  mechanism: NullableJson<unknown>;
  tia: NullableJson<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A person's screening answers for one activity and the criteria met when it was last screened. */
export interface GovernanceScreeningsTable {
  tenant_id: string;
  activity_id: string;
  answers: Json<unknown[]>;
  met_criteria: Json<string[]>;
  screened_by: string;
  screened_at: Timestamp;
}

/** A DPIA; its content lives in versions. */
export interface GovernanceDpiasTable {
  tenant_id: string;
  id: string;
  activity_id: string;
  current_version: number;
  created_at: Timestamp;
}

export interface GovernanceDpiaVersionsTable {
  tenant_id: string;
  dpia_id: string;
  version: number;
  content: Json<unknown>;
  created_by: string;
  created_at: Timestamp;
}

/** The breach register (Art. 33(5)). `details` holds the facts; never the affected people's data. */
export interface GovernanceBreachesTable {
  tenant_id: string;
  id: string;
  title: string;
  state: 'open' | 'closed';
  aware_at: Timestamp;
  details: Json<unknown>;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What happened to a breach, in order: its timeline. Append-only. */
export interface GovernanceBreachEventsTable {
  tenant_id: string;
  breach_id: string;
  seq: number;
  at: Timestamp;
  kind: string;
  note: string;
  actor: string | null;
}

/** Notifications sent, in phases (Art. 33(4)). */
export interface GovernanceBreachNotificationsTable {
  tenant_id: string;
  breach_id: string;
  seq: number;
  audience: 'authority' | 'subjects' | 'public';
  phase: 'initial' | 'follow_up' | 'final';
  sent_at: Timestamp;
  reference: string | null;
  summary: string;
}

/** One row per reminder sent, so each fires once however many workers tick. */
export interface GovernanceBreachRemindersTable {
  tenant_id: string;
  breach_id: string;
  hours_left: number;
  sent_at: Timestamp;
}

export interface GovernanceTables {
  governance_ropa_fields: GovernanceRopaFieldsTable;
  governance_ropa_generations: GovernanceRopaGenerationsTable;
  governance_processors: GovernanceProcessorsTable;
  governance_screenings: GovernanceScreeningsTable;
  governance_dpias: GovernanceDpiasTable;
  governance_dpia_versions: GovernanceDpiaVersionsTable;
  governance_breaches: GovernanceBreachesTable;
  governance_breach_events: GovernanceBreachEventsTable;
  governance_breach_notifications: GovernanceBreachNotificationsTable;
  governance_breach_reminders: GovernanceBreachRemindersTable;
}
