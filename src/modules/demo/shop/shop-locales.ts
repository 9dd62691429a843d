import { base, de, de_AT, en, en_US, es, Faker, fr, it, nl, type LocaleDefinition } from '@faker-js/faker';

/**
 * The countries the demo shop sells to: a mix of the EU (GDPR) and the US (CCPA/CPRA), each with
 * a faker locale for names and streets, and the formats of its phone numbers and currency.
 */
export interface ShopCountry {
  code: string;
  currency: 'EUR' | 'USD';
  /** Share of customers living there (weights, not percentages). */
  weight: number;
  locale: LocaleDefinition[];
  /** E.164 prefix (country code and the leading digits of a mobile number) and digits after it. */
  phonePrefixes: readonly string[];
  phoneDigits: number;
  /** Whether SEPA direct debit (an IBAN) is offered there. */
  sepa: boolean;
  emailDomains: readonly string[];
}

export const SHOP_COUNTRIES: readonly ShopCountry[] = [
  {
    code: 'US',
    currency: 'USD',
    weight: 35,
    locale: [en_US, en, base],
    phonePrefixes: ['+1212', '+1415', '+1312', '+1617', '+1512', '+1206'],
    phoneDigits: 7,
    sepa: false,
    emailDomains: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'aol.com'],
  },
  {
    code: 'DE',
    currency: 'EUR',
    weight: 20,
    locale: [de, en, base],
    phonePrefixes: ['+49151', '+49160', '+49170', '+49176'],
    phoneDigits: 8,
    sepa: true,
    emailDomains: ['web.de', 'gmx.de', 'gmail.com', 't-online.de'],
  },
  {
    code: 'AT',
    currency: 'EUR',
    weight: 5,
    locale: [de_AT, de, en, base],
    phonePrefixes: ['+43664', '+43676', '+43699'],
    phoneDigits: 7,
    sepa: true,
    emailDomains: ['gmx.at', 'aon.at', 'gmail.com'],
  },
  {
    code: 'FR',
    currency: 'EUR',
    weight: 12,
    locale: [fr, en, base],
    phonePrefixes: ['+336', '+337'],
    phoneDigits: 8,
    sepa: true,
    emailDomains: ['orange.fr', 'free.fr', 'gmail.com', 'laposte.net'],
  },
  {
    code: 'NL',
    currency: 'EUR',
    weight: 10,
    locale: [nl, en, base],
    phonePrefixes: ['+316'],
    phoneDigits: 8,
    sepa: true,
    emailDomains: ['ziggo.nl', 'kpnmail.nl', 'gmail.com'],
  },
  {
    code: 'ES',
    currency: 'EUR',
    weight: 10,
    locale: [es, en, base],
    phonePrefixes: ['+346', '+347'],
    phoneDigits: 8,
    sepa: true,
    emailDomains: ['telefonica.net', 'gmail.com', 'hotmail.es'],
  },
  {
    code: 'IT',
    currency: 'EUR',
    weight: 8,
    locale: [it, en, base],
    phonePrefixes: ['+393'],
    phoneDigits: 9,
    sepa: true,
    emailDomains: ['libero.it', 'virgilio.it', 'gmail.com'],
  },
];

/** One faker per country, all seeded from the shop seed so the whole run is reproducible. */
export function createCountryFakers(seed: number): Map<string, Faker> {
  return new Map(
    SHOP_COUNTRIES.map((country, index) => {
      const faker = new Faker({ locale: country.locale });
      faker.seed(seed * 31 + index + 1);
      return [country.code, faker];
    }),
  );
}
