import { resolve } from 'node:path';
import type { DsrServices } from '../../dsr-services.ts';
import type { StagingLocation } from '../packages/access-staging.ts';
import type { Correction } from '../../core/planning/index.ts';
import { PermanentStepError } from './run-request-step.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import type { RequestRow } from './request-record.ts';
import { correctionsContext, decryptIdentities } from './subject-reference.ts';

/** The plaintext a step needs to execute: identities as the planner takes them, and corrections. */
export interface ExecutionInput {
  identities: Record<string, string[]>;
  corrections: Correction[];
}

export async function executionInputOf(services: DsrServices, request: RequestRow): Promise<ExecutionInput> {
  const keyring = dsrKeyring(services.config.dsr);
  const plaintext = await decryptIdentities(services.database.db, keyring, request.tenant_id, request.id);
  if (Object.keys(plaintext).length === 0) {
    throw new PermanentStepError(
      'the identities of this request were already minimised; it cannot be executed',
    );
  }
  const corrections = request.corrections_ciphertext
    ? (JSON.parse(
        keyring.decryptText(request.corrections_ciphertext, correctionsContext(request.id)),
      ) as Correction[])
    : [];
  return {
    identities: Object.fromEntries(Object.entries(plaintext).map(([name, value]) => [name, [value]])),
    corrections,
  };
}

export function stagingLocationOf(
  services: DsrServices,
  request: Pick<RequestRow, 'tenant_id' | 'id'>,
): StagingLocation {
  const config = services.config.dsr;
  return {
    dataDir: resolve(config.dataDir),
    key: dsrKeyring(config).fileKey,
    tenantId: request.tenant_id,
    requestId: request.id,
  };
}
