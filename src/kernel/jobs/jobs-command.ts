import { Command } from 'commander';
import { cliContext } from '../cli/cli-context.ts';
import type { StewardDatabase } from '../database/open-database.ts';
import type { CoreTables } from '../database/core-tables.ts';
import type { JobEngine } from './job-engine.ts';
import type { JobsTables } from './jobs-tables.ts';
import { InvalidInput, Unavailable } from '../errors/domain-error.ts';

/** What these commands use: the job engine (enqueue only) and the kernel's own tables. */
interface JobsCommandServices {
  jobs: JobEngine;
  database: StewardDatabase<CoreTables & JobsTables>;
}

const JOBS_ONLY = { withModules: false } as const;
import { listDeadLetters, redriveDeadLetters } from './dead-letters.ts';
import { enqueueProbeRun, readProbeReport, type ProbeReport } from './job-probe.ts';

/** `steward jobs …`: operator views of the job system. */
export function jobsCommand(): Command {
  return new Command('jobs')
    .description('inspect the background job system')
    .addCommand(probeCommand())
    .addCommand(deadLettersCommand())
    .addCommand(redriveCommand());
}

function deadLettersCommand(): Command {
  return new Command('dead-letters')
    .description('list jobs that failed on every attempt (newest first)')
    .option('-q, --queue <queue>', 'only those of this queue')
    .option('-n, --limit <n>', 'how many to show', '50')
    .action(async (options: { queue?: string; limit: string }, command: Command) => {
      const context = cliContext(command);
      const limit = positiveInteger('--limit', options.limit, 10_000);
      const letters = await context.withServices(JOBS_ONLY, ({ jobs }: JobsCommandServices) =>
        listDeadLetters(jobs, { queue: options.queue, limit }),
      );
      const rows = letters.map(
        (l) => `  ${l.failedAt}  ${l.queue.padEnd(24)} ${l.jobId}  ${l.attempts} attempt(s): ${l.error}`,
      );
      context.print(
        letters.length
          ? `${letters.length} dead letter(s):\n${rows.join('\n')}\nRun \`steward jobs redrive\` once the cause is fixed.`
          : 'No dead letters.',
        letters,
      );
    });
}

function redriveCommand(): Command {
  return new Command('redrive')
    .description('move dead letters back to their queues as new jobs, after fixing what made them fail')
    .option('-q, --queue <queue>', 'only those of this queue')
    .action(async (options: { queue?: string }, command: Command) => {
      const context = cliContext(command);
      const moved = await context.withServices(JOBS_ONLY, ({ jobs }: JobsCommandServices) =>
        redriveDeadLetters(jobs, { queue: options.queue }),
      );
      context.print(`Moved ${moved} dead letter(s) back to their queues.`, { moved });
    });
}

function probeCommand(): Command {
  return new Command('probe')
    .description(
      'enqueue probe jobs and report which worker processes ran them (checks that workers share the load and no job runs twice)',
    )
    .option('-n, --count <n>', 'probe jobs to enqueue', '200')
    .option('--hold-ms <ms>', 'simulated work per job, in milliseconds', '20')
    .option('--wait-seconds <s>', 'how long to wait for every probe job to run', '60')
    .action(async (options: { count: string; holdMs: string; waitSeconds: string }, command: Command) => {
      const context = cliContext(command);
      const count = positiveInteger('--count', options.count, 100_000);
      const holdMs = positiveInteger('--hold-ms', options.holdMs, 10_000, 0);
      const waitSeconds = positiveInteger('--wait-seconds', options.waitSeconds, 3600);
      await context.withServices(JOBS_ONLY, async ({ jobs, database }: JobsCommandServices) => {
        const runId = await enqueueProbeRun(database.db, jobs, count, holdMs);
        const spinner = context.spinner(`Waiting for ${count} probe jobs`).start();
        const deadline = Date.now() + waitSeconds * 1000;
        let report = await readProbeReport(database.db, runId, count);
        while (report.ran < count && Date.now() < deadline) {
          spinner.text = `${report.ran} of ${count} probe jobs ran on ${report.workers.length} worker(s)`;
          await new Promise((resolve) => setTimeout(resolve, 250));
          report = await readProbeReport(database.db, runId, count);
        }
        spinner.stop();
        if (report.ran < count) {
          throw new Unavailable(
            'jobs.probe_incomplete',
            `Only ${report.ran} of ${count} probe jobs ran within ${waitSeconds} s (on ${report.workers.length} worker(s)). Check that \`steward worker\` processes, or \`steward serve\` with jobs.runInServe, are running against this database.`,
            { ...report },
          );
        }
        context.print(describeProbeReport(report), report);
      });
    });
}

function describeProbeReport(report: ProbeReport): string {
  const rows = report.workers.map(
    (w) => `  ${w.worker.padEnd(40)} ${String(w.pid).padStart(8)} ${String(w.jobs).padStart(6)}`,
  );
  return [
    `Probe run ${report.runId}: ${report.ran} of ${report.requested} jobs ran on ${report.workers.length} worker(s); ${report.duplicates} ran more than once.`,
    `  ${'WORKER'.padEnd(40)} ${'PID'.padStart(8)} ${'JOBS'.padStart(6)}`,
    ...rows,
  ].join('\n');
}

function positiveInteger(option: string, raw: string, max: number, min = 1): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInput(
      'cli.invalid_option',
      `${option} ${raw} is not valid. Give a whole number from ${min} to ${max}.`,
      { option },
    );
  }
  return value;
}
