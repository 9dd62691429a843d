import type { BreachRiskInput, NotificationDecision } from './breach-assessment.ts';

/** The three kinds of breach (Art. 4(12); EDPB Guidelines 9/2022): disclosure, alteration, loss. */
export interface BreachNature {
  confidentiality: boolean;
  integrity: boolean;
  availability: boolean;
}

/** A collection the breach exposed, optionally only the rows whose date field falls in a window. */
export interface AffectedCollection {
  system: string;
  collection: string;
  window?: { field: string; from?: string; to?: string };
}

/** The subjects counted in the real systems, per collection and overall. Counts only. */
export interface AffectedSubjectCount {
  countedAt: string;
  /** Distinct subjects across all affected collections that identify them by the same key. */
  subjects: number;
  records: number;
  byCollection: {
    system: string;
    collection: string;
    /** The identity the subjects were told apart by, e.g. `shop.customers.id (customer_id)`. */
    subjectKey?: string;
    subjects: number | null;
    records: number;
    note?: string;
  }[];
}

/** One notification sent (Art. 33(4): information may be provided in phases). */
export interface BreachNotification {
  audience: 'authority' | 'subjects' | 'public';
  phase: 'initial' | 'follow_up' | 'final';
  sentAt: string;
  /** The authority's case number, the mailing's id… */
  reference?: string;
  summary: string;
}

export interface BreachTimelineEntry {
  at: string;
  kind:
    | 'detected'
    | 'aware'
    | 'assessed'
    | 'counted'
    | 'notified'
    | 'reminder'
    | 'escalation'
    | 'updated'
    | 'closed';
  note: string;
  by?: string;
}

/**
 * An entry of the breach register (GDPR Art. 33(5)): the facts, effects and remedial action, whether
 * it was notified and why (or why not). Holds counts and categories, never the affected people's data.
 */
export interface BreachRecord {
  id: string;
  tenantId: string;
  title: string;
  /** What happened, in words an authority can read (Art. 33(3)(a)). No personal data. */
  description: string;
  nature: BreachNature;
  occurredAt?: string;
  detectedAt?: string;
  /** Art. 33(1): the clock starts when the controller became aware. ISO 8601 instant. */
  awareAt: string;
  affected: AffectedCollection[];
  /** Data categories concerned (taxonomy keys), from the affected collections' fields. */
  categories: string[];
  count?: AffectedSubjectCount;
  /** Art. 33(3)(c). */
  likelyConsequences: string;
  /** Art. 33(3)(d). */
  measures: string;
  /** Art. 33(3)(b): DPO or other contact point (a role address). */
  contact: string;
  risk?: BreachRiskInput;
  decision?: NotificationDecision;
  /** Art. 33(1) second sentence. */
  delayReason?: string;
  notifications: BreachNotification[];
  timeline: BreachTimelineEntry[];
  /** Reminders sent, by hours left (so each fires once). */
  remindersSent: number[];
  state: 'open' | 'closed';
  closedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** The first authority notification, whose time decides whether the 72 hours were met. */
export function firstAuthorityNotification(breach: BreachRecord): BreachNotification | undefined {
  return breach.notifications
    .filter((n) => n.audience === 'authority')
    .sort((a, b) => a.sentAt.localeCompare(b.sentAt))[0];
}
