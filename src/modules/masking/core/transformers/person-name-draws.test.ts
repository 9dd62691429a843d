import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededFaker } from '../digest-random.ts';
import { personNameDraws } from './person-name-draws.ts';

/** Locales with every shape faker's person data takes: generic lists or not, weighted and double-name patterns, sexed last names. */
const LOCALES = [
  'de',
  'en',
  'en_US',
  'fr',
  'es',
  'it',
  'nl',
  'pl',
  'ru',
  'sv',
  'ja',
  'zh_CN',
  'pt_BR',
  'de_AT',
];

describe('person names drawn straight from the locale lists', () => {
  it('are drawn directly for the usual locales and equal faker on every seed, leaving the stream where faker leaves it', () => {
    for (const locale of LOCALES) {
      const seeded = seededFaker(locale);
      const names = personNameDraws(seeded);
      assert.equal(names.direct, true, locale);
      const seed = Buffer.alloc(16);
      for (let i = 0; i < 3000; i++) {
        seed.writeUInt32LE(i, 0);
        seed.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, 4);
        seeded.random.reseed(seed);
        const direct = [names.firstName(), names.lastName(), names.firstName(), seeded.random.next()];
        seeded.random.reseed(seed);
        const faker = [
          seeded.faker.person.firstName(),
          seeded.faker.person.lastName(),
          seeded.faker.person.firstName(),
          seeded.random.next(),
        ];
        assert.deepEqual(direct, faker, `${locale} seed ${i}`);
      }
    }
  });
});
