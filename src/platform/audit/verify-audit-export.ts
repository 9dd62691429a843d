import { availableParallelism } from 'node:os';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { AUDIT_EXPORT_FORMAT, type AuditExportHeader } from './audit-export-format.ts';
import { hasValidSignature, parseCheckpoint } from './checkpoint-note.ts';
import { computeLogRoots } from './compute-log-roots.ts';
import type { ExportByteSource } from './export-byte-source.ts';
import { type LineBlock, type LineBlockStream, readLineBlocks } from './export-line-blocks.ts';
import { sameHash } from './merkle-hash.ts';
import type { VerifierKey } from './verifier-key.ts';

/** Below this export size, starting worker threads costs more than it saves. */
const PARALLEL_THRESHOLD_BYTES = 32 << 20;

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
 * Checks an export offline: recomputes every leaf from the exported bytes and the root at each
 * checkpoint's size, checks each checkpoint's signature against the pinned key, and so checks all
 * the checkpoints for consistency with each other and the export. Any changed, missing, added or
 * reordered entry below a checkpoint's size changes that root and is reported. The export is
 * streamed: memory is bounded by the blocks in flight, not the export's size. `threads` defaults
 * to the machine's cores for large exports; the main thread then only reads.
 */
export async function verifyAuditExport(
  source: ExportByteSource,
  checkpoints: { source: string; note: string }[],
  key: VerifierKey,
  options: { threads?: number; blockSize?: number } = {},
): Promise<ExportVerification> {
  const { header, entryBlocks } = await readHeader(readLineBlocks(source, options.blockSize));
  const candidates = [
    ...checkpoints,
    ...(header.checkpoint ? [{ source: 'export', note: header.checkpoint }] : []),
  ];
  const parsed = candidates.map((c) => ({ ...c, ...parseOrProblem(c.note) }));
  const sizes = parsed.flatMap((c) =>
    c.checkpoint && c.checkpoint.treeSize <= BigInt(Number.MAX_SAFE_INTEGER)
      ? [Number(c.checkpoint.treeSize)]
      : [],
  );
  const threads =
    options.threads ?? ((source.size ?? 0) >= PARALLEL_THRESHOLD_BYTES ? availableParallelism() : 1);
  const { entries, roots } = await computeLogRoots(entryBlocks, sizes, { threads });
  const problems: string[] = [];
  if (entries !== header.treeSize)
    problems.push(`the export holds ${entries} entries but its header says ${header.treeSize}`);

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

/** Takes the header line off the first block; the blocks that follow hold only entries. */
async function readHeader(
  stream: LineBlockStream,
): Promise<{ header: AuditExportHeader; entryBlocks: LineBlockStream }> {
  const first = await stream.blocks.next();
  if (first.done) throw notAnExport('it is empty');
  const { bytes, start, end } = first.value;
  const headerEnd = bytes.indexOf(0x0a, start);
  let header: AuditExportHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', start, headerEnd)) as AuditExportHeader;
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
  async function* entryBlocks(): AsyncGenerator<LineBlock> {
    if (headerEnd + 1 < end) yield { bytes, start: headerEnd + 1, end };
    yield* stream.blocks;
  }
  return { header, entryBlocks: { blocks: entryBlocks(), recycle: stream.recycle } };
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
