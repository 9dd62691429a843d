import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { maskingKeyFingerprint, MIN_MASKING_KEY_BYTES } from '../core/keyed-digest.ts';
import type { MaskingRunOptions, MaskingTarget } from '../core/masking-run-types.ts';
import { insertMaskingRun } from '../store/masking-run-store.ts';
import type { MaskingDeps } from './masking-deps.ts';
import { checkTargetUrl } from './open-masking-endpoints.ts';

export interface MaskingRunRequest {
  sourceSystem: string;
  target: MaskingTarget;
  /** Defaults filled in here; see MaskingRunOptions. */
  options: Partial<MaskingRunOptions> & Pick<MaskingRunOptions, 'keyReference'>;
  actor: { kind: string; id: string };
}

export const DEFAULT_MASKING_OPTIONS = {
  overrides: [],
  locale: 'en',
  defaultCountry: 'US',
  concurrency: 2,
  schemas: ['public'],
  leakSample: 500,
} satisfies Omit<MaskingRunOptions, 'keyReference'>;

/**
 * Records a masked copy to be made (state queued): the source must be a system of the tenant's
 * data map, the target a URL without a password or a reference, the key a secret that resolves
 * to at least 16 bytes. The key's fingerprint is kept so a resume can prove it uses the same key.
 */
export async function requestMaskingRun(
  deps: MaskingDeps,
  tenantId: string,
  request: MaskingRunRequest,
): Promise<string> {
  const system = deps.system(tenantId, request.sourceSystem);
  if (request.target.kind === 'database') checkTargetUrl(request.target.url);
  const options: MaskingRunOptions = { ...DEFAULT_MASKING_OPTIONS, ...request.options };
  if (system.kind === 'mysql') options.schemas = [];
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 16) {
    throw new InvalidInput(
      'masking.bad_concurrency',
      `Concurrency must be a whole number from 1 to 16; it was ${options.concurrency}.`,
    );
  }
  const key = Buffer.from(await deps.resolveSecret(options.keyReference, tenantId), 'utf8');
  if (key.length < MIN_MASKING_KEY_BYTES) {
    throw new InvalidInput(
      'masking.key_too_short',
      `The masking key ${options.keyReference} has ${key.length} bytes; store one of at least ${MIN_MASKING_KEY_BYTES} (e.g. openssl rand -base64 32).`,
    );
  }
  return insertMaskingRun(deps.db, {
    tenantId,
    sourceSystem: system.id,
    target: request.target,
    options,
    keyFingerprint: maskingKeyFingerprint(key),
    actor: request.actor,
  });
}
