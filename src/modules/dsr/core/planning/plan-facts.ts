import { reconcileWithCatalog } from '../../../../platform/datamap/catalog/reconcile-catalog.ts';
import type { SystemCatalog } from '../../../../platform/datamap/catalog/system-catalog.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import type { DsrPlan, PlanIdentity, PlanProblem, SystemPlan } from './dsr-plan.ts';

/**
 * What the live systems say, read before planning (`readPlanFacts`): the planner stays pure and
 * takes them as data. Without facts the data map alone is used, and what it leaves open (an
 * omitted `nullable`) stays unknown rather than guessed.
 */
export interface PlanFacts {
  catalogs?: SystemCatalog[];
  /** SQL systems whose catalog could not be read, and why. */
  unread?: { system: string; reason: string }[];
  /** How the stored values of phone identity columns are written (a sample, counts only). */
  phoneSamples?: StoredPhoneSample[];
}

export interface StoredPhoneSample {
  system: string;
  collection: string;
  field: string;
  sampled: number;
  /** With a country code (`+33…`, `0033…`). */
  international: number;
  /** Digits without a country code (`06 44 58 92 42`). */
  national: number;
  unparseable: number;
}

/** The data map with the catalogs' facts, and the findings as plan problems. */
export function applyFacts(
  dataMap: DataMap,
  facts: PlanFacts = {},
): {
  dataMap: DataMap;
  errors: PlanProblem[];
  warnings: PlanProblem[];
  sources: NonNullable<DsrPlan['facts']>;
} {
  const reconciled = reconcileWithCatalog(dataMap, facts.catalogs ?? []);
  const errors: PlanProblem[] = [];
  const warnings: PlanProblem[] = [];
  for (const finding of reconciled.findings) {
    const problem = {
      code: finding.code,
      message: finding.message,
      system: finding.system,
      ...(finding.collection ? { collection: finding.collection } : {}),
    };
    (finding.severity === 'error' ? errors : warnings).push(problem);
  }
  const sources = dataMap.systems.map((system) => {
    if (facts.catalogs?.some((c) => c.system === system.id))
      return { system: system.id, source: 'database catalog' as const };
    const unread = facts.unread?.find((u) => u.system === system.id);
    const reason = unread
      ? `the catalog could not be read: ${unread.reason}`
      : system.kind === 'postgres' || system.kind === 'mysql'
        ? 'the catalog was not read (planned from the data map alone)'
        : `a ${system.kind} system has no catalog`;
    return { system: system.id, source: 'data map' as const, reason };
  });
  return { dataMap: reconciled.dataMap, errors, warnings, sources };
}

/**
 * Identities that can never match the column they are compared with, as the plan should say
 * before anything runs: a value longer than the column, a non-number against an integer column,
 * a phone identity in a column that cannot hold one, or stored phone numbers written in a form the
 * request's numbers cannot be compared with (national numbers without a declared region).
 */
export function identityFormatWarnings(
  dataMap: DataMap,
  systems: SystemPlan[],
  identities: PlanIdentity[],
  samples: StoredPhoneSample[] = [],
): PlanProblem[] {
  const warnings: PlanProblem[] = [];
  for (const systemPlan of systems) {
    const system = dataMap.systems.find((s) => s.id === systemPlan.system)!;
    for (const step of systemPlan.steps) {
      const collection = system.collections.find((c) => c.name === step.collection)!;
      for (const source of step.sources) {
        if (source.kind !== 'identity') continue;
        const identity = identities.find((i) => i.name === source.identity);
        const field = collection.fields.find((f) => f.name === source.column);
        if (!identity || !field) continue;
        const where = `${system.id}.${collection.name}.${field.name}`;
        const warn = (code: string, message: string) =>
          warnings.push({ code, message, system: system.id, collection: collection.name });
        const family = field.type?.family;
        const count = (n: number) =>
          `${n} of the ${identity.values.length} ${identity.name} value${identity.values.length === 1 ? '' : 's'}`;
        if (identity.match === 'e164' && family && family !== 'text') {
          warn(
            'identity.never_matches',
            `${where} is ${field.type!.raw}, which cannot hold a phone number with its + and country code: the ${identity.name} identity never matches it. Store numbers as text, or map the column to another identity.`,
          );
          continue;
        }
        if (source.accepts) {
          const shape =
            source.accepts === 'integer'
              ? /^-?\d+$/
              : /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
          const misfits = identity.values.filter((v) => !shape.test(v)).length;
          if (misfits)
            warn(
              'identity.never_matches',
              `${count(misfits)} can never match ${where} (${field.type!.raw}): not ${source.accepts === 'integer' ? 'a whole number' : 'a UUID'}; ${misfits === identity.values.length ? 'nothing is searched there by it' : 'they are left out there'}.`,
            );
        }
        const length = field.type?.family === 'text' ? field.type.length : undefined;
        if (length !== undefined && !source.phone) {
          const tooLong = identity.values.filter((v) => v.length > length).length;
          if (tooLong)
            warn(
              'identity.never_matches',
              `${count(tooLong)} ${tooLong === 1 ? 'is' : 'are'} longer than ${where} (${field.type!.raw}) can hold: ${tooLong === 1 ? 'it' : 'they'} can never match there.`,
            );
        }
        const sample = samples.find(
          (s) => s.system === system.id && s.collection === collection.name && s.field === field.name,
        );
        if (sample && source.phone) {
          if (sample.national && !identity.region)
            warn(
              'identity.stored_format',
              `${sample.national} of ${sample.sampled} sampled values of ${where} are written without a country code, so no request's number can match them. Declare the country they are written in: identities: { ${identity.name}: { match: e164, region: FR } } (with your country).`,
            );
          if (sample.unparseable)
            warn(
              'identity.stored_format',
              `${sample.unparseable} of ${sample.sampled} sampled values of ${where} are not phone numbers; they never match.`,
            );
        }
      }
    }
  }
  return warnings;
}
