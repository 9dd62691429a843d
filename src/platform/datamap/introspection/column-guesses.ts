/** A guess about a column from its name: the data category and, for clear cases, the identity. */
export interface ColumnGuess {
  categories: string[];
  identity?: string;
}

/** Tables whose rows are people: there `id` is the subject's account id and `name` their name. */
const PERSON_TABLE =
  /^(customers?|users?|accounts?|members?|people|persons?|employees?|contacts?|clients?|subscribers?|profiles?|patients?|students?)$/;

interface Rule {
  pattern: RegExp;
  category: string;
  /** Only exact names become identities: `email` yes, `recipient_email` no (it is someone else's). */
  identity?: { name: string; when: RegExp };
}

/** First match wins; patterns are matched against the lower-cased column name. */
const RULES: Rule[] = [
  {
    pattern: /(^|_)e_?mail(_address)?$/,
    category: 'user.contact.email',
    identity: { name: 'email', when: /^e_?mail(_address)?$/ },
  },
  {
    pattern: /(^|_)(phone|mobile|telephone|tel|cell)(_?number|_no)?$/,
    category: 'user.contact.phone_number',
    identity: { name: 'phone', when: /^(phone|mobile)(_?number)?$/ },
  },
  { pattern: /(^|_)fax(_number)?$/, category: 'user.contact.fax_number' },
  { pattern: /^(first_?name|given_?name|forename)$/, category: 'user.name.first' },
  { pattern: /^(last_?name|surname|family_?name)$/, category: 'user.name.last' },
  {
    pattern:
      /^(full_?name|display_?name)$|^(customer|recipient|billing|shipping|contact|holder|account_holder|card_holder)_name$/,
    category: 'user.name',
  },
  { pattern: /(^|_)(ip|ip_address|ip_addr|remote_addr|last_ip)$/, category: 'user.device.ip_address' },
  {
    pattern: /(^|_)(street|address_line_?\d?|address\d?|house_number)$/,
    category: 'user.contact.address.street',
  },
  { pattern: /(^|_)city$|^town$/, category: 'user.contact.address.city' },
  {
    pattern: /(^|_)(zip|zip_?code|postal_?code|post_?code|postcode)$/,
    category: 'user.contact.address.postal_code',
  },
  { pattern: /(^|_)country(_code)?$/, category: 'user.contact.address.country' },
  {
    pattern: /^(birth_?date|date_of_birth|dob|birthday|born_on)$/,
    category: 'user.demographic.date_of_birth',
  },
  { pattern: /^(gender|sex)$/, category: 'user.demographic.gender' },
  { pattern: /(^|_)(iban|bank_account|account_number|bic)$/, category: 'user.financial.bank_account' },
  {
    pattern: /(^|_)(card_number|credit_card|pan|card_last_?4|cc_number)$/,
    category: 'user.financial.credit_card',
  },
  { pattern: /(^|_)(password|password_hash|passwd|pwd_hash)$/, category: 'user.authorization.password' },
  { pattern: /^(username|user_name|login|handle|nickname)$/, category: 'user.account.username' },
  {
    pattern: /(^|_)(ssn|social_security_number|national_id|tax_id|vat_id)$/,
    category: 'user.government_id.national_identification_number',
  },
  { pattern: /(^|_)passport(_number|_no)?$/, category: 'user.government_id.passport_number' },
  { pattern: /(^|_)(drivers?_licen[cs]e(_number)?)$/, category: 'user.government_id.drivers_license_number' },
  {
    pattern: /^(lat|lng|lon|latitude|longitude|geo|geolocation|location)$/,
    category: 'user.location.precise',
  },
  { pattern: /(^|_)device_id$/, category: 'user.device.device_id' },
  { pattern: /(^|_)cookie_id$/, category: 'user.device.cookie_id' },
  { pattern: /(^|_)user_agent$/, category: 'user.device' },
  { pattern: /^(language|locale|preferred_language)$/, category: 'user.demographic.language' },
  { pattern: /(^|_)(avatar|photo|profile_picture|picture)(_url)?$/, category: 'user.content.self_image' },
  { pattern: /^(notes?|comments?|message|body|bio|remarks?)$/, category: 'user.content.private' },
];

/**
 * Guesses categories and identity from a column's name (and its table's, for `id` and `name`).
 * Every guess is marked `review: true` in the draft: names mislead (`state` may be an address or a
 * status), so a human confirms.
 */
export function guessColumn(table: string, column: string): ColumnGuess | undefined {
  const name = column.toLowerCase();
  const personTable = PERSON_TABLE.test(table.toLowerCase());
  if (personTable && name === 'id') return { categories: ['user.unique_id'], identity: 'user_id' };
  if (personTable && name === 'name') return { categories: ['user.name'] };
  if (/^(user|customer|member|account|person)_id$/.test(name)) return { categories: ['user.unique_id'] };
  for (const rule of RULES) {
    if (!rule.pattern.test(name)) continue;
    const guess: ColumnGuess = { categories: [rule.category] };
    if (rule.identity && rule.identity.when.test(name)) guess.identity = rule.identity.name;
    return guess;
  }
  return undefined;
}
