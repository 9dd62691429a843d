// Scores the PII detector against labelled texts: per type and overall (micro-averaged) precision,
// recall and F2 (recall weighted twice: a missed piece of personal data costs more than a false alarm).
import type { DetectOptions, PiiFinding, PiiType } from '../../src/platform/pii/index.ts';
import type { LabelledSpan, LabelledText } from './pii-corpus-generator.ts';

export interface TypeScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f2: number;
}

export interface Evaluation {
  perType: Partial<Record<PiiType, TypeScore>>;
  overall: TypeScore;
  /** The first few mistakes, for a readable failure message (synthetic data only). */
  mistakes: string[];
}

/** A finding matches a label of the same type when they overlap by at least half of the longer one. */
function matches(finding: PiiFinding, label: LabelledSpan): boolean {
  if (finding.type !== label.type) return false;
  const overlap = Math.min(finding.end, label.end) - Math.max(finding.start, label.start);
  return overlap > 0 && overlap >= 0.5 * Math.max(finding.end - finding.start, label.end - label.start);
}

function score(counts: { truePositives: number; falsePositives: number; falseNegatives: number }): TypeScore {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f2 = precision + recall ? (5 * precision * recall) / (4 * precision + recall) : 0;
  return { ...counts, precision, recall, f2 };
}

export function evaluateDetector(
  texts: readonly LabelledText[],
  detect: (text: string, options: DetectOptions) => PiiFinding[],
): Evaluation {
  const counts = new Map<
    PiiType,
    { truePositives: number; falsePositives: number; falseNegatives: number }
  >();
  const countsOf = (type: PiiType) => {
    let entry = counts.get(type);
    if (!entry) counts.set(type, (entry = { truePositives: 0, falsePositives: 0, falseNegatives: 0 }));
    return entry;
  };
  const mistakes: string[] = [];
  for (const labelled of texts) {
    const findings = detect(labelled.text, { languages: [labelled.language] });
    const matched = new Set<LabelledSpan>();
    for (const finding of findings) {
      const label = labelled.spans.find(
        (candidate) => !matched.has(candidate) && matches(finding, candidate),
      );
      if (label) {
        matched.add(label);
        countsOf(finding.type).truePositives++;
      } else {
        countsOf(finding.type).falsePositives++;
        if (mistakes.length < 400)
          mistakes.push(
            `FP ${finding.type} ${JSON.stringify(labelled.text.slice(finding.start, finding.end))} (${finding.detector} ${finding.score}) in ${JSON.stringify(labelled.text)}`,
          );
      }
    }
    for (const label of labelled.spans) {
      if (matched.has(label)) continue;
      countsOf(label.type).falseNegatives++;
      if (mistakes.length < 400)
        mistakes.push(
          `FN ${label.type} ${JSON.stringify(labelled.text.slice(label.start, label.end))} in ${JSON.stringify(labelled.text)}`,
        );
    }
  }
  const perType: Partial<Record<PiiType, TypeScore>> = {};
  const total = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  for (const [type, entry] of [...counts.entries()].sort()) {
    perType[type] = score(entry);
    total.truePositives += entry.truePositives;
    total.falsePositives += entry.falsePositives;
    total.falseNegatives += entry.falseNegatives;
  }
  return { perType, overall: score(total), mistakes };
}

/** One line per type: counts, precision, recall, F2. */
export function formatEvaluation(evaluation: Evaluation): string {
  const row = (name: string, s: TypeScore) =>
    `${name.padEnd(15)} tp ${String(s.truePositives).padStart(5)} fp ${String(s.falsePositives).padStart(4)} fn ${String(s.falseNegatives).padStart(4)}  P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F2 ${s.f2.toFixed(3)}`;
  return [
    ...Object.entries(evaluation.perType).map(([type, s]) => row(type, s)),
    row('overall', evaluation.overall),
  ].join('\n');
}
