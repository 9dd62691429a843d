import type { Faker } from '@faker-js/faker';
import { seededFaker } from '../digest-random.ts';
import type {
  MaskValue,
  TransformerDefinition,
  TransformerName,
  TransformerTools,
  ColumnFacts,
} from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';
import { inCaseStyleOf } from './case-style.ts';
import { personNameDraws, type PersonNameDraws } from './person-name-draws.ts';
import { attemptPurpose, firstDifferent, fitLength } from './first-different.ts';

/**
 * A faker-drawn value of the run's locale, seeded from the keyed digest of the source value: the
 * same person gets the same fake name in every table and run, in the source's letter case.
 */
function fakerTransformer(
  name: TransformerName,
  draw: (faker: Faker, names: PersonNameDraws) => string,
): TransformerDefinition {
  return {
    name,
    // Drawn from a dictionary: another person's real name may well come out, so only a row keeping its own value is a leak.
    leakCheck: 'row',
    families: TEXT_FAMILIES,
    create(column: ColumnFacts, tools: TransformerTools): MaskValue {
      const seeded = seededFaker(tools.locale);
      const { faker, random } = seeded;
      const names = personNameDraws(seeded);
      return (value) =>
        fitLength(
          inCaseStyleOf(
            value,
            firstDifferent(value, (attempt) => {
              random.reseed(tools.digest(attemptPurpose(name, attempt), value.trim().toLowerCase()));
              return draw(faker, names);
            }),
          ),
          column.length,
        );
    },
  };
}

export const firstNameTransformer = fakerTransformer('first_name', (_, names) => names.firstName());
export const lastNameTransformer = fakerTransformer('last_name', (_, names) => names.lastName());
export const fullNameTransformer = fakerTransformer(
  'full_name',
  (_, names) => `${names.firstName()} ${names.lastName()}`,
);
export const companyTransformer = fakerTransformer('company', (faker) => faker.company.name());
