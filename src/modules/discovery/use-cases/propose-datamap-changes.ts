import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { applyDataMapChanges, unifiedDiff } from '../core/datamap-patch.ts';
import type { DriftFinding } from '../core/drift.ts';
import { findingLine, type LocatedFinding } from '../core/finding-lines.ts';

/** The proposed new text of one data-map file and its diff. */
export interface DataMapPatch {
  file: string;
  /** Relative to `baseDir`, as the diff names it. */
  path: string;
  before: string;
  after: string;
  diff: string;
}

/**
 * Reads each data-map file the findings point into and applies their changes: one patch per file,
 * whose diff applies cleanly to the file as it is on disk (`git apply`, `patch -p1`).
 */
export function proposeDataMapChanges(
  findings: readonly DriftFinding[],
  baseDir = process.cwd(),
): DataMapPatch[] {
  const byFile = new Map<string, DriftFinding[]>();
  for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  return [...byFile].map(([file, mine]) => {
    const before = readFileSync(file, 'utf8');
    const after = applyDataMapChanges(
      before,
      mine.map((f) => f.change),
      file,
    );
    const path = relative(baseDir, file);
    return { file, path, before, after, diff: unifiedDiff(path, before, after) };
  });
}

/** Each finding with the line of the data-map file it points at (for SARIF and JUnit). */
export function locateFindings(findings: readonly DriftFinding[], baseDir = process.cwd()): LocatedFinding[] {
  const texts = new Map<string, string>();
  return findings.map((finding) => {
    let text = texts.get(finding.file);
    if (text === undefined) {
      text = readFileSync(finding.file, 'utf8');
      texts.set(finding.file, text);
    }
    return { finding, path: relative(baseDir, finding.file), line: findingLine(text, finding) };
  });
}
