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

/** Resolves one cluster of findings that overlap each other transitively (usually one to three). */
function resolveCluster(cluster: PiiFinding[], kept: PiiFinding[]): void {
  if (cluster.length === 1) {
    kept.push(cluster[0]!);
    return;
  }
  // A confident finding that encloses others is the whole thing: an address encloses the town's
  // "Neu Liam" and its postcode, an IBAN the digits a phone pattern saw in it.
  const enclosed = (inner: PiiFinding) =>
    cluster.some(
      (outer) =>
        outer !== inner &&
        outer.score >= ENCLOSING_SCORE &&
        outer.start <= inner.start &&
        outer.end >= inner.end &&
        outer.end - outer.start > inner.end - inner.start,
    );
  const survivors: PiiFinding[] = [];
  for (const candidate of cluster.sort(priority)) {
    if (enclosed(candidate)) continue;
    if (!survivors.some((finding) => candidate.start < finding.end && finding.start < candidate.end)) {
      survivors.push(candidate);
    }
  }
  kept.push(...survivors.sort((a, b) => a.start - b.start));
}

/**
 * One finding per span: a confident finding wins over those it encloses; otherwise, where findings
 * overlap, the highest-scoring (then longest) one wins and the others are dropped. Returns the
 * survivors in text order. Linear after sorting: only findings that overlap are compared.
 */
export function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  if (findings.length < 2) return findings;
  const byStart = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiFinding[] = [];
  let cluster: PiiFinding[] = [];
  let clusterEnd = -1;
  for (const finding of byStart) {
    if (cluster.length && finding.start >= clusterEnd) {
      resolveCluster(cluster, kept);
      cluster = [];
    }
    cluster.push(finding);
    clusterEnd = cluster.length === 1 ? finding.end : Math.max(clusterEnd, finding.end);
  }
  resolveCluster(cluster, kept);
  return kept;
}
