// Offline verification of an audit export (issue 5). Standalone: node bench/audit-verify.ts [entries]
// Verifying an export of 1M entries (stream the file, recompute every leaf and the root, check the
// signed checkpoint) against Node's raw SHA-256 leaf-hashing rate over the same entries in the same
// run (goal ≥ 0.7×). The baseline is one thread hashing 0x00‖entry one-shot from memory, already
// prefixed — nothing else — with whichever digest output is faster (Buffer or latin1 string).
// Also the verifier's peak memory in a process of its own, against the export's size.
import { execFileSync } from 'node:child_process';
import { hash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pendingEntryOf } from '../src/platform/audit/audit-entry.ts';
import { AUDIT_EXPORT_FORMAT, type AuditExportHeader } from '../src/platform/audit/audit-export-format.ts';
import { loadCheckpointSigner, verifierKeyText } from '../src/platform/audit/audit-keys.ts';
import { canonicalJson } from '../src/platform/audit/canonical-json.ts';
import { signCheckpoint } from '../src/platform/audit/checkpoint-note.ts';
import { openExportFile } from '../src/platform/audit/export-byte-source.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from '../src/platform/audit/merkle-frontier.ts';
import { hashLeaf } from '../src/platform/audit/merkle-hash.ts';
import { pseudonymiseSubject } from '../src/platform/audit/subject-pseudonym.ts';
import { parseVerifierKey } from '../src/platform/audit/verifier-key.ts';
import { verifyAuditExport } from '../src/platform/audit/verify-audit-export.ts';
import { anAuditSetup, anErasureRequestEvent } from '../test/support/audit-fixtures.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';

const ROUNDS = 3;

export function auditVerifyBenchmark(entries = 1_000_000): Benchmark {
  return {
    name: `audit export verification (${entries} entries, streamed from a file; best of ${ROUNDS})`,
    run: () => benchVerification(entries),
  };
}

