import type {
  ColumnFacts,
  FoundPiiKind,
  MaskValue,
  TransformerDefinition,
  TransformerName,
  TransformerTools,
} from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';

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
      const masked = redact(
        value,
        (match) => maskerFor(match.kind)(match.text) ?? `<${match.kind.toUpperCase()}>`,
      );
      return column.length !== undefined && masked.length > column.length
        ? masked.slice(0, column.length)
        : masked;
    };
  },
};
