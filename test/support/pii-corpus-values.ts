// Value makers for the labelled PII corpus: realistic values per language drawn from a seeded faker,
// each returned with the part of it that is the labelled span (an honorific is not part of a name).
import { Faker, base, de, en, en_GB, en_US, fr } from '@faker-js/faker';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { stdnum } from 'stdnum';
import type { Language, PiiType } from '../../src/platform/pii/index.ts';

export interface SlotValue {
  text: string;
  type?: PiiType;
  /** The labelled part of `text` as [start, end); the whole text when absent. */
  span?: [number, number];
}

export type SlotMaker = (faker: Faker, language: Language) => SlotValue;

export function fakerFor(language: Language, seed: number, variant: 'us' | 'gb' = 'us'): Faker {
  const locale =
    language === 'de'
      ? [de, en, base]
      : language === 'fr'
        ? [fr, en, base]
        : [variant === 'gb' ? en_GB : en_US, en, base];
  const faker = new Faker({ locale });
  faker.seed(seed);
  return faker;
}

const digits = (faker: Faker, count: number) =>
  faker.string.numeric({ length: count, allowLeadingZeros: true });
const labelled = (type: PiiType, text: string): SlotValue => ({ text, type });

/** Rejection-samples a number until stdnum accepts it: national ids are defined by their checksum. */
function validId(faker: Faker, make: () => string, country: string, scheme: string): string {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const candidate = make();
    if (stdnum[country]![scheme]!.validate(candidate).isValid) return candidate;
  }
  throw new Error(`no valid ${country}.${scheme} generated`);
}

/** A phone number in a format people write, real by the numbering plan (libphonenumber's metadata). */
function phone(faker: Faker, language: Language): string {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const candidate = phoneCandidate(faker, language);
    const region =
      language === 'de' ? 'DE' : language === 'fr' ? 'FR' : candidate.startsWith('+44') ? 'GB' : 'US';
    if (parsePhoneNumberFromString(candidate, region)?.isValid()) return candidate;
  }
  throw new Error(`no valid ${language} phone number generated`);
}

function phoneCandidate(faker: Faker, language: Language): string {
  const international = faker.number.int(3) === 0;
  const subscriber = (length: number) =>
    `${faker.number.int({ min: 1, max: 9 })}${digits(faker, length - 1)}`;
  if (language === 'de') {
    const mobile = faker.helpers.arrayElement([
      '151',
      '152',
      '160',
      '170',
      '171',
      '172',
      '175',
      '176',
      '177',
      '179',
    ]);
    const area = faker.helpers.arrayElement([
      '30',
      '40',
      '89',
      '69',
      '221',
      '711',
      '211',
      '351',
      '341',
      '511',
    ]);
    const [prefix, rest] = faker.datatype.boolean()
      ? [mobile, subscriber(faker.helpers.arrayElement([7, 8]))]
      : [area, subscriber(10 - area.length)];
    if (international) return `+49 ${prefix} ${rest}`;
    return faker.helpers.arrayElement([
      `0${prefix} ${rest}`,
      `0${prefix}/${rest}`,
      `0${prefix}-${rest}`,
      `(0${prefix}) ${rest}`,
    ]);
  }
  if (language === 'fr') {
    const first = faker.helpers.arrayElement(['1', '2', '3', '4', '5', '6', '7', '9']);
    const pairs = Array.from({ length: 4 }, () => digits(faker, 2));
    if (international) return `+33 ${first} ${pairs.join(' ')}`;
    const separator = faker.helpers.arrayElement([' ', '.', '-', '']);
    return `0${first}${separator}${pairs.join(separator)}`;
  }
  const area = faker.helpers.arrayElement([
    '212',
    '415',
    '312',
    '617',
    '206',
    '303',
    '512',
    '646',
    '702',
    '818',
    '904',
  ]);
  const exchange = `${faker.number.int({ min: 2, max: 9 })}${digits(faker, 2)}`;
  const line = digits(faker, 4);
  if (faker.number.int(4) === 0) return `+44 20 7${digits(faker, 3)} ${digits(faker, 4)}`;
  if (international) return `+1 ${area}-${exchange}-${line}`;
  return faker.helpers.arrayElement([
    `(${area}) ${exchange}-${line}`,
    `${area}-${exchange}-${line}`,
    `${area}.${exchange}.${line}`,
  ]);
}

