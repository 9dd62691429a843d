import type { SubjectComparison } from '../../../platform/connectors/connector.ts';
import { e164Of } from '../../../platform/connectors/identity-values.ts';
import { normalisePhoneText } from '../../../platform/connectors/row-predicate.ts';
import type { DataMapField, IdentityDefinition } from '../../../platform/datamap/datamap-types.ts';

/**
 * How a subject column is compared, as the access path compares the identity (the DSR planner's
 * identity sources): e-mails and other case-insensitive identities lower-cased, phone numbers
 * normalised, both only on text columns (or columns of undeclared type); everything else as stored.
 */
export function subjectComparisonOf(
  identity: Pick<IdentityDefinition, 'match'> | undefined,
  field: Pick<DataMapField, 'type'> | undefined,
): SubjectComparison {
  const family = field?.type?.family;
  const text = family === undefined || family === 'text';
  if (identity?.match === 'case_insensitive' && text) return 'lowercase';
  if (identity?.match === 'e164' && text) return 'phone';
  return 'exact';
}

/**
 * A value read from a system in the form the database compares it when it counts (the twin of the
 * SQL connectors' subject statements), or undefined when it is nobody's: NULL, or a phone without
 * a digit.
 */
export function comparedValueOf(comparison: SubjectComparison, raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = String(raw);
  if (comparison === 'lowercase') return text.toLowerCase();
  if (comparison === 'phone') return normalisePhoneText(text) || undefined;
  return text;
}

/**
 * The person a compared value stands for. Phone numbers of an identity with a region are written
 * nationally or internationally, and a request finds both forms (`phoneCandidates` in
 * platform/connectors/identity-values.ts: `0644589242` with region FR is `+33644589242`), so a national form counts as its E.164
 * number; every other value is its own.
 */
export function subjectIdentityOf(comparison: SubjectComparison, value: string, region?: string): string {
  if (comparison !== 'phone' || !region || value.startsWith('+')) return value;
  return e164Of(value, region) ?? value;
}
