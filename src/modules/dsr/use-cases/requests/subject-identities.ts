import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';

/** Identity values by identity name (`email`, `phone`, `user_id` or a custom name from the data map). */
export type SubjectIdentities = Record<string, string>;

export type IdentityMatchRule = 'exact' | 'case_insensitive' | 'e164';

export const IDENTITY_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** The built-in identities' rules; custom ones compare exactly unless the data map says otherwise. */
const BUILT_IN_RULES: Record<string, IdentityMatchRule> = {
  email: 'case_insensitive',
  phone: 'e164',
  user_id: 'exact',
};

/**
 * Brings each value to the form it is compared in (emails lower-cased, phones to E.164), so the
 * keyed hash of `Ana@Example.com` and `ana@example.com` is the same and duplicates are found.
 */
export function normaliseIdentities(
  identities: SubjectIdentities,
  rules: Record<string, IdentityMatchRule> = {},
): SubjectIdentities {
  const entries = Object.entries(identities);
  if (entries.length === 0) {
    throw new InvalidInput(
      'dsr.no_identity',
      'Give at least one identity of the data subject, e.g. { "email": "ana@example.com" }.',
    );
  }
  const result: SubjectIdentities = {};
  for (const [name, raw] of entries) {
    if (!IDENTITY_NAME.test(name)) {
      throw new InvalidInput(
        'dsr.bad_identity_name',
        `Identity name "${name}" must be lower case letters, digits and _ (email, phone, user_id or one declared in the data map).`,
        { name },
      );
    }
    result[name] = normaliseValue(name, raw, rules[name] ?? BUILT_IN_RULES[name] ?? 'exact');
  }
  return result;
}

function normaliseValue(name: string, raw: string, rule: IdentityMatchRule): string {
  const value = raw.trim();
  if (value === '') throw new InvalidInput('dsr.empty_identity', `Identity "${name}" is empty.`, { name });
  if (name === 'email' && !EMAIL.test(value)) {
    throw new InvalidInput(
      'dsr.bad_email',
      `Identity "email" is not an email address. Give it as name@domain.`,
      { name },
    );
  }
  if (rule === 'case_insensitive') return value.toLowerCase();
  if (rule === 'e164') {
    const compact = value.replace(/[\s().-]/g, '').replace(/^00/, '+');
    if (!E164.test(compact)) {
      throw new InvalidInput(
        'dsr.bad_phone',
        `Identity "${name}" must be a phone number in international form, e.g. +49 30 1234567.`,
        { name },
      );
    }
    return compact;
  }
  return value;
}
