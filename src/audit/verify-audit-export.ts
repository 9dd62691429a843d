import { readFileSync } from 'node:fs';
import { InvalidInput } from '../errors/domain-error.ts';
import { AUDIT_EXPORT_FORMAT, type AuditExportHeader } from './audit-export-format.ts';
import { hasValidSignature, parseCheckpoint } from './checkpoint-note.ts';
import { computeLogRoots } from './compute-log-roots.ts';
import type { EntryLayout } from './log-chunk-hasher.ts';
import { sameHash } from './merkle-hash.ts';
import type { VerifierKey } from './verifier-key.ts';

export interface CheckpointVerdict {
  /** Where the checkpoint came from: a file name, or `export` for the one embedded in the export. */
  source: string;
  treeSize: number | undefined;
  valid: boolean;
  problem?: string;
}

export interface ExportVerification {
  /** True when the export is intact: every checkpoint verifies against it and at least one was given. */
  ok: boolean;
  origin: string;
  entries: number;
  checkpoints: CheckpointVerdict[];
  /** Entries after the largest valid checkpoint: present but not yet covered by any signature. */
  uncovered: number;
  problems: string[];
}

/**
 * Checks an export offline: recomputes every leaf and the root at each checkpoint's size from the
 * exported bytes, checks each checkpoint's signature against the pinned key, and so checks all the
 * checkpoints for consistency with each other and the export. Any changed, missing, added or
 * reordered entry below a checkpoint's size changes that root and is reported.
 */
export async function verifyAuditExport(
  exportBytes: Uint8Array,
  checkpoints: { source: string; note: string }[],
  key: VerifierKey,
  options: { threads?: number } = {},
): Promise<ExportVerification> {
  const { header, layout, entries } = readExport(exportBytes);
  const problems: string[] = [];
  if (entries !== header.treeSize)
    problems.push(`the export holds ${entries} entries but its header says ${header.treeSize}`);
  const candidates = [
    ...checkpoints,
    ...(header.checkpoint ? [{ source: 'export', note: header.checkpoint }] : []),
  ];
  const parsed = candidates.map((c) => ({ ...c, ...parseOrProblem(c.note) }));
  const sizes = parsed.flatMap((c) =>
    c.checkpoint && c.checkpoint.treeSize <= BigInt(entries) ? [Number(c.checkpoint.treeSize)] : [],
  );
  const roots = await computeLogRoots(layout, entries, [...new Set(sizes)], options);

  const verdicts = parsed.map(({ source, checkpoint, problem }): CheckpointVerdict => {
    if (!checkpoint) return { source, treeSize: undefined, valid: false, problem };
    const treeSize = Number(checkpoint.treeSize);
    const reject = (reason: string): CheckpointVerdict => ({
      source,
      treeSize,
      valid: false,
      problem: reason,
    });
    if (!hasValidSignature(checkpoint, key))
      return reject('its signature does not verify with the given public key');
    if (checkpoint.origin !== header.origin)
      return reject(`it is for log ${checkpoint.origin}, the export is of ${header.origin}`);
    const root = roots.get(treeSize);
    if (!root)
      return reject(
        `it covers ${treeSize} entries but the export holds only ${entries}: entries were removed`,
      );
    if (!sameHash(root, checkpoint.rootHash))
      return reject(
        `the root of the first ${treeSize} exported entries differs from the signed root: entries were changed, removed, added or reordered`,
      );
    return { source, treeSize, valid: true };
  });
  for (const verdict of verdicts)
    if (!verdict.valid) problems.push(`checkpoint ${verdict.source}: ${verdict.problem}`);
  if (checkpoints.length === 0)
    problems.push('no checkpoint was given to verify against; pass one published outside the database');
  const covered = Math.max(0, ...verdicts.filter((v) => v.valid).map((v) => v.treeSize!));
  return {
    ok: problems.length === 0,
    origin: header.origin,
    entries,
    checkpoints: verdicts,
    uncovered: entries - covered,
    problems,
  };
}

/** Reads an export file; entries are hashed straight from this buffer. */
export function readExportFile(path: string): Uint8Array {
  return readFileSync(path);
}

function readExport(bytes: Uint8Array): { header: AuditExportHeader; layout: EntryLayout; entries: number } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerEnd = text.indexOf(0x0a);
  if (headerEnd < 0) throw notAnExport('it has no header line');
  let header: AuditExportHeader;
  try {
    header = JSON.parse(text.toString('utf8', 0, headerEnd)) as AuditExportHeader;
  } catch {
    throw notAnExport('its first line is not JSON');
  }
  if (
    header?.format !== AUDIT_EXPORT_FORMAT ||
    typeof header.origin !== 'string' ||
    !Number.isSafeInteger(header.treeSize)
  ) {
    throw notAnExport(`its header is not a ${AUDIT_EXPORT_FORMAT} header`);
  }
  const starts: number[] = [];
  let position = headerEnd + 1;
  while (position < text.length) {
    starts.push(position);
    const newline = text.indexOf(0x0a, position);
    position = newline < 0 ? text.length + 1 : newline + 1;
  }
  starts.push(position);
  return { header, layout: { bytes, starts: Float64Array.from(starts) }, entries: starts.length - 1 };
}

function parseOrProblem(note: string): { checkpoint?: ReturnType<typeof parseCheckpoint>; problem?: string } {
  try {
    return { checkpoint: parseCheckpoint(note) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

function notAnExport(reason: string): InvalidInput {
  return new InvalidInput(
    'audit.not_an_export',
    `The file is not an audit export (${reason}). Create one with \`steward audit export --out <file>\`.`,
  );
}
