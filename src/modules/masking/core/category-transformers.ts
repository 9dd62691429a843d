import type { ColumnFamily } from '../../../platform/datamap/datamap-types.ts';
import type { LeakCheckMode, TransformerName } from './transformer.ts';

/**
 * Which transformer a fideslang data category implies, most specific key first (the longest
 * matching prefix wins: `user.contact.address.city` → city, `user.contact.address` → address).
 * Special categories (GDPR Art. 9: health, biometrics, beliefs, orientation) and criminal data
 * (Art. 10) are dropped: a test system has no use for them that would justify a fake.
 */
const BY_CATEGORY: [prefix: string, transformer: TransformerName][] = [
  ['user.name.first', 'first_name'],
  ['user.name.last', 'last_name'],
  ['user.name', 'full_name'],
  ['user.pets.name', 'first_name'],
  ['user.contact.email', 'email'],
  ['user.contact.emial', 'email'],
  ['user.contact.phone_number', 'phone'],
  ['user.contact.fax_number', 'phone'],
  ['user.contact.address.street', 'street_address'],
  ['user.contact.address.city', 'city'],
  ['user.contact.address.postal_code', 'postal_code'],
  ['user.contact.address.state', 'state'],
  ['user.contact.address.country', 'country'],
  ['user.contact.address', 'address'],
  ['user.contact.organization', 'company'],
  ['user.workplace', 'company'],
  ['user.professional_information.workplace', 'company'],
  ['user.demographic.date_of_birth', 'date_of_birth'],
  ['user.demographic.age_range', 'generalise'],
  ['user.demographic.race_ethnicity', 'null'],
  ['user.demographic.religious_belief', 'null'],
  ['user.demographic.sexual_orientation', 'null'],
  ['user.demographic.political_opinion', 'null'],
  ['user.demographic.philosophical_belief', 'null'],
  ['user.demographic.union_membership', 'null'],
  ['user.demographic.citizenship_or_immigration_status', 'null'],
  ['user.government_id.national_identification_number', 'national_id'],
  ['user.government_id', 'keyed_token'],
  ['user.financial.bank_account', 'iban'],
  ['user.bank_account', 'iban'],
  ['user.financial.credit_card', 'card_number'],
  ['user.payment', 'card_number'],
  ['user.device.ip_address', 'ip_address'],
  ['user.content', 'free_text'],
  ['user.health', 'null'],
  ['user.health_and_medical', 'null'],
  ['user.biometric', 'null'],
  ['user.biometrics', 'null'],
  ['user.criminal_history', 'null'],
];

/** True for categories that describe a person (fideslang's `user` tree); `system.*` and others are not personal. */
export function isPersonalCategory(category: string): boolean {
  return category === 'user' || category.startsWith('user.');
}

/** The transformer of the most specific category that has one; undefined when none does. */
export function transformerForCategories(
  categories: readonly string[],
): { transformer: TransformerName; category: string } | undefined {
  let best: { transformer: TransformerName; category: string; length: number } | undefined;
  for (const category of categories) {
    for (const [prefix, transformer] of BY_CATEGORY) {
      const matches = category === prefix || category.startsWith(`${prefix}.`);
      if (matches && (!best || prefix.length > best.length))
        best = { transformer, category, length: prefix.length };
    }
  }
  return best && { transformer: best.transformer, category: best.category };
}

/**
 * The transformer for a personal column whose category names none, or whose category's does not
 * fit the column's type: keyed tokens keep text's shape, integers are permuted, amounts get noise, dates move, JSON is masked
 * leaf by leaf. Booleans and enums say nothing about who someone is on their own and are kept.
 */
export function transformerForFamily(
  family: ColumnFamily,
  nullable: boolean,
): { transformer: TransformerName; leakCheck?: LeakCheckMode } {
  switch (family) {
    case 'text':
    case 'uuid':
    case 'other':
      return { transformer: 'keyed_token' };
    case 'integer':
      // Integer columns holding personal data are mostly keys and numbers people are known by:
      // a keyed permutation keeps them unique and joinable.
      return { transformer: 'keyed_id' };
    case 'decimal':
    case 'float':
      return { transformer: 'numeric_noise' };
    case 'date':
    case 'timestamp':
      return { transformer: 'date_shift' };
    case 'json':
      return { transformer: 'json' };
    case 'boolean':
    case 'enum':
      return { transformer: 'keep', leakCheck: 'none' };
    case 'time':
    case 'binary':
    case 'array':
      return nullable ? { transformer: 'null' } : { transformer: 'keep' };
  }
}
