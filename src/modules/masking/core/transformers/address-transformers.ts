import type { Faker } from '@faker-js/faker';
import { seededFaker, type DigestRandom } from '../digest-random.ts';
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
  draw: (faker: Faker, source: string, random: DigestRandom) => string,
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
              return draw(faker, value, random);
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
export const postalCodeTransformer = addressTransformer('postal_code', (faker, source, random) =>
  // Keep the source's shape (`10115`, `SW1A 1AA`) when the locale's format differs from it.
  /^\d+$/.test(source.trim()) ? numericDraw(source.trim().length, random) : faker.location.zipCode(),
);

/** faker.string.numeric({ length, allowLeadingZeros: true }) without faker: one draw per digit, in faker's order. */
function numericDraw(length: number, random: DigestRandom): string {
  let digits = '';
  for (let i = 0; i < length; i++) digits += Math.floor(random.next() * 10);
  return digits;
}
export const stateTransformer = addressTransformer('state', (faker) => faker.location.state());
export const countryTransformer = addressTransformer('country', (faker, source) =>
  /^[A-Za-z]{2}$/.test(source.trim()) ? faker.location.countryCode('alpha-2') : faker.location.country(),
);
export const addressTransformerFull = addressTransformer(
  'address',
  (faker) => `${faker.location.streetAddress()}, ${faker.location.zipCode()} ${faker.location.city()}`,
);
