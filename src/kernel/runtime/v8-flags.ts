/**
 * V8 flags every Steward process runs with. The `steward` bin passes them in its shebang
 * (src/cli/steward.ts) and the Docker image in its entry point; v8-flags.test.ts keeps both in step
 * with this list.
 *
 * `--max-semi-space-size=8` caps V8's young generation (two 8 MiB semi-spaces). By default V8
 * grows it, up to 2 × 64 MiB, for as long as a process allocates steadily — however little of that
 * stays alive — so a worker streaming a large subject's access package through staging, JSON, CSV,
 * zip and encryption had a peak memory that grew with the subject's size (10k rows 102 MiB, 100k
 * rows 147 MiB, 1M rows 214 MiB) although what it kept (old generation, buffers) stayed at a few
 * MiB. Capped, the peak is the same for 100k and 1M rows (bench/dsr-package-memory.ts); scavenges
 * come more often but each copies only the few objects alive, so throughput does not suffer (the
 * 1M-row package builds as fast).
 */
export const STEWARD_V8_FLAGS = ['--max-semi-space-size=8'] as const;
