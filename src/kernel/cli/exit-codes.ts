import type { DomainErrorKind } from '../errors/domain-error.ts';

/** Exit codes by error kind, in one place (sysexits-style numbers where one fits). */
export const EXIT_CODE_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 65, // EX_DATAERR: the input or config is wrong
  not_found: 66, // EX_NOINPUT
  conflict: 75, // EX_TEMPFAIL: state clash, may succeed later
  forbidden: 77, // EX_NOPERM
  unauthenticated: 77,
  unavailable: 69, // EX_UNAVAILABLE: database or service down
  too_many_requests: 75,
  payload_too_large: 65,
  unsupported_media_type: 65,
};

export const EXIT_USAGE = 64;
export const EXIT_INTERNAL = 70;
