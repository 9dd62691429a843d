import validator from 'validator';

const EMAIL_OPTIONS = { allow_utf8_local_part: true, require_tld: true, allow_ip_domain: false } as const;

/** True when the whole value is an e-mail address (RFC 5321 shape, a domain with a TLD). */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && value.includes('@') && validator.isEmail(value, EMAIL_OPTIONS);
}
