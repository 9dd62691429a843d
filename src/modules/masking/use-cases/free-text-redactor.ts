import { redactPii } from '../../../platform/pii/index.ts';
import type { RedactText } from '../core/transformer.ts';

/** Steward's PII detector (src/platform/pii) in the shape the free-text transformer takes. */
export const redactFreeText: RedactText = (text, replace) =>
  redactPii(text, (finding, original) => replace({ kind: finding.type, text: original }));
