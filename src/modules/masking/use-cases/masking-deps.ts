import type { DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import type { RedactText } from '../core/transformer.ts';
import type { MaskingDb } from '../store/masking-run-store.ts';

/** What the audit log is told about a run: counts and states, never a value. */
export interface MaskingAuditEvent {
  tenantId: string;
  actor: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string };
  action: 'masking.run.requested' | 'masking.run.completed' | 'masking.run.failed' | 'masking.run.cancelled';
  runId: string;
  details: Record<string, unknown>;
}

/** Progress of a running copy, for a progress bar or a log line. */
export interface MaskingProgress {
  phase: string;
  table?: string;
  rowsCopied: number;
  rowsPlanned: number;
  /** Worker threads masking the table's rows; absent when they are masked on the calling thread. */
  threads?: number;
}

/**
 * Everything a masking use case needs from outside the module, narrowly: its own tables, the
 * source system of the tenant's data map, the secret resolver (keys and connection URLs are
 * references), and optionally the PII redactor, the audit log and a progress listener.
 */
export interface MaskingDeps {
  db: MaskingDb;
  system(tenantId: string, systemId: string): DataMapSystem;
  resolveSecret(reference: string, tenantId: string): Promise<string>;
  redactText?: RedactText;
  recordAudit?(event: MaskingAuditEvent): Promise<void>;
  onProgress?(progress: MaskingProgress): void;
}
