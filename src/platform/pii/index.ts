// The PII detection library: value validators and free-text detection for discovery, the files
// connector, masking and Steward's own log redaction. Everything here is pure and synchronous.
export { classifyValue } from './classify-value.ts';
export { detectPii } from './detect-pii.ts';
export { redactPii, typePlaceholder } from './redact-pii.ts';
export { redactPiiForLogs } from './redact-pii-for-logs.ts';
export { DEFAULT_MIN_SCORE } from './detection-scope.ts';
export { LANGUAGES, PII_TYPES } from './pii-types.ts';
export type {
  ClassifyOptions,
  DetectOptions,
  Language,
  PiiFinding,
  PiiType,
  ValueMatch,
} from './pii-types.ts';
