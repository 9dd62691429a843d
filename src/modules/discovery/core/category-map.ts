import type { PiiType } from '../../../platform/pii/index.ts';

/** The fideslang category a value of each PII type belongs to. */
export const CATEGORY_OF_TYPE: Record<PiiType, string> = {
  email: 'user.contact.email',
  phone_number: 'user.contact.phone_number',
  ip_address: 'user.device.ip_address',
  credit_card: 'user.financial.credit_card',
  iban: 'user.financial.bank_account',
  national_id: 'user.government_id.national_identification_number',
  postal_address: 'user.contact.address.street',
  person_name: 'user.name',
  date_of_birth: 'user.demographic.date_of_birth',
  postal_code: 'user.contact.address.postal_code',
  url: 'user.contact.url',
  mac_address: 'user.device.device_id',
};

/**
 * Types whose validators check structure or a checksum (RFC 5322 shape, libphonenumber, Luhn,
 * mod-97, national-id check digits, IP syntax): when most sampled values pass, the column holds
 * that data whatever it is called. The others (names, dates, postcodes) only support a name.
 */
export const DECISIVE_TYPES: ReadonlySet<PiiType> = new Set([
  'email',
  'phone_number',
  'ip_address',
  'credit_card',
  'iban',
  'national_id',
  'mac_address',
]);

/** Address parts: personal only where the rows are people (a warehouse's city is not). */
export const ADDRESS_CATEGORIES: ReadonlySet<string> = new Set([
  'user.contact.address.street',
  'user.contact.address.city',
  'user.contact.address.postal_code',
  'user.contact.address.country',
  'user.contact.address.state',
]);

/** The categories the column classifier decides between (the "common categories" it is measured on). */
export const COMMON_CATEGORIES = [
  'user.contact.email',
  'user.contact.phone_number',
  'user.contact.address.street',
  'user.contact.address.city',
  'user.contact.address.postal_code',
  'user.contact.address.country',
  'user.name',
  'user.name.first',
  'user.name.last',
  'user.demographic.date_of_birth',
  'user.demographic.gender',
  'user.government_id.national_identification_number',
  'user.government_id.passport_number',
  'user.financial.bank_account',
  'user.financial.credit_card',
  'user.device.ip_address',
  'user.account.username',
  'user.authorization.password',
] as const;
