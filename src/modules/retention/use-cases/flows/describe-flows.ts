import type { RetentionServices } from '../../retention-services.ts';
import { nextFireTimes } from './flow-scheduler.ts';
import { loadFlows, type FlowProblem } from './load-flows.ts';

export interface FlowSummary {
  id: string;
  namespace: string;
  description?: string;
  disabled: boolean;
  source: string;
  triggers: {
    id: string;
    cron: string;
    timezone: string;
    recoverMissedSchedules: 'ALL' | 'LAST' | 'NONE';
    /** Deprecated: recoverMissedSchedules is not NONE. */
    catchUp: boolean;
    nextRun: string | null;
  }[];
  tasks: { id: string; type: string }[];
  /** Tasks that run when the flow fails. */
  errors: { id: string; type: string }[];
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
            id: t.id,
            cron: t.cron,
            timezone: t.timezone,
            recoverMissedSchedules: t.recoverMissedSchedules,
            catchUp: t.catchUp,
            nextRun: flow.disabled ? null : (next[i]?.toISOString() ?? null),
          })),
          tasks: flow.tasks.map((t) => ({ id: t.id, type: t.type })),
          errors: flow.errors.map((t) => ({ id: t.id, type: t.type })),
        };
      }),
  };
}
