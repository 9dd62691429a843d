import { loadOnFirstUse } from '../../../kernel/runtime/load-on-first-use.ts';
import { isGermanIdCardNumber } from './icao-check-digit.ts';

/**
 * One kind of national identifier: how it looks in text, how it is validated (stdnum's checksum
 * implementations), how telling it is without context, and the words that name it.
 */
export interface NationalIdKind {
  /** `country.scheme`, e.g. `fr.nir`; reported as the finding's subtype. */
  subtype: string;
  /** Global, sticky-free pattern for candidates in free text. */
  pattern: RegExp;
  /** The whole-value shape (anchored) used by classifyValue. */
  shape: RegExp;
  isValid(value: string): boolean;
  /**
   * Score of a valid candidate with no context word nearby. Low for bare digit runs whose checksum
   * passes by chance often (NL BSN: 1 in 11), high for structured ones (IT codice fiscale).
   */
  baseScore: number;
  /** Lower-case words that name this identifier, any language; one nearby raises the score. */
  contextWords: readonly string[];
}

// Loaded on the first national-id check: stdnum's checksum tables cost every process ~10 MB.
const stdnumLibrary = loadOnFirstUse<typeof import('stdnum')>('stdnum');

const stdnumCheck =
  (country: string, scheme: string) =>
  (value: string): boolean => {
    const validator = stdnumLibrary().stdnum[country]?.[scheme];
    return validator ? validator.validate(value).isValid : false;
  };