function nationalId(faker: Faker, language: Language): string {
  if (language === 'de') {
    return faker.datatype.boolean()
      ? validId(
          faker,
          () => `${faker.number.int({ min: 1, max: 9 })}${digits(faker, 10)}`,
          'DE',
          'idnr',
        ).replace(/^(\d{2})(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3 $4')
      : validId(
          faker,
          () =>
            `${digits(faker, 2)}${faker.date
              .birthdate()
              .toISOString()
              .slice(2, 10)
              .replace(/-/g, '')
              .replace(
                /^(\d\d)(\d\d)(\d\d)$/,
                '$3$2$1',
              )}${faker.string.alpha({ casing: 'upper', length: 1 })}${digits(faker, 3)}`,
          'DE',
          'svnr',
        );
  }
  if (language === 'fr') {
    const body = `${faker.helpers.arrayElement(['1', '2'])}${digits(faker, 2)}${String(faker.number.int({ min: 1, max: 12 })).padStart(2, '0')}${String(faker.number.int({ min: 1, max: 95 })).padStart(2, '0')}${digits(faker, 6)}`;
    const key = String(97 - Number(BigInt(body) % 97n)).padStart(2, '0');
    const nir = `${body}${key}`;
    return faker.datatype.boolean()
      ? nir
      : nir.replace(/^(\d)(\d{2})(\d{2})(\d{2})(\d{3})(\d{3})(\d{2})$/, '$1 $2 $3 $4 $5 $6 $7');
  }
  if (faker.datatype.boolean()) {
    // HMRC never issues these prefixes (stdnum rejects them too).
    const letters = 'ABCEGHJKLMNPRSTWXYZ'.split('');
    const unissued = ['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'];
    const prefix = faker.helpers.arrayElement(
      letters
        .flatMap((a) => letters.map((b) => a + b))
        .filter((pair) => !unissued.includes(pair) && !'O'.includes(pair[1]!)),
    );
    return `${prefix} ${digits(faker, 2)} ${digits(faker, 2)} ${digits(faker, 2)} ${faker.helpers.arrayElement(['A', 'B', 'C', 'D'])}`;
  }
  return `${faker.number.int({ min: 100, max: 665 })}-${String(faker.number.int({ min: 1, max: 99 })).padStart(2, '0')}-${String(faker.number.int({ min: 1, max: 9999 })).padStart(4, '0')}`;
}

const MONTHS: Record<Language, string[]> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  fr: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
};

function birthDate(faker: Faker, language: Language): string {
  const date = faker.date.birthdate({ mode: 'age', min: 18, max: 90 });
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  const pad = (value: number) => String(value).padStart(2, '0');
  const style = faker.number.int(2);
  if (style === 0) return `${year}-${pad(month)}-${pad(day)}`;
  if (language === 'en')
    return style === 1 ? `${pad(month)}/${pad(day)}/${year}` : `${MONTHS.en[month - 1]} ${day}, ${year}`;
  if (language === 'de')
    return style === 1 ? `${pad(day)}.${pad(month)}.${year}` : `${day}. ${MONTHS.de[month - 1]} ${year}`;
  return style === 1
    ? `${pad(day)}/${pad(month)}/${year}`
    : `${day === 1 ? '1er' : day} ${MONTHS.fr[month - 1]} ${year}`;
}

function address(faker: Faker, language: Language): string {
  const street = faker.location.streetAddress();
  const city = faker.location.city();
  const zip = faker.location.zipCode('#####');
  if (language === 'de')
    return faker.datatype.boolean() ? `${street}, ${zip} ${city}` : `${street}\n${zip} ${city}`;
  if (language === 'fr')
    return faker.datatype.boolean() ? `${street}, ${zip} ${city}` : `${street}\n${zip} ${city}`;
  const state = faker.location.state({ abbreviated: true });
  return faker.helpers.arrayElement([
    `${street}, ${city}, ${state} ${zip}`,
    `${street}\n${city}, ${state} ${zip}`,
    street,
  ]);
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tas',
  'vel',
  'dor',
  'bri',
  'sen',
  'ul',
  'an',
  'ro',
  'ne',
  'is',
  'thar',
  'gwe',
  'ko',
  'zu',
  'lia',
  'mer',
];

/** A pronounceable name from no list, e.g. "Velmiro Tasuldor". */
function inventedName(faker: Faker): string {
  const word = (count: number) => {
    const text = Array.from({ length: count }, () => faker.helpers.arrayElement(SYLLABLES)).join('');
    return text[0]!.toUpperCase() + text.slice(1);
  };
  return `${word(faker.number.int({ min: 2, max: 3 }))} ${word(faker.number.int({ min: 2, max: 4 }))}`;
}

const HONORIFICS: Record<Language, string[]> = {
  en: ['Mr.', 'Mrs.', 'Ms.', 'Dr.'],
  de: ['Herr', 'Frau', 'Dr.'],
  fr: ['M.', 'Mme', 'Dr'],
};

/** Every slot a template can name. PII slots carry their type; the others are realistic non-PII noise. */
export const SLOT_MAKERS: Record<string, SlotMaker> = {
  // One name in four is invented: rare and foreign names that no name list holds, found by context only.
  name: (faker) =>
    labelled(
      'person_name',
      faker.number.int(3) === 0
        ? inventedName(faker)
        : `${faker.person.firstName()} ${faker.person.lastName()}`,
    ),
  first: (faker) => labelled('person_name', faker.person.firstName()),
  titled: (faker, language) => {
    const title = faker.helpers.arrayElement(HONORIFICS[language]);
    const name = faker.datatype.boolean()
      ? faker.person.lastName()
      : `${faker.person.firstName()} ${faker.person.lastName()}`;
    return {
      text: `${title} ${name}`,
      type: 'person_name',
      span: [title.length + 1, title.length + 1 + name.length],
    };
  },
  email: (faker) => labelled('email', faker.internet.email().toLowerCase()),
  phone: (faker, language) => labelled('phone_number', phone(faker, language)),
  ip: (faker) =>
    labelled('ip_address', faker.number.int(4) === 0 ? faker.internet.ipv6() : faker.internet.ipv4()),
  card: (faker) => {
    const number = faker.finance.creditCardNumber(
      faker.helpers.arrayElement(['visa', 'mastercard', 'american_express', 'discover']),
    );
    return labelled('credit_card', faker.datatype.boolean() ? number : number.replace(/-/g, ' '));
  },
  iban: (faker, language) => {
    const country =
      language === 'de'
        ? 'DE'
        : language === 'fr'
          ? 'FR'
          : faker.helpers.arrayElement(['GB', 'NL', 'ES', 'IT']);
    return labelled('iban', faker.finance.iban({ formatted: faker.number.int(3) > 0, countryCode: country }));
  },
  nationalId: (faker, language) => labelled('national_id', nationalId(faker, language)),
  dob: (faker, language) => labelled('date_of_birth', birthDate(faker, language)),
  address: (faker, language) => labelled('postal_address', address(faker, language)),
  zip: (faker) => labelled('postal_code', faker.location.zipCode('#####')),
  url: (faker) =>
    labelled(
      'url',
      `https://${faker.internet.domainName()}/users/${faker.internet.username().toLowerCase()}`,
    ),
  mac: (faker) => labelled('mac_address', faker.internet.mac()),
  // Hard negatives: numbers and words that look like PII to a naive detector.
  order: (faker) => ({ text: digits(faker, faker.helpers.arrayElement([8, 10, 12, 16])) }),
  uuid: (faker) => ({ text: faker.string.uuid() }),
  version: (faker) => ({ text: `${faker.number.int(9)}.${faker.number.int(20)}.${faker.number.int(40)}` }),
  timestamp: (faker) => ({ text: faker.date.recent({ days: 30 }).toISOString() }),
  price: (faker) => ({ text: faker.commerce.price({ min: 5, max: 2000 }) }),
  isbn: (faker) => ({ text: faker.commerce.isbn(13) }),
  sku: (faker) => ({ text: `${faker.string.alpha({ length: 3, casing: 'upper' })}-${digits(faker, 6)}` }),
  product: (faker) => ({ text: faker.commerce.productName() }),
  city: (faker) => ({ text: faker.location.city() }),
  count: (faker) => ({ text: String(faker.number.int({ min: 2, max: 400 })) }),
  hex: (faker) => ({ text: faker.string.hexadecimal({ length: 12, casing: 'lower', prefix: '' }) }),
};
