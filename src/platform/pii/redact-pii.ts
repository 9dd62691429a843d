import { detectPii } from './detect-pii.ts';
import type { DetectOptions, PiiFinding } from './pii-types.ts';

/** The default replacement: the type in angle brackets, e.g. `<EMAIL>`, `<PERSON_NAME>`. */
export function typePlaceholder(finding: PiiFinding): string {
  return `<${finding.type.toUpperCase()}>`;
}

/**
 * The text with every finding replaced (by default with its type placeholder); everything between
 * findings is kept byte for byte.
 */
export function redactPii(
  text: string,
  replace: (finding: PiiFinding, original: string) => string = typePlaceholder,
  options?: DetectOptions,
): string {
  const findings = detectPii(text, options);
  if (!findings.length) return text;
  let result = '';
  let position = 0;
  for (const finding of findings) {
    result += text.slice(position, finding.start) + replace(finding, text.slice(finding.start, finding.end));
    position = finding.end;
  }
  return result + text.slice(position);
}
