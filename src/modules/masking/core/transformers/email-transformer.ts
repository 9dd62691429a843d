import { seededFaker } from '../digest-random.ts';
import { personNameDraws } from './person-name-draws.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';

/** RFC 2606 domains: a masked address can never reach a real mailbox from a test system. */
const DOMAINS = ['example.com', 'example.net', 'example.org'];
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/**
 * 40 bits of tag on top of the ~20 bits of the drawn name pair: for 10 million distinct addresses
 * the chance that any two collide is about 4 in 100 000, while the address stays about as long as
 * a real one (the length profile is part of the cardinality report).
 */
const TAG_CHARS = 8;

/**
 * `anna.schmidt.k3j9x2m4@example.org`: valid, readable, and unique where the source is unique.
 * The digest is of the case-folded address (mailbox providers treat addresses so, and Steward
 * matches the email identity so), so `Ann@X.com` in one table and `ann@x.com` in another still
 * join after masking. The tag carries the uniqueness: a collision would need two addresses
 * agreeing on about 60 keyed bits, and the unique constraint re-created on the copy refuses it rather
 * than let it pass silently. Upper-case letters of the source's local part are kept at the same
 * positions of the name part, so case variants of one address in a case-sensitive unique column
 * stay distinct.
 */
export const emailTransformer: TransformerDefinition = {
  name: 'email',
  leakCheck: 'anywhere',
  families: TEXT_FAMILIES,
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const seeded = seededFaker(tools.locale);
    const names = personNameDraws(seeded);
    return (value) => {
      const folded = value.trim().toLowerCase();
      const digest = tools.digest('email', folded);
      seeded.random.reseed(digest);
      const first = asciiWord(names.firstName());
      const last = asciiWord(names.lastName());
      const tag = base32(digest, 16, TAG_CHARS);
      const domain = DOMAINS[digest[31]! % DOMAINS.length]!;
      const named = `${first}.${last}`;
      const trimmed = value.trim();
      const at = trimmed.indexOf('@');
      const local = withCaseOf(at === -1 ? trimmed : trimmed.slice(0, at), named);
      return fitted(local, tag, domain, column.length);
    };
  },
};

function fitted(name: string, tag: string, domain: string, length: number | undefined): string {
  const full = `${name}.${tag}@${domain}`;
  if (length === undefined || full.length <= length) return full;
  const short = `${tag}@${domain}`;
  if (short.length <= length) return short;
  // Narrower than any real address column: the tag alone, shortened (uniqueness weakens; the report says so).
  return `${tag.slice(0, Math.max(1, length - 3))}@x`.slice(0, length);
}

/** Names come from the locale's lists, so their ASCII forms are few: computed once each. */
const asciiWords = new Map<string, string>();
const ASCII_WORDS_KEPT = 50_000;

function asciiWord(text: string): string {
  let ascii = asciiWords.get(text);
  if (ascii === undefined) {
    ascii =
      text
        .normalize('NFKD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase() || 'user';
    if (asciiWords.size >= ASCII_WORDS_KEPT) asciiWords.clear();
    asciiWords.set(text, ascii);
  }
  return ascii;
}

function withCaseOf(sourceLocal: string, local: string): string {
  if (sourceLocal === sourceLocal.toLowerCase()) return local;
  const chars = local.split('');
  for (let i = 0; i < sourceLocal.length && i < chars.length; i++) {
    const char = sourceLocal[i]!;
    if (char !== char.toLowerCase()) chars[i] = chars[i]!.toUpperCase();
  }
  return chars.join('');
}

/** `chars` base32 characters from the bytes at `from` on (RFC 4648 alphabet in lower case, most significant bits first). */
function base32(bytes: Uint8Array, from: number, chars: number): string {
  let output = '';
  let bits = 0;
  let buffer = 0;
  for (let i = from; i < bytes.length && output.length < chars; i++) {
    buffer = (buffer << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5 && output.length < chars) {
      output += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return output;
}
