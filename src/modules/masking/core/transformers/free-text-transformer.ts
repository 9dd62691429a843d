import type {
  ColumnFacts,
  FoundPiiKind,
  MaskValue,
  TransformerDefinition,
  TransformerName,
  TransformerTools,
} from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';

/**
 * What the detector may not validate but masking still replaces (over-masking costs nothing in a
 * test copy): anything shaped like an e-mail address or an international phone number, such as a
 * number outside its country's allocated ranges.
 */
const EMAIL_SHAPE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const PHONE_SHAPE = /\+\d[\d ().-]{6,18}\d/g;
// Private-use characters mark the set-aside values: they never occur in database text written by people.
const PLACEHOLDER = /\uE000([0-9a-z]+)\uE001/g;

function placeholder(found: string[], masked: string): string {
  found.push(masked);
  return `\uE000${(found.length - 1).toString(36)}\uE001`;
}

/** The transformer for each kind of finding: the same one the columns use, so a masked e-mail in a note is the masked e-mail of the column. */
const BY_KIND: Record<FoundPiiKind, TransformerName> = {
  email: 'email',
  phone_number: 'phone',
  ip_address: 'ip_address',
  credit_card: 'card_number',
  iban: 'iban',
  national_id: 'national_id',
  postal_address: 'address',
  person_name: 'full_name',
  date_of_birth: 'date_of_birth',
  postal_code: 'postal_code',
  url: 'keyed_token',
  mac_address: 'keyed_token',
};

/**
 * Free text with personal data inside (support notes, comments). With Steward's PII detector each
 * finding is replaced by the masked value its kind's transformer gives (a name by a fake name, an
 * e-mail by the masked e-mail the e-mail columns get), and the rest of the text is kept; without
 * a detector the text is dropped — NULL, or the empty string in a NOT NULL column — and the run
 * report says so, because no keyed substitution can know which words of a sentence are a name.
 */
export const freeTextTransformer: TransformerDefinition = {
  name: 'free_text',
  leakCheck: 'contains',
  families: TEXT_FAMILIES,
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const redact = tools.redactText;
    if (!redact) return column.nullable ? () => null : () => '';
    const inner: ColumnFacts = {
      ...column,
      family: 'text',
      length: undefined,
      nullable: false,
      unique: false,
    };
    const maskers = new Map<FoundPiiKind, MaskValue>();
    const maskerFor = (kind: FoundPiiKind) => {
      let mask = maskers.get(kind);
      if (!mask) maskers.set(kind, (mask = tools.transformerFor(BY_KIND[kind], inner, {})));
      return mask;
    };
    return (value) => {
      // Findings are set aside as placeholders first, so the shape pass below never re-masks a masked value.
      const found: string[] = [];
      const redacted = redact(value, (match) =>
        placeholder(found, maskerFor(match.kind)(match.text) ?? `<${match.kind.toUpperCase()}>`),
      );
      const masked = redacted
        .replace(EMAIL_SHAPE, (text) => placeholder(found, maskerFor('email')(text) ?? '<EMAIL>'))
        .replace(PHONE_SHAPE, (text) =>
          placeholder(found, maskerFor('phone_number')(text) ?? '<PHONE_NUMBER>'),
        )
        .replace(PLACEHOLDER, (_, index: string) => found[parseInt(index, 36)]!);
      return column.length !== undefined && masked.length > column.length
        ? masked.slice(0, column.length)
        : masked;
    };
  },
};
