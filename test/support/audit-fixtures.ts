import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditConfig, auditConfigSchema } from '../../src/platform/audit/audit-config-schema.ts';
import type { AuditEventInput } from '../../src/platform/audit/audit-event.ts';

/** Audit settings whose keys and published checkpoints live in a fresh temporary folder. */
export function anAuditSetup(overrides: Partial<AuditConfig['publish']> = {}): {
  config: AuditConfig;
  folder: string;
  remove(): void;
} {
  const folder = mkdtempSync(join(tmpdir(), 'steward-audit-'));
  const config = auditConfigSchema.parse({
    origin: 'audit.test.example',
    signingKeyRef: `file:${join(folder, 'keys', 'checkpoint-signing-key.pem')}`,
    pseudonymKeyRef: `file:${join(folder, 'keys', 'pseudonym.key')}`,
    // One test process owns these keys, on either backend.
    createMissingKeys: true,
    publish: { directory: join(folder, 'checkpoints'), ...overrides },
  });
  return { config, folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** An officer creating an erasure request for a person, as the DSR domain records it. */
export function anErasureRequestEvent(
  n: number,
  subjectRef = 'ada@example.com',
  tenantId = 'default',
): AuditEventInput {
  return {
    tenantId,
    actor: { kind: 'user', id: 'usr_officer' },
    action: 'dsr.request.created',
    object: { type: 'dsr_request', id: `req_${n}` },
    outcome: 'success',
    requestId: `http-${n}`,
    sourceAddress: '203.0.113.9',
    subjectRef,
    details: { kind: 'erasure', systems: 3 },
  };
}
