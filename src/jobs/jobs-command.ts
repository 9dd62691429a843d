import { hostname } from 'node:os';
import { Command } from 'commander';
import { cliContext } from '../cli/cli-context.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openDatabase } from '../db/open-database.ts';
import { InvalidInput, Unavailable } from '../errors/domain-error.ts';
import { createJobEngine } from './job-engine.ts';
import { enqueueProbeRun, readProbeReport, type ProbeReport } from './job-probe.ts';
import { allJobDefinitions } from './job-registry.ts';

/** `steward jobs …`: operator views of the job system. */
export function jobsCommand(): Command {
  return new Command('jobs').description('inspect the background job system').addCommand(probeCommand());
}

function probeCommand(): Command {
  return new Command('probe')
    .description('enqueue probe jobs and report which worker processes ran them (checks that workers share the load and no job runs twice)')
    .option('-n, --count <n>', 'probe jobs to enqueue', '200')
    .option('--hold-ms <ms>', 'simulated work per job, in milliseconds', '20')
    .option('--wait-seconds <s>', 'how long to wait for every probe job to run', '60')
    .action(async (options: { count: string; holdMs: string; waitSeconds: string }, command: Command) => {
      const context = cliContext(command);
      const count = positiveInteger('--count', options.count, 100_000);
      const holdMs = positiveInteger('--hold-ms', options.holdMs, 10_000, 0);
      const waitSeconds = positiveInteger('--wait-seconds', options.waitSeconds, 3600);
      const { config } = context.loadConfig();
      if (!config.database.url) {
        throw new InvalidInput(
          'jobs.probe_needs_postgres',
          'The probe checks how separate worker processes share jobs; on the embedded database all jobs run inside the one `steward serve` process. Set database.url to a PostgreSQL server to run several workers.',
        );
      }
      const logger = context.logger();
      const database = await openDatabase(config.database);
      const jobs = createJobEngine(database, allJobDefinitions(), { concurrency: 1, pollIntervalSeconds: config.jobs.pollIntervalSeconds, instanceName: `cli@${hostname()}:${process.pid}` }, logger);
      try {
        await migrateToLatest(database.db);
        await jobs.start({ work: false });
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
      } finally {
        await jobs.stop(1000);
        await database.close();
      }
    });
}

function describeProbeReport(report: ProbeReport): string {
  const rows = report.workers.map((w) => `  ${w.worker.padEnd(40)} ${String(w.pid).padStart(8)} ${String(w.jobs).padStart(6)}`);
  return [
    `Probe run ${report.runId}: ${report.ran} of ${report.requested} jobs ran on ${report.workers.length} worker(s); ${report.duplicates} ran more than once.`,
    `  ${'WORKER'.padEnd(40)} ${'PID'.padStart(8)} ${'JOBS'.padStart(6)}`,
    ...rows,
  ].join('\n');
}

function positiveInteger(option: string, raw: string, max: number, min = 1): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInput('cli.invalid_option', `${option} ${raw} is not valid. Give a whole number from ${min} to ${max}.`, { option });
  }
  return value;
}