async function benchVerification(n: number): Promise<BenchmarkRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'steward-bench-audit-'));
  const setup = anAuditSetup();
  try {
    const { file, note, reference, bytes } = writeAnExport(folder, setup.config, n);
    const signer = loadCheckpointSigner(setup.config);
    const keyText = verifierKeyText(signer.name, signer.publicKey);
    const verifierKey = parseVerifierKey(keyText);
    const baseline = prefixedLeaves(file, n, reference);
    const cores = availableParallelism();

    const raw: { rate: number; digest: string }[] = [];
    const parallel: number[] = [];
    const single: number[] = [];
    // Alternate the sides so both see the same machine load.
    for (let round = 0; round < ROUNDS; round++) {
      for (const digest of ['buffer', 'binary'] as const)
        raw.push({ rate: n / baseline.hashAllSeconds(digest), digest });
      for (const [rates, threads] of [
        [parallel, cores],
        [single, 1],
      ] as const) {
        const source = await openExportFile(file);
        const started = performance.now();
        const result = await verifyAuditExport(source, [{ source: 'bench', note }], verifierKey, {
          threads,
        }).finally(() => source.close());
        const seconds = (performance.now() - started) / 1000;
        if (!result.ok || result.entries !== n)
          throw new Error(`verification failed: ${result.problems.join('; ')}`);
        rates.push(n / seconds);
      }
    }
    const fastest = raw.reduce((best, r) => (r.rate > best.rate ? r : best));
    const bufferDigests = Math.max(...raw.filter((r) => r.digest === 'buffer').map((r) => r.rate));
    const baselineName = `raw SHA-256(0x00‖entry) from memory, 1 thread, ${fastest.digest === 'binary' ? 'latin1-string' : 'Buffer'} digests, ${Math.round(baseline.averageBytes)}-byte entries`;
    // Streaming shows as memory that does not grow with the export: the same verification of a tenth of it.
    const small = writeAnExport(mkdtempSync(join(folder, 'small-')), setup.config, Math.ceil(n / 10));
    const peakRss = peakRssOfVerification(file, note, keyText, cores);
    const smallPeakRss = peakRssOfVerification(small.file, small.note, keyText, cores);
    return [
      {
        name: `verify export, ${cores} worker threads (+ main thread reading)`,
        unit: 'entries/s',
        value: Math.max(...parallel),
        baseline: fastest.rate,
        baselineName,
        goal: { text: '≥ 0.7× baseline', met: Math.max(...parallel) / fastest.rate >= 0.7 },
      },
      {
        name: 'verify export, 1 thread (reads overlap on the I/O pool)',
        unit: 'entries/s',
        value: Math.max(...single),
        baseline: fastest.rate,
        baselineName,
        goal: { text: 'for reference', met: true },
      },
      {
        name: `verify export, ${cores} worker threads, against the slower baseline used before`,
        unit: 'entries/s',
        value: Math.max(...parallel),
        baseline: bufferDigests,
        baselineName: 'the same raw hashing with Buffer digests',
        goal: { text: 'for reference', met: true },
      },
      {
        name: `verify export, peak RSS of a process doing only that (${Math.round(bytes / 1e6)} MB export, ${cores} workers)`,
        unit: 'MB',
        value: peakRss / 1e6,
        baseline: smallPeakRss / 1e6,
        baselineName: `the same for a tenth of the entries (${Math.round(small.bytes / 1e6)} MB export)`,
        goal: {
          text: '≤ 1.5× (streamed: memory does not grow with the export)',
          met: peakRss / smallPeakRss <= 1.5,
        },
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
    setup.remove();
  }
}

/**
 * Peak resident memory of a fresh Node process that verifies the export and nothing else. Read from
 * VmHWM (Linux): getrusage's maxRSS would start at this process's size, as a child inherits it.
 */
function peakRssOfVerification(file: string, note: string, keyText: string, threads: number) {
  const noteFile = `${file}.checkpoint`;
  writeFileSync(noteFile, note);
  const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    import { readFileSync } from 'node:fs';
    import { openExportFile } from ${module('../src/audit/export-byte-source.ts')};
    import { parseVerifierKey } from ${module('../src/audit/verifier-key.ts')};
    import { verifyAuditExport } from ${module('../src/audit/verify-audit-export.ts')};
    const source = await openExportFile(${JSON.stringify(file)});
    const result = await verifyAuditExport(source, [{ source: 'bench', note: readFileSync(${JSON.stringify(noteFile)}, 'utf8') }], parseVerifierKey(${JSON.stringify(keyText)}), { threads: ${threads} });
    await source.close();
    if (!result.ok) throw new Error(result.problems.join('; '));
    console.log(Number(/VmHWM:\\s*(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024);`;
  // A script file, not --eval: worker threads inherit the process's flags.
  const scriptFile = `${file}.verify.mjs`;
  writeFileSync(scriptFile, script);
  return Number(execFileSync(process.execPath, [scriptFile], { encoding: 'utf8' }));
}

/** An export of n entries shaped exactly as the integrator writes them (5 000 distinct people), with a signed checkpoint over all of them. */
function writeAnExport(folder: string, config: ReturnType<typeof anAuditSetup>['config'], n: number) {
  const key = randomBytes(32);
  const pseudonyms = Array.from({ length: 5000 }, (_, p) =>
    pseudonymiseSubject(key, 'default', `person-${p}@example.com`),
  );
  const lines: string[] = [];
  const frontier = emptyFrontier();
  for (let i = 0; i < n; i++) {
    const event = anErasureRequestEvent(i);
    const entry = canonicalJson({
      ...pendingEntryOf(event, new Date(Date.UTC(2026, 0, 1) + i)),
      subject: pseudonyms[i % pseudonyms.length],
      private: hash('sha256', String(i), 'base64url'),
    });
    lines.push(entry);
    appendLeaf(frontier, hashLeaf(Buffer.from(entry, 'utf8')));
  }
  const origin = `${config.origin}/default`;
  const reference = frontierRoot(frontier);
  const note = signCheckpoint(
    { origin, treeSize: BigInt(n), rootHash: reference },
    loadCheckpointSigner(config),
  );
  const header: AuditExportHeader = {
    format: AUDIT_EXPORT_FORMAT,
    origin,
    tenant: 'default',
    treeSize: n,
    checkpoint: null,
    exportedAt: new Date().toISOString(),
  };
  const file = join(folder, 'audit.export');
  const text = `${JSON.stringify(header)}\n${lines.join('\n')}\n`;
  writeFileSync(file, text);
  return { file, note, reference, bytes: Buffer.byteLength(text) };
}

/**
 * The baseline: SHA-256(0x00 ‖ entry) for every entry, already in memory and already prefixed —
 * nothing else (no file reading, no tree). Checked once to hash exactly the export's leaves.
 */
function prefixedLeaves(file: string, n: number, reference: Uint8Array) {
  const leaves = readFileSync(file);
  const starts: number[] = [];
  // The file ends with a newline, so every entry, the last too, ends just before one.
  for (let at = leaves.indexOf(0x0a) + 1; at > 0 && at < leaves.length; at = leaves.indexOf(0x0a, at) + 1) {
    starts.push(at);
    leaves[at - 1] = 0x00;
  }
  starts.push(leaves.length);
  const leaf = (i: number) => leaves.subarray(starts[i]! - 1, starts[i + 1]! - 1);
  const check = emptyFrontier();
  for (let i = 0; i < n; i++) appendLeaf(check, hash('sha256', leaf(i), 'buffer'));
  if (!Buffer.from(frontierRoot(check)).equals(Buffer.from(reference)))
    throw new Error("the baseline does not hash the export's leaves");
  return {
    averageBytes: (leaves.length - starts[0]!) / n - 1,
    /** One thread, one-shot hashes; `binary` returns the digest as a latin1 string, which skips allocating a Buffer. */
    hashAllSeconds(digest: 'buffer' | 'binary') {
      const started = performance.now();
      if (digest === 'buffer') for (let i = 0; i < n; i++) hash('sha256', leaf(i), 'buffer');
      else for (let i = 0; i < n; i++) hash('sha256', leaf(i), 'binary');
      return (performance.now() - started) / 1000;
    },
  };
}

if (import.meta.main) {
  const entries = Number(process.argv[2] ?? 1_000_000);
  for (const row of await auditVerifyBenchmark(entries).run()) {
    console.log(
      `${row.name}: ${Math.round(row.value)} ${row.unit} vs ${Math.round(row.baseline)} (${row.baselineName}) = ${(row.value / row.baseline).toFixed(2)}× — goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
  }
}
