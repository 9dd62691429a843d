// Free-text PII detection (issue 13, part 3), single core: detectPii over a generated corpus of
// support tickets, log lines, chat messages and letters in English, German and French (all three
// languages enabled, as log redaction runs without knowing the language), against a naive single
// regex pass (e-mail addresses and runs of 7+ digits) over the same texts in the same run.
// Reports texts/s and MB/s, and F2 on the corpus's labels (overall against the naive pass's F2,
// per type printed above the table). Goals: ≥ 1 470 texts/s (10× Presidio's ~147 texts/s out of the
// box) and F2 > 0.85.
// Run alone: node bench/pii-detection.ts [texts]   (default 3000; BENCH_PII_TEXTS for `npm run bench`).
import type { PiiFinding } from '../src/platform/pii/index.ts';
import { detectPii } from '../src/platform/pii/index.ts';
import { generatePiiCorpus } from '../test/support/pii-corpus-generator.ts';
import { evaluateDetector, formatEvaluation } from '../test/support/pii-evaluation.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';

// The positional argument is this file's only when it runs alone (under run-benchmarks it is a name).
const TEXTS = Number((import.meta.main ? process.argv[2] : undefined) ?? process.env.BENCH_PII_TEXTS ?? 3000);
/** Each measurement loops over the corpus until it has run this long. */
const MEASURE_MS = 3000;
const PRESIDIO_TEXTS_PER_SECOND = 147;

const NAIVE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\d[\d ]{5,}\d/g;

/** The baseline: one regex, no validation, no context — what a hand-rolled log scrubber does. */
function naiveDetect(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const match of text.matchAll(NAIVE)) {
    const type = match[0].includes('@') ? 'email' : 'phone_number';
    findings.push({
      type,
      start: match.index,
      end: match.index + match[0].length,
      score: 1,
      detector: 'naive-regex',
    });
  }
  return findings;
}

/** Texts per second of `detect` over the corpus, best of three timed loops after a warm-up. */
function textsPerSecond(texts: readonly string[], detect: (text: string) => unknown): number {
  for (const text of texts) detect(text);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let done = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < MEASURE_MS) {
      for (const text of texts) detect(text);
      done += texts.length;
      elapsed = performance.now() - started;
    }
    best = Math.max(best, (done / elapsed) * 1000);
  }
  return best;
}

/** Milliseconds of one call, best of three. */
function timeOnce(work: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

export function piiDetectionBenchmark(count = TEXTS): Benchmark {
  return {
    name: `PII detection in free text (${count} generated en/de/fr texts, one core)`,
    async run(): Promise<BenchmarkRow[]> {
      const corpus = generatePiiCorpus({ seed: 1, count });
      const texts = corpus.map((labelled) => labelled.text);
      const megabytes = Buffer.byteLength(texts.join('')) / 1e6;
      const steward = textsPerSecond(texts, (text) => detectPii(text));
      const naive = textsPerSecond(texts, naiveDetect);
      const quality = evaluateDetector(corpus, (text) => detectPii(text));
      const naiveQuality = evaluateDetector(corpus, naiveDetect);
      console.log(`PII detection F2 per type on ${count} generated texts:\n${formatEvaluation(quality)}`);
      const perText = texts.length / megabytes;
      // The same texts as one log file: one call over ~1 MB must stay linear (files connector, redaction).
      const logFile = texts.join('\n');
      const logMegabytes = Buffer.byteLength(logFile) / 1e6;
      const logSteward = logMegabytes / (timeOnce(() => detectPii(logFile)) / 1000);
      const logNaive = logMegabytes / (timeOnce(() => naiveDetect(logFile)) / 1000);
      return [
        {
          name: 'texts/s',
          unit: 'texts/s',
          value: steward,
          baseline: naive,
          baselineName: 'naive regex pass',
          goal: {
            text: `≥ ${PRESIDIO_TEXTS_PER_SECOND * 10} texts/s (10× Presidio)`,
            met: steward >= PRESIDIO_TEXTS_PER_SECOND * 10,
          },
        },
        {
          name: 'MB/s',
          unit: 'MB/s',
          value: steward / perText,
          baseline: naive / perText,
          baselineName: 'naive regex pass',
          goal: { text: 'measured', met: true },
        },
        {
          name: `one ${logMegabytes.toFixed(1)} MB text`,
          unit: 'MB/s',
          value: logSteward,
          baseline: logNaive,
          baselineName: 'naive regex pass',
          goal: { text: 'within 2× of per-text MB/s', met: logSteward * 2 >= steward / perText },
        },
        {
          name: 'F2 overall',
          unit: 'F2',
          value: quality.overall.f2,
          baseline: naiveQuality.overall.f2,
          baselineName: 'naive regex pass',
          goal: { text: '> 0.85', met: quality.overall.f2 > 0.85 },
        },
      ];
    },
  };
}

export const piiDetectionBenchmarkDefault = piiDetectionBenchmark();

if (import.meta.main) {
  const rows = await piiDetectionBenchmarkDefault.run();
  for (const row of rows)
    console.log(
      `${row.name}: ${row.value.toFixed(row.unit === 'F2' ? 3 : 1)} ${row.unit} vs ${row.baseline.toFixed(row.unit === 'F2' ? 3 : 1)} (${row.baselineName}) → ${(row.value / row.baseline).toFixed(2)}×, goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
}
