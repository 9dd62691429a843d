/**
 * An audit export is one JSON header line, then each entry's canonical bytes on a line of their
 * own, in index order (RFC 8785 output never contains a raw newline). The bytes are exactly what
 * was hashed, so a verifier needs no JSON library to recompute leaves.
 */
export const AUDIT_EXPORT_FORMAT = 'steward-audit-export/1';

export interface AuditExportHeader {
  format: typeof AUDIT_EXPORT_FORMAT;
  /** The log's checkpoint origin, `<audit.origin>/<tenant>`. */
  origin: string;
  tenant: string;
  /** Entries that follow, indices 0 … treeSize − 1. */
  treeSize: number;
  /** The newest signed checkpoint at or below treeSize, as published. */
  checkpoint: string | null;
  exportedAt: string;
}