export const NATIONAL_ID_KINDS: readonly NationalIdKind[] = [
  {
    subtype: 'us.ssn',
    pattern: /(?<![\w-])\d{3}[- ]\d{2}[- ]\d{4}(?![\w-])|(?<![\w-])\d{9}(?![\w-])/g,
    shape: /^\d{3}-?\d{2}-?\d{4}$/,
    isValid: (value) => stdnumCheck('US', 'ssn')(value.replace(/ /g, '-')),
    baseScore: 0.4,
    contextWords: ['ssn', 'social security', 'ss#', 'ss #', 'tax id', 'taxpayer'],
  },
  {
    subtype: 'fr.nir',
    pattern: /(?<![\w])[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w])/g,
    shape: /^[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}$/,
    isValid: stdnumCheck('FR', 'nir'),
    baseScore: 0.75,
    contextWords: [
      'sécurité sociale',
      'securite sociale',
      'nir',
      'insee',
      'numéro de sécu',
      'carte vitale',
      'social security',
    ],
  },
  {
    subtype: 'de.idnr',
    pattern: /(?<![\w.-])[1-9]\d ?\d{3} ?\d{3} ?\d{3}(?![\w-]|[.,]\d)/g,
    shape: /^[1-9]\d ?\d{3} ?\d{3} ?\d{3}$/,
    isValid: stdnumCheck('DE', 'idnr'),
    baseScore: 0.35,
    contextWords: [
      'steuer-id',
      'steuerid',
      'steuer-idnr',
      'idnr',
      'identifikationsnummer',
      'steueridentifikationsnummer',
      'tax id',
      'tin',
    ],
  },
  {
    subtype: 'de.svnr',
    pattern: /(?<![\w])\d{2} ?\d{6} ?[A-Z] ?\d{3}(?![\w])/g,
    shape: /^\d{2} ?\d{6} ?[A-Z] ?\d{3}$/,
    isValid: stdnumCheck('DE', 'svnr'),
    baseScore: 0.7,
    contextWords: [
      'sozialversicherungsnummer',
      'rentenversicherungsnummer',
      'sv-nummer',
      'versicherungsnummer',
      'social security',
    ],
  },
  {
    subtype: 'de.idcard',
    pattern: /(?<![\w])[CFGHJKLMNPRTVWXYZ][0-9CFGHJKLMNPRTVWXYZ]{8}\d(?![\w])/g,
    shape: /^[CFGHJKLMNPRTVWXYZ][0-9CFGHJKLMNPRTVWXYZ]{8} ?\d$/,
    isValid: isGermanIdCardNumber,
    baseScore: 0.45,
    contextWords: [
      'personalausweis',
      'ausweisnummer',
      'ausweis-nr',
      'ausweis',
      'id card',
      'identity card',
      'reisepass',
      'passport',
      'passnummer',
    ],
  },
  {
    subtype: 'gb.nino',
    pattern: /(?<![\w])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])/g,
    shape: /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/i,
    isValid: stdnumCheck('GB', 'nino'),
    baseScore: 0.75,
    contextWords: ['national insurance', 'nino', 'ni number', 'ni no'],
  },
  {
    subtype: 'es.dni',
    pattern: /(?<![\w])\d{8}-?[A-HJ-NP-TV-Z](?![\w])/g,
    shape: /^\d{8}-?[A-HJ-NP-TV-Z]$/i,
    isValid: stdnumCheck('ES', 'dni'),
    baseScore: 0.7,
    contextWords: ['dni', 'nif', 'documento nacional', 'identity card', "carte d'identité", 'ausweis'],
  },
  {
    subtype: 'es.nie',
    pattern: /(?<![\w])[XYZ]-?\d{7}-?[A-HJ-NP-TV-Z](?![\w])/g,
    shape: /^[XYZ]-?\d{7}-?[A-HJ-NP-TV-Z]$/i,
    isValid: stdnumCheck('ES', 'nie'),
    baseScore: 0.75,
    contextWords: ['nie', 'extranjero', 'residence', 'foreigner'],
  },
  {
    subtype: 'it.codicefiscale',
    pattern: /(?<![\w])[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![\w])/g,
    shape: /^[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]$/i,
    isValid: stdnumCheck('IT', 'codicefiscale'),
    baseScore: 0.9,
    contextWords: ['codice fiscale', 'cf', 'tax code', 'fiscal code'],
  },
  {
    subtype: 'nl.bsn',
    pattern: /(?<![\w.])\d{4}\.?\d{2}\.?\d{3}(?![\w]|[.,]\d)/g,
    shape: /^\d{4}\.?\d{2}\.?\d{3}$/,
    isValid: stdnumCheck('NL', 'bsn'),
    baseScore: 0.25,
    contextWords: ['bsn', 'burgerservicenummer', 'sofinummer', 'citizen service number'],
  },
  {
    subtype: 'ch.ahv',
    pattern: /(?<![\w.])756\.?\d{4}\.?\d{4}\.?\d{2}(?![\w]|[.,]\d)/g,
    shape: /^756\.?\d{4}\.?\d{4}\.?\d{2}$/,
    isValid: stdnumCheck('CH', 'ssn'),
    baseScore: 0.8,
    contextWords: ['ahv', 'avs', 'sozialversicherung', 'assurance vieillesse', 'social security'],
  },
  {
    subtype: 'be.nn',
    pattern: /(?<![\w.])\d{2}\.?\d{2}\.?\d{2}[- ]?\d{3}\.?\d{2}(?![\w]|[.,]\d)/g,
    shape: /^\d{2}\.?\d{2}\.?\d{2}[- ]?\d{3}\.?\d{2}$/,
    isValid: stdnumCheck('BE', 'nn'),
    baseScore: 0.35,
    contextWords: ['numéro national', 'registre national', 'rijksregisternummer', 'national number', 'nn'],
  },
  {
    subtype: 'at.svnr',
    pattern: /(?<![\w])\d{4} ?\d{6}(?![\w])/g,
    shape: /^\d{4} ?\d{6}$/,
    isValid: stdnumCheck('AT', 'vnr'),
    baseScore: 0.2,
    contextWords: ['sozialversicherungsnummer', 'versicherungsnummer', 'svnr', 'sv-nummer', 'e-card'],
  },
];

/**
 * Every kind's shape in one case-insensitive pattern: it admits whatever any shape admits (and a
 * little more, case-insensitively), so a value it rejects fits no kind — one test instead of one per
 * kind for the many values that are no national id.
 */
const ANY_SHAPE = new RegExp(NATIONAL_ID_KINDS.map((kind) => `(?:${kind.shape.source})`).join('|'), 'i');

/** The kinds a whole value validly is (shape and checksum), most telling first. */
export function nationalIdKindsOf(value: string): NationalIdKind[] {
  const upper = value.trim().toUpperCase();
  if (!ANY_SHAPE.test(upper)) return [];
  return NATIONAL_ID_KINDS.filter((kind) => kind.shape.test(upper) && kind.isValid(upper)).sort(
    (a, b) => b.baseScore - a.baseScore,
  );
}
