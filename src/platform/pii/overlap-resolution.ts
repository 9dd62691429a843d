import type { PiiFinding } from './pii-types.ts';

/** A finding at least this confident wins over the shorter findings inside it, whatever their scores. */
const ENCLOSING_SCORE = 0.7;

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
 * One finding per span: a confident finding wins over those it encloses; otherwise, where findings
 * overlap, the highest-scoring (then longest) one wins and the others are dropped. Returns the survivors in text order.
 */
export function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  if (findings.length < 2) return findings;
  const kept: PiiFinding[] = [];
  // A confident finding that encloses others is the whole thing: an address encloses the town's
  // "Neu Liam" and its postcode, an IBAN the digits a phone pattern saw in it.
  const enclosed = (inner: PiiFinding) =>
    findings.some(
      (outer) =>
        outer !== inner &&
        outer.score >= ENCLOSING_SCORE &&
        outer.start <= inner.start &&
        outer.end >= inner.end &&
        outer.end - outer.start > inner.end - inner.start,
    );
  for (const candidate of [...findings].sort(priority)) {
    if (enclosed(candidate)) continue;
    if (!kept.some((finding) => candidate.start < finding.end && finding.start < candidate.end))
      kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
