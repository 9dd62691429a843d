import type { RetentionServices } from '../../retention-services.ts';
import { nextFireTimes } from './flow-scheduler.ts';
import { loadFlows, type FlowProblem } from './load-flows.ts';

export interface FlowSummary {
  id: string;
  namespace: string;
  description?: string;
  disabled: boolean;
  source: string;
  triggers: { cron: string; timezone: string; catchUp: boolean; nextRun: string | null }[];
  tasks: { id: string; type: string }[];
}

/** The flows of a namespace (or all), with each trigger's next fire time, and the files' problems. */
export function describeFlows(
  services: Pick<RetentionServices, 'config' | 'dataMaps' | 'retentionFlowFiles'>,
  namespace?: string,
  now = new Date(),
): { flows: FlowSummary[]; problems: FlowProblem[] } {
  const { flows, problems } = loadFlows(services.config, services.dataMaps, services.retentionFlowFiles);
  return {
    problems,
    flows: flows
      .filter(({ flow }) => !namespace || flow.namespace === namespace)
      .map(({ flow, source }) => {
        const next = nextFireTimes(flow, now);
        return {
          id: flow.id,
          namespace: flow.namespace,
          ...(flow.description ? { description: flow.description } : {}),
          disabled: flow.disabled,
          source,
          triggers: flow.triggers.map((t, i) => ({
            cron: t.cron,
            timezone: t.timezone,
            catchUp: t.catchUp,
            nextRun: flow.disabled ? null : (next[i]?.toISOString() ?? null),
          })),
          tasks: flow.tasks.map((t) => ({ id: t.id, type: t.type })),
        };
      }),
  };
}
