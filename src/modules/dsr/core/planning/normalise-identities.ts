import type { DataMap, IdentityMatch } from '../../../../platform/datamap/datamap-types.ts';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { PlanIdentity } from './dsr-plan.ts';

/** The identities a request supplies: identity name → values, e.g. `{ email: ['Ann@Example.com'] }`. */
export type RequestIdentities = Record<string, readonly string[]>;

/**
 * One value in the form the data map compares it in: emails lower-cased (mailbox providers treat
 * them case-insensitively), phone numbers without spaces and punctuation. The same function keys
 * the erased-subject journal, so a replay matches what the erasure matched.
 */
export function normaliseIdentityValue(match: IdentityMatch, value: string): string {
  const trimmed = value.trim();
  if (match === 'case_insensitive') return trimmed.toLowerCase();
  if (match === 'e164') return trimmed.replace(/[\s().-]/g, '');
  return trimmed;
}

/** The request's identities, checked against the data map and normalised; unknown names are refused. */
export function normaliseIdentities(dataMap: DataMap, identities: RequestIdentities): PlanIdentity[] {
  const result: PlanIdentity[] = [];
  for (const [name, values] of Object.entries(identities)) {
    const definition = dataMap.identities.find((identity) => identity.name === name);
    if (!definition) {
      throw new InvalidInput(
        'dsr.unknown_identity',
        `The data map of tenant ${dataMap.tenant} has no identity "${name}". Known identities: ${dataMap.identities.map((i) => i.name).join(', ')}.`,
        {
          identity: name,
        },
      );
    }
    const normalised = [
      ...new Set(values.map((value) => normaliseIdentityValue(definition.match, value)).filter(Boolean)),
    ];
    if (normalised.length) result.push({ name, match: definition.match, values: normalised.sort() });
  }
  if (!result.length)
    throw new InvalidInput(
      'dsr.no_identity',
      'A request needs at least one identity value (for example an email address).',
    );
  return result.sort((a, b) => a.name.localeCompare(b.name));
}
