import type { DetectionScope } from '../detection-scope.ts';
import type { PiiFinding, PiiType } from '../pii-types.ts';

/**
 * One detector family: a single pass of precompiled patterns over the text, each candidate validated
 * (checksum, library, lexicon) and reported with a base score. Context words common to a type are
 * applied afterwards by detectPii; a recognizer applies only those specific to what it validated.
 */
export interface Recognizer {
  readonly types: readonly PiiType[];
  /** A cheap test that the text can contain anything for this recognizer (e.g. an '@' for e-mail). */
  mayMatch(text: string): boolean;
  find(text: string, scope: DetectionScope, report: (finding: PiiFinding) => void): void;
}
