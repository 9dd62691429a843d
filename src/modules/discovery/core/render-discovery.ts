import type { RunComparison } from './compare-runs.ts';
import { declaredName, type DiscoveryResult } from './discovery-types.ts';
import type { DriftFinding } from './drift.ts';

/** The terminal view of a run: personal columns with category, confidence and why; then drift. */
export function renderDiscovery(
  result: DiscoveryResult,
  // Only what is printed: the API's findings (without the data-map patch) render the same.
  findings: readonly Pick<DriftFinding, 'severity' | 'message'>[],
  comparison?: RunComparison,
): string {
  const lines = [
    `${result.system} (${result.kind}): ${result.collections.length} collection(s) sampled, up to ${result.sampleSize} rows each, in ${result.durationMs} ms`,
  ];
  for (const collection of result.collections) {
    const personal = collection.columns.filter((c) => c.categories.length);
    if (!personal.length) continue;
    lines.push(
      `  ${collection.schema ? `${collection.schema}.` : ''}${collection.name} (${collection.sampledRows} rows, ${collection.strategy})`,
    );
    for (const column of personal)
      lines.push(
        `    ${declaredName(column).padEnd(28)} ${column.categories[0]!.padEnd(48)} ${column.confidence.toFixed(2)}  ${why(column.evidence)}`,
      );
  }
  if (comparison?.previousRunId) {
    const changes = comparison.appeared.length + comparison.disappeared.length + comparison.changed.length;
    lines.push(
      changes
        ? `Since the previous run: ${comparison.appeared.length} new, ${comparison.disappeared.length} gone, ${comparison.changed.length} changed personal field(s).`
        : 'No change since the previous run.',
    );
    for (const c of comparison.appeared) lines.push(`  + ${c.collection}.${c.field} ${c.categories[0]}`);
    for (const c of comparison.disappeared) lines.push(`  - ${c.collection}.${c.field} ${c.categories[0]}`);
    for (const c of comparison.changed)
      lines.push(`  ~ ${c.collection}.${c.field} ${c.before[0]} → ${c.after[0]}`);
  }
  lines.push(
    findings.length
      ? `${findings.length} difference(s) from the data map:`
      : 'The data map declares everything found.',
  );
  for (const finding of findings) lines.push(`  ${finding.severity.padEnd(7)} ${finding.message}`);
  return lines.join('\n');
}

function why(evidence: DiscoveryResult['collections'][number]['columns'][number]['evidence']): string {
  return evidence
    .map((e) => {
      switch (e.signal) {
        case 'name':
          return `name "${e.token}"`;
        case 'values':
          return `${e.matched}/${e.sampled} pass ${e.validator}`;
        case 'text':
          return `${e.detector} in ${e.matched}/${e.sampled}`;
        case 'neighbours':
          return `beside ${e.columns.join(', ')}`;
        case 'type':
          return '';
      }
    })
    .filter(Boolean)
    .join('; ');
}
