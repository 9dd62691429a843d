import type { PiiFinding } from './pii-types.ts';

/** Higher score first; on a tie the longer span, then the earlier one, then the type name: deterministic. */
function priority(a: PiiFinding, b: PiiFinding): number {
  return (
    b.score - a.score ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)
  );
}

/**
 * One finding per span: where findings overlap, the highest-scoring (then longest) one wins and the
 * others are dropped. Returns the survivors in text order.
 */
export function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  if (findings.length < 2) return findings;
  const kept: PiiFinding[] = [];
  for (const candidate of [...findings].sort(priority)) {
    if (!kept.some((finding) => candidate.start < finding.end && finding.start < candidate.end))
      kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
