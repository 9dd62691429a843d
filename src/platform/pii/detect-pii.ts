import { scoreInContext } from './context/context-scorer.ts';
import { detectionScope } from './detection-scope.ts';
import { resolveOverlaps } from './overlap-resolution.ts';
import type { DetectOptions, PiiFinding } from './pii-types.ts';
import { ALL_RECOGNIZERS } from './recognizers/all-recognizers.ts';

/**
 * Every piece of personal data in free text, with offsets, type, score and detector, in text order,
 * one finding per span. Deterministic: the same text and options give the same findings.
 */
export function detectPii(text: string, options?: DetectOptions): PiiFinding[] {
  const scope = detectionScope(options);
  if (!text) return [];
  const candidates: PiiFinding[] = [];
  const report = (finding: PiiFinding) => {
    const score = scoreInContext(text, finding, scope.languages, scope.languageKey);
    // Context may lower a finding below the bar; the bar is applied before overlaps are resolved so a
    // weak reading never hides a strong one.
    if (score >= scope.minScore) candidates.push(score === finding.score ? finding : { ...finding, score });
  };
  for (const recognizer of ALL_RECOGNIZERS) {
    if (!recognizer.types.some((type) => scope.types.has(type)) || !recognizer.mayMatch(text)) continue;
    recognizer.find(text, scope, report);
  }
  return resolveOverlaps(candidates);
}
