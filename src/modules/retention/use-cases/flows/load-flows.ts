import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { RetentionConfig } from '../../config-schema.ts';
import type { DataMapRegistry } from '../../../../platform/datamap/datamap-types.ts';
import { InvalidInput, NotFound } from '../../../../kernel/errors/domain-error.ts';
import { flowSchema, type Flow } from './flow-schema.ts';

export interface LoadedFlow {
  flow: Flow;
  /** The file it came from; `built-in` for Steward's own purge. */
  source: string;
}

export interface FlowProblem {
  file: string;
  /** Dotted key path inside the file, e.g. `tasks.1.systems.0`. */
  path: string;
  message: string;
}

/** The flow that purges Steward's own data, configured by `retention.stewardData`. */
export const STEWARD_DATA_FLOW_ID = 'steward-data';

/**
 * Every flow of the installation: the YAML files in `retention.flowsPath` (a missing folder has
 * none), checked against the schema and the data maps (systems and rules they name exist), plus the
 * built-in purge of Steward's own data when `retention.stewardData.enabled` and the flow files other
 * modules add (the demo shop's, when the demo is on). Files are read on each
 * call, so an edited flow takes effect at the next tick without a restart.
 */
export function loadFlows(
  config: { retention: RetentionConfig },
  dataMaps: DataMapRegistry,
  extraFiles: readonly string[] = [],
): { flows: LoadedFlow[]; problems: FlowProblem[] } {
  const flows: LoadedFlow[] = [];
  const problems: FlowProblem[] = [];
  for (const file of [...flowFiles(config.retention.flowsPath), ...extraFiles]) {
    const loaded = parseFlowFile(file, problems);
    if (!loaded) continue;
    const before = problems.length;
    checkAgainstDataMap(loaded, dataMaps, file, problems);
    const duplicate = flows.find((f) => f.flow.id === loaded.id && f.flow.namespace === loaded.namespace);
    if (duplicate)
      problems.push({
        file,
        path: 'id',
        message: `flow "${loaded.id}" is also defined in ${duplicate.source}; flow ids are unique within a namespace`,
      });
    if (problems.length === before && !duplicate) flows.push({ flow: loaded, source: file });
  }
  const own = config.retention.stewardData;
  if (own.enabled && !flows.some((f) => f.flow.id === STEWARD_DATA_FLOW_ID)) {
    flows.push({
      source: 'built-in',
      flow: {
        id: STEWARD_DATA_FLOW_ID,
        namespace: 'default',
        description:
          "Steward's own retention: expired access packages, verification codes, download links, traces of closed requests, job history, delivered events and old run records.",
        disabled: false,
        triggers: [
          {
            id: 'schedule',
            type: 'schedule',
            cron: own.cron,
            timezone: own.timezone,
            recoverMissedSchedules: 'LAST',
            catchUp: true,
            maxCatchUp: 1,
          },
        ],
        tasks: [{ id: 'purge', type: 'steward.purge', onFailure: 'stop', allowFailure: false }],
        errors: [],
      },
    });
  }
  return { flows, problems };
}

/** One flow by id, or a NotFound that lists the ids there are. */
export function findFlow(
  config: { retention: RetentionConfig },
  dataMaps: DataMapRegistry,
  id: string,
  namespace?: string,
  extraFiles: readonly string[] = [],
): LoadedFlow {
  const { flows, problems } = loadFlows(config, dataMaps, extraFiles);
  const found = flows.find((f) => f.flow.id === id && (!namespace || f.flow.namespace === namespace));
  if (found) return found;
  const broken = problems.filter((p) => readFlowId(p.file) === id);
  if (broken.length)
    throw new InvalidInput(
      'retention.flow_invalid',
      `Flow "${id}" is invalid: ${broken.map(formatFlowProblem).join('; ')}`,
      { flow: id },
    );
  throw new NotFound(
    'retention.flow_not_found',
    `No flow "${id}"${namespace ? ` in namespace ${namespace}` : ''}. Flows: ${flows.map((f) => f.flow.id).join(', ') || 'none'} (folder ${resolve(config.retention.flowsPath)}).`,
    { flow: id },
  );
}

export function formatFlowProblem(problem: FlowProblem): string {
  return `${problem.file}${problem.path ? ` (${problem.path})` : ''}: ${problem.message}`;
}

function flowFiles(folder: string): string[] {
  const root = resolve(folder);
  if (!existsSync(root)) return [];
  if (statSync(root).isFile()) return [root];
  return readdirSync(root)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(root, name));
}

function parseFlowFile(file: string, problems: FlowProblem[]): Flow | undefined {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ file, path: '', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
    return undefined;
  }
  const parsed = flowSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    problems.push({ file, path: issue.path.join('.'), message: issue.message });
  return undefined;
}

/** Systems and rules a sweep names must exist in the namespace's data map. */
function checkAgainstDataMap(
  flow: Flow,
  dataMaps: DataMapRegistry,
  file: string,
  problems: FlowProblem[],
): void {
  const view = dataMaps.forTenant(flow.namespace);
  flow.tasks.forEach((task, index) => {
    if (task.type !== 'retention.sweep') return;
    if (task.systems !== '*') {
      task.systems.forEach((system, i) => {
        if (!view.system(system))
          problems.push({
            file,
            path: `tasks.${index}.systems.${i}`,
            message: `system "${system}" is not in the data map of namespace ${flow.namespace} (systems: ${view.dataMap.systems.map((s) => s.id).join(', ') || 'none'})`,
          });
      });
    }
    (task.collections ?? []).forEach((address, i) => {
      const [system, collection] = splitAddress(address);
      const found = view.collection({ system, collection });
      if (!found)
        problems.push({
          file,
          path: `tasks.${index}.collections.${i}`,
          message: `${address} is not a collection of the data map`,
        });
      else if (!found.retention)
        problems.push({
          file,
          path: `tasks.${index}.collections.${i}`,
          message: `${address} has no retention rule; add retention: to it in the data map`,
        });
      else if (task.systems !== '*' && !task.systems.includes(system))
        problems.push({
          file,
          path: `tasks.${index}.collections.${i}`,
          message: `${address} is not in the task's systems (${task.systems.join(', ')})`,
        });
    });
  });
}

export function splitAddress(address: string): [string, string] {
  const dot = address.indexOf('.');
  return [address.slice(0, dot), address.slice(dot + 1)];
}

function readFlowId(file: string): string | undefined {
  try {
    const raw = parse(readFileSync(file, 'utf8')) as { id?: unknown } | null;
    return typeof raw?.id === 'string' ? raw.id : undefined;
  } catch {
    return undefined;
  }
}
