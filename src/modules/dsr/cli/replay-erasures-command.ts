import { Command } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import type { DsrServices } from '../dsr-services.ts';
import { Conflict, InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { dsrKeyring } from '../use-cases/requests/dsr-keyring.ts';
import { journalHasher } from '../use-cases/journal/record-erasure.ts';
import { replayErasures, type ReplayReport } from '../use-cases/journal/replay-erasures.ts';
import { renderErasure } from '../use-cases/requests/render-request-result.ts';

/** `steward dsr replay-erasures --since DATE`: after restoring a backup, erase again what was erased since. */
export function replayErasuresCommand(): Command {
  return new Command('replay-erasures')
    .description(
      'after restoring a backup, apply again every erasure recorded in the journal since DATE (the backup time)',
    )
    .requiredOption(
      '--since <date>',
      'ISO date or timestamp of the backup, e.g. 2026-05-01 or 2026-05-01T03:00:00Z',
    )
    .option('--tenant <id>', 'tenant whose journal is replayed', 'default')
    .option('--dry-run', 'show what would change without changing it')
    .action(async (options: { since: string; tenant: string; dryRun?: boolean }, command: Command) => {
      const context = cliContext(command);
      const since = new Date(options.since);
      if (Number.isNaN(since.getTime()))
        throw new InvalidInput(
          'dsr.bad_since',
          `--since must be a date such as 2026-05-01, not "${options.since}".`,
        );
      const spinner = context.spinner('Replaying erasures').start();
      await context
        .withServices({ enqueuesJobs: false }, async (services: DsrServices) => {
          const dataMap = services.dataMaps.forTenant(options.tenant);
          const report = await replayErasures({
            db: services.database.db,
            tenantId: options.tenant,
            since,
            hash: journalHasher(dsrKeyring(services.config.dsr), options.tenant),
            connectorFor: (id) => {
              const system = dataMap.system(id);
              return system ? services.connectors.forSystem(options.tenant, system) : undefined;
            },
            dryRun: options.dryRun,
            // Keys Steward holds itself (secret:NAME) need its store, as the erasure did.
            resolveKey: (reference) => services.secrets.resolve(reference, options.tenant),
          });
          spinner.stop();
          context.print(renderReplay(report, options.dryRun === true), report);
          const left = report.outcomes.flatMap((o) => o.report?.verification?.survivors ?? []);
          if (left.length)
            throw new Conflict(
              'dsr.replay_incomplete',
              `The replay left ${left.reduce((n, s) => n + s.count, 0)} row(s) of erased subjects in place; see the report above.`,
            );
        })
        .finally(() => spinner.stop());
    });
}

function renderReplay(report: ReplayReport, dryRun: boolean): string {
  if (!report.entries) return 'No erasure was recorded since that date.';
  const lines = [
    `${report.entries} erasure(s) recorded since that date${dryRun ? ' (dry run: nothing changed)' : ''}:`,
  ];
  for (const o of report.outcomes) {
    lines.push(
      `  ${o.erasedAt.slice(0, 10)} ${o.entry} ${o.system}: ${o.outcome}${o.report ? '' : ` — ${o.reason ?? 'the subject is not in the restored data'}`}`,
    );
    // The erasure report of the replay, re-read from the system like any erasure's.
    if (o.report) lines.push(...renderErasure(o.report, '    '));
  }
  const survivors = report.outcomes.flatMap((o) => o.report?.verification?.survivors ?? []);
  if (survivors.length)
    lines.push(
      '',
      `NOT COMPLETE: ${survivors.reduce((n, s) => n + s.count, 0)} row(s) of erased subjects are still found (listed above).`,
    );
  return lines.join('\n');
}
