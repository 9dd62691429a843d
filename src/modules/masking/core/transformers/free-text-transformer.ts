import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';

/**
 * Free text with personal data inside (support notes, comments). With Steward's PII detector
 * (`redactPii`) each finding is replaced by its kind in brackets (`[email]`); without it the
 * text is dropped — NULL, or the empty string in a NOT NULL column — and the run report says so,
 * because no keyed substitution can know which words of a sentence are a name.
 */
export const freeTextTransformer: TransformerDefinition = {
  name: 'free_text',
  leakCheck: 'contains',
  families: TEXT_FAMILIES,
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const redact = tools.redactText;
    if (redact) return (value) => redact(value, (match) => `[${match.kind}]`);
    return column.nullable ? () => null : () => '';
  },
};

/** Whether free text is dropped rather than redacted (for the report). */
export function freeTextIsDropped(tools: Pick<TransformerTools, 'redactText'>): boolean {
  return tools.redactText === undefined;
}
