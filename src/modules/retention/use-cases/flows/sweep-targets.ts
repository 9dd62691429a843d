import type { RetentionServices } from '../../retention-services.ts';
import type { RunTarget } from '../../core/retention-run-types.ts';
import type { Flow, SweepTask } from './flow-schema.ts';
import { splitAddress } from './load-flows.ts';

/** The collections with a retention rule a sweep task covers, in data-map order. */
export function sweepTargets(
  services: Pick<RetentionServices, 'dataMaps'>,
  flow: Flow,
  task: SweepTask,
): RunTarget[] {
  const view = services.dataMaps.forTenant(flow.namespace);
  if (task.collections?.length)
    return task.collections
      .map((address) => splitAddress(address))
      .map(([system, collection]) => ({ system, collection }));
  const systems =
    task.systems === '*'
      ? view.dataMap.systems
      : view.dataMap.systems.filter((s) => task.systems.includes(s.id));
  return systems.flatMap((system) =>
    system.collections
      .filter((c) => c.retention && system.kind !== 'http')
      .map((c) => ({ system: system.id, collection: c.name })),
  );
}
