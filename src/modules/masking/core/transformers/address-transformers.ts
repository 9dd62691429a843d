import type { Faker } from '@faker-js/faker';
import { seededFaker } from '../digest-random.ts';
import type {
  ColumnFacts,
  MaskValue,
  TransformerDefinition,
  TransformerName,
  TransformerTools,
} from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';
import { inCaseStyleOf } from './case-style.ts';
import { attemptPurpose, firstDifferent, fitLength } from './first-different.ts';

/** Address parts from the run's faker locale, seeded by the keyed digest of the source value. */
function addressTransformer(
  name: TransformerName,
  draw: (faker: Faker, source: string) => string,
): TransformerDefinition {
  return {
    name,
    // Street names and house numbers are a small space too: another person's real street may come out.
    leakCheck: 'row',
    families: TEXT_FAMILIES,
    create(column: ColumnFacts, tools: TransformerTools): MaskValue {
      const { faker, random } = seededFaker(tools.locale);
      return (value) =>
        fitLength(
          inCaseStyleOf(
            value,
            firstDifferent(value, (attempt) => {
              random.reseed(tools.digest(attemptPurpose(name, attempt), value.trim().toLowerCase()));
              return draw(faker, value);
            }),
          ),
          column.length,
        );
    },
  };
}

export const streetAddressTransformer = addressTransformer('street_address', (faker) =>
  faker.location.streetAddress(),
);
export const cityTransformer = addressTransformer('city', (faker) => faker.location.city());
export const postalCodeTransformer = addressTransformer('postal_code', (faker, source) =>
  // Keep the source's shape (`10115`, `SW1A 1AA`) when the locale's format differs from it.
  /^\d+$/.test(source.trim())
    ? faker.string.numeric({ length: source.trim().length, allowLeadingZeros: true })
    : faker.location.zipCode(),
);
export const stateTransformer = addressTransformer('state', (faker) => faker.location.state());
export const countryTransformer = addressTransformer('country', (faker, source) =>
  /^[A-Za-z]{2}$/.test(source.trim()) ? faker.location.countryCode('alpha-2') : faker.location.country(),
);
export const addressTransformerFull = addressTransformer(
  'address',
  (faker) => `${faker.location.streetAddress()}, ${faker.location.zipCode()} ${faker.location.city()}`,
);
