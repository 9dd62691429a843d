/**
 * What a column's name says, in English, German and French: `email`, `e_mail`, `courriel`,
 * `telefon`, `vorname`/`nachname`, `nom`/`prenom`, `geburtsdatum`, `strasse`/`rue` … Names are
 * normalised first (camelCase split, accents dropped, separators as `_`), so `PostalCode`,
 * `code_postal` and `Postleitzahl` all reach their rule.
 */
export interface NameSignal {
  category: string;
  /** 0..1: how sure the name alone makes us. */
  weight: number;
  /** The part of the name that matched (a column name is not personal data). */
  token: string;
}

interface Rule {
  pattern: RegExp;
  category: string;
  weight: number;
}

const W = (pattern: string) => new RegExp(`(?:^|_)(?:${pattern})(?:_|$)`);
const STRONG = 0.75;
const MEDIUM = 0.55;
const WEAK = 0.35;

/** Names that look personal but hold flags, counts, times or settings: they stop the rules. */
const NOT_A_VALUE = W(
  'verified|confirmed|opt_?in|optin|consent|enabled|count|sent|bounced|status|template|server|host|port|type|format|hash_algo|valid|is|has|at|on|date_changed|updated|changed|length|len',
);
/** Suffixes that make a name an id, a time or a flag rather than the value itself. */
const SUFFIX_NOT_A_VALUE = /_(at|on|id|ids|count|flag|verified|confirmed|sent|status|type|template)$/;

const RULES: Rule[] = [
  {
    pattern: W('e_?mail|email_?address|e_?mail_?adresse|courriel|mel|adresse_?e?_?mail|mail'),
    category: 'user.contact.email',
    weight: STRONG,
  },
  {
    pattern: W(
      'phone|phone_?number|telephone|tel|telefon|telefonnummer|tel_?nr|mobile|mobil|mobilnummer|handy|cell|portable|numero_?de_?telephone|fax',
    ),
    category: 'user.contact.phone_number',
    weight: STRONG,
  },
  {
    pattern: W('first_?name|given_?name|forename|vorname|prenom|firstname'),
    category: 'user.name.first',
    weight: STRONG,
  },
  {
    pattern: W('last_?name|surname|family_?name|nachname|familienname|nom_?de_?famille|lastname'),
    category: 'user.name.last',
    weight: STRONG,
  },
  {
    pattern: W(
      'full_?name|display_?name|customer_?name|contact_?name|recipient_?name|holder_?name|account_?holder|card_?holder|nom_?complet|vollstandiger_?name',
    ),
    category: 'user.name',
    weight: STRONG,
  },
  { pattern: W('nom|name'), category: 'user.name', weight: WEAK },
  {
    pattern: W(
      'birth_?date|date_?of_?birth|dob|birthday|born_?on|geburtsdatum|geburtstag|date_?de_?naissance|date_?naissance|naissance',
    ),
    category: 'user.demographic.date_of_birth',
    weight: STRONG,
  },
  {
    pattern: W(
      'street|street_?address|address_?line_?\\d?|addr_?line_?\\d?|strasse|str|hausnummer|house_?number|rue|adresse_?ligne_?\\d?|voie',
    ),
    category: 'user.contact.address.street',
    weight: STRONG,
  },
  { pattern: W('address|adresse|anschrift|addr'), category: 'user.contact.address.street', weight: MEDIUM },
  {
    pattern: W('city|town|stadt|ort|wohnort|ville|commune|locality'),
    category: 'user.contact.address.city',
    weight: STRONG,
  },
  {
    pattern: W('zip|zip_?code|postal_?code|post_?code|postcode|postleitzahl|plz|code_?postal|cp|npa'),
    category: 'user.contact.address.postal_code',
    weight: STRONG,
  },
  { pattern: W('country|country_?code|land|pays'), category: 'user.contact.address.country', weight: MEDIUM },
  {
    pattern: W('state|province|region|bundesland|departement'),
    category: 'user.contact.address.state',
    weight: WEAK,
  },
  { pattern: W('gender|sex|geschlecht|sexe|genre'), category: 'user.demographic.gender', weight: STRONG },
  {
    pattern: W(
      'ssn|social_?security(_?number)?|national_?id|national_?insurance|nino|tax_?id|steuer_?id|steuernummer|steuer_?nr|id_?nr|insee|nir|numero_?securite_?sociale|secu|sozialversicherungsnummer|sv_?nr|personalausweis|ausweis_?nr',
    ),
    category: 'user.government_id.national_identification_number',
    weight: STRONG,
  },
  {
    pattern: W('passport(_?number|_?no|_?nr)?|reisepass|passeport'),
    category: 'user.government_id.passport_number',
    weight: STRONG,
  },
  {
    pattern: W('iban|bank_?account|account_?number|kontonummer|bic|swift|rib'),
    category: 'user.financial.bank_account',
    weight: STRONG,
  },
  {
    pattern: W(
      'card_?number|credit_?card|cc_?number|pan|kreditkarte|kartennummer|carte_?bancaire|numero_?de_?carte',
    ),
    category: 'user.financial.credit_card',
    weight: STRONG,
  },
  {
    pattern: W('ip|ip_?address|ip_?addr|remote_?addr|client_?ip|last_?ip|ip_?adresse|adresse_?ip'),
    category: 'user.device.ip_address',
    weight: STRONG,
  },
  {
    pattern: W('username|user_?name|login|handle|nickname|benutzername|pseudo|identifiant'),
    category: 'user.account.username',
    weight: MEDIUM,
  },
  {
    pattern: W('password|passwd|pwd|password_?hash|passwort|kennwort|mot_?de_?passe|mdp'),
    category: 'user.authorization.password',
    weight: STRONG,
  },
];

/** `PostalCode` → `postal_code`; `prénom` → `prenom`; `E-Mail` → `e_mail`. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** The categories a column's name points at, strongest first; none for flags, times and ids. */
export function nameSignals(column: string): NameSignal[] {
  const name = normaliseName(column);
  const governmentId = /(^|_)(tax|national|steuer|vat)_id$/.test(name);
  if ((SUFFIX_NOT_A_VALUE.test(name) && !governmentId) || /^(is|has)_/.test(name)) return [];
  const signals: NameSignal[] = [];
  for (const rule of RULES) {
    const match = rule.pattern.exec(name);
    if (!match) continue;
    if (signals.some((s) => s.category === rule.category)) continue;
    // `email_template`, `phone_verified`: the personal word qualifies something else.
    const rest = name.replace(match[0], '_');
    const weight = NOT_A_VALUE.test(rest) ? rule.weight * 0.3 : rule.weight;
    signals.push({ category: rule.category, weight, token: match[0].replace(/^_|_$/g, '') });
  }
  return signals.sort((a, b) => b.weight - a.weight);
}
