import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { PlanIdentity } from './dsr-plan.ts';
import { normaliseIdentityValue } from '../../../../platform/connectors/identity-values.ts';
import { didYouMean } from '../../../../kernel/errors/did-you-mean.ts';

export { normaliseIdentityValue } from '../../../../platform/connectors/identity-values.ts';

/** The identities a request supplies: identity name → values, e.g. `{ email: ['Ann@Example.com'] }`. */
export type RequestIdentities = Record<string, readonly string[]>;

/** The request's identities, checked against the data map and normalised; unknown names are refused. */
export function normaliseIdentities(dataMap: DataMap, identities: RequestIdentities): PlanIdentity[] {
  const result: PlanIdentity[] = [];
  for (const [name, values] of Object.entries(identities)) {
    const definition = dataMap.identities.find((identity) => identity.name === name);
    if (!definition) {
      throw new InvalidInput(
        'dsr.unknown_identity',
        `The data map of tenant ${dataMap.tenant} has no identity "${name}".${didYouMean(
          name,
          dataMap.identities.map((i) => i.name),
        )} Known identities: ${dataMap.identities.map((i) => i.name).join(', ')}.`,
        {
          identity: name,
        },
      );
    }
    const normalised = [
      ...new Set(
        values
          .map((value) => normaliseIdentityValue(definition.match, value, definition.region))
          .filter(Boolean),
      ),
    ];
    if (normalised.length)
      result.push({
        name,
        match: definition.match,
        ...(definition.region ? { region: definition.region } : {}),
        values: normalised.sort(),
      });
  }
  if (!result.length)
    throw new InvalidInput(
      'dsr.no_identity',
      'A request needs at least one identity value (for example an email address).',
    );
  return result.sort((a, b) => a.name.localeCompare(b.name));
}
