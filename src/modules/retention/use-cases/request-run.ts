import type { Actor } from '../../../platform/auth/actor.ts';
import { InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import type { RetentionServices } from '../retention-services.ts';
import { createRun } from './create-run.ts';
import type { RunTarget, RunTrigger } from '../core/retention-run-types.ts';
import { didYouMean } from '../../../kernel/errors/did-you-mean.ts';
import { holdForApproval } from './hold-for-approval.ts';

export interface RunRequest {
  targets?: RunTarget[];
  systems?: string[];
  dryRun: boolean;
  batchSize?: number;
  pauseMs?: number;
  concurrency?: number;
}

/**
 * Starts a run of the data map's rules (all of a tenant's, some systems', or named collections'),
 * swept by a job; or in the foreground by the caller when `enqueue` is false (the CLI). A real run
 * with more rows due than the tenant lets one person remove is recorded `awaiting_approval` instead
 * (holdForApproval): someone other than `actor` approves it (approveRun).
 */
export async function requestRun(
  services: RetentionServices,
  tenantId: string,
  request: RunRequest,
  actor: Pick<Actor, 'kind' | 'id'>,
  options: { trigger?: RunTrigger; enqueue?: boolean } = {},
): Promise<string> {
  const view = services.dataMaps.forTenant(tenantId);
  for (const id of request.systems ?? []) {
    if (!view.system(id))
      throw new NotFound(
        'retention.unknown_system',
        `System ${id} is not in the data map of tenant ${tenantId}.${didYouMean(
          id,
          view.dataMap.systems.map((s) => s.id),
        )}`,
        { system: id },
      );
  }
  const targets =
    request.targets ??
    view.dataMap.systems
      .filter((s) => s.kind !== 'http' && (!request.systems || request.systems.includes(s.id)))
      .flatMap((s) =>
        s.collections.filter((c) => c.retention).map((c) => ({ system: s.id, collection: c.name })),
      );
  if (!targets.length)
    throw new InvalidInput(
      'retention.no_rules',
      `No collection${request.systems ? ` of ${request.systems.join(', ')}` : ''} has a retention rule. Add \`retention:\` to collections in the data map.`,
    );
  const referenceTime = new Date();
  const approval = request.dryRun
    ? undefined
    : await holdForApproval(services, tenantId, targets, referenceTime, actor);
  return createRun(services, {
    tenantId,
    targets,
    dryRun: request.dryRun,
    trigger: options.trigger ?? 'manual',
    actor,
    enqueue: options.enqueue,
    referenceTime,
    ...(approval ? { approval } : {}),
    settings: {
      ...(request.batchSize ? { batchSize: request.batchSize } : {}),
      ...(request.pauseMs !== undefined ? { pauseMs: request.pauseMs } : {}),
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
    },
  });
}
