import { accessSync, constants, createReadStream, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import type { CommandServicesOptions } from '../../../kernel/cli/cli-context.ts';
import type { RemoteApi } from '../../../kernel/cli/remote-api.ts';
import type { ConsentServices } from '../consent-services.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import { checkConsent } from '../use-cases/check-consent.ts';
import type { ChangeActor } from '../core/consent-actor.ts';
import { consentHistoryForSubject } from '../use-cases/consent-history.ts';
import { expireConsents } from '../use-cases/expire-consents.ts';
import { importConsents, type ImportReport } from '../use-cases/import-consents.ts';
import { listNotices } from '../use-cases/notices.ts';
import { recordConsentChanges } from '../use-cases/record-consent.ts';

const tenantOption = () => new Option('--tenant <id>', 'tenant').default('default');
const cliActor = (tenantId: string): ChangeActor => ({ kind: 'system', id: 'steward-cli', tenantId });

// A withdrawal may enqueue the erasure of the data processed only under that consent.
const CONSENT_COMMAND_SERVICES: CommandServicesOptions = { enqueuesJobs: true };

/** `steward consent …`: check, give, withdraw, history, import, notices, expire. */
export function consentCommand(): Command {
  const consent = new Command('consent').description(
    'consent: check, record, history, import, notices, expiry',
  );

  consent
    .command('check <subject> <purpose>')
    .description("may this subject's data be used for this purpose? (exit 1 when not allowed)")
    .option('--jurisdiction <code>', 'where the subject is, e.g. DE or US-CA')
    .addOption(tenantOption())
    .action(
      async (
        subject: string,
        purpose: string,
        options: { jurisdiction?: string; tenant: string },
        command: Command,
      ) => {
        const context = cliContext(command);
        const query = {
          subject,
          purpose,
          ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
        };
        const remote = context.remote();
        const decision = remote
          ? await remote.call(remote.client.GET('/v1/consent/check', { params: { query } }))
          : await context.withServices(CONSENT_COMMAND_SERVICES, (services: ConsentServices) =>
              checkConsent(services, options.tenant, query),
            );
        context.print(
          `${decision.allowed ? 'ALLOWED' : 'NOT ALLOWED'} (${decision.reason}${decision.legalBasis ? `, ${decision.legalBasis}` : ''}): ${decision.explanation}`,
          decision,
        );
        if (!decision.allowed) process.exitCode = 1;
      },
    );

  for (const action of ['give', 'withdraw'] as const) {
    consent
      .command(`${action} <subject> <purpose>`)
      .description(`record that the subject ${action === 'give' ? 'gave' : 'withdrew'} consent (source: api)`)
      .option('--notice <key>', 'the notice the subject was shown')
      .option('--jurisdiction <code>', 'where the subject is')
      .addOption(tenantOption())
      .action(
        async (
          subject: string,
          purpose: string,
          options: { notice?: string; jurisdiction?: string; tenant: string },
          command: Command,
        ) => {
          const context = cliContext(command);
          const change = {
            purpose,
            action: action === 'give' ? ('given' as const) : ('withdrawn' as const),
            ...(options.notice ? { notice: options.notice } : {}),
          };
          const remote = context.remote();
          const entry = remote
            ? (
                await remote.call(
                  remote.client.POST('/v1/consent/records', {
                    body: {
                      subject,
                      source: 'api',
                      ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
                      changes: [change],
                    },
                  }),
                )
              ).entries[0]!
            : await context.withServices(CONSENT_COMMAND_SERVICES, async (services: ConsentServices) => {
                const [recorded] = await recordConsentChanges(services, cliActor(options.tenant), [
                  {
                    subject,
                    ...change,
                    source: 'api',
                    ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
                  },
                ]);
                return recorded!;
              });
          context.print(
            `Recorded ${entry.action} for ${purpose} (entry ${entry.id}${entry.notice ? `, notice ${entry.notice} v${entry.noticeVersion}` : ''}).`,
            entry,
          );
        },
      );
  }

  consent
    .command('history <subject>')
    .description("the subject's whole consent history (JSON with --json)")
    .addOption(tenantOption())
    .action(async (subject: string, options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const history = remote
        ? await remote.call(
            remote.client.GET('/v1/consent/subjects/{subject}/history', { params: { path: { subject } } }),
          )
        : await context.withServices(CONSENT_COMMAND_SERVICES, (services: ConsentServices) =>
            consentHistoryForSubject(services.database.db, options.tenant, subject),
          );
      const lines = history.entries.map(
        (e) =>
          `  ${e.occurredAt}  ${e.action.padEnd(9)} ${e.purpose}${e.notice ? `  (${e.notice} v${e.noticeVersion})` : ''}  via ${e.source}`,
      );
      context.print(
        lines.length
          ? `Consent history (${lines.length} entries):\n${lines.join('\n')}`
          : 'No consent recorded for this subject.',
        history,
      );
    });

  consent
    .command('import <file>')
    .description(
      'import consents from a .csv or .jsonl file; every rejected line is reported, nothing is imported when one is rejected unless --skip-invalid',
    )
    .option('--skip-invalid', 'import the valid lines even when some are rejected')
    .addOption(
      new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'jsonl']),
    )
    .addOption(tenantOption())
    .action(
      async (
        file: string,
        options: { skipInvalid?: boolean; format?: 'csv' | 'jsonl'; tenant: string },
        command: Command,
      ) => {
        const context = cliContext(command);
        try {
          accessSync(file, constants.R_OK);
        } catch (error) {
          throw new NotFound(
            'consent.import_file',
            `Cannot read ${file} (${(error as NodeJS.ErrnoException).code}).`,
          );
        }
        const format = options.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
        const remote = context.remote();
        const report = remote
          ? await importThroughApi(remote, file, format, options.skipInvalid === true)
          : await context.withServices(CONSENT_COMMAND_SERVICES, (services: ConsentServices) =>
              // Streamed: a file of a million lines is never held in memory whole.
              importConsents(services, cliActor(options.tenant), createReadStream(file), format, {
                skipInvalid: options.skipInvalid === true,
              }),
            );
        const rejected = report.rejected.map((r) => `  line ${r.line}: ${r.reason}`);
        context.print(
          `${report.committed ? `Imported ${report.imported} of ${report.lines} records.` : `Nothing imported (${report.rejected.length} of ${report.lines} records rejected; fix them or use --skip-invalid).`}${rejected.length ? `\nRejected:\n${rejected.join('\n')}` : ''}`,
          report,
        );
        if (report.rejected.length > 0) process.exitCode = 65;
      },
    );

  consent
    .command('notices')
    .description('list the privacy notices (current versions)')
    .addOption(tenantOption())
    .action(async (options: { tenant: string }, command: Command) => {
      const context = cliContext(command);
      const remote = context.remote();
      const notices = remote
        ? (await remote.call(remote.client.GET('/v1/consent/notices'))).notices
        : await context.withServices(CONSENT_COMMAND_SERVICES, (services: ConsentServices) =>
            listNotices(services.database.db, options.tenant),
          );
      context.print(
        notices
          .map(
            (n) =>
              `${n.key.padEnd(24)} v${n.version}  ${n.purpose}  ${n.mechanism} (${n.legalBasis})  ${n.regions.join(',') || 'everywhere'}`,
          )
          .join('\n') || 'No notices.',
        notices,
      );
    });

  consent
    .command('expire')
    .description(
      'expire consents past their validity and emit reminders now (the worker does this every 10 minutes)',
    )
    .action(async (_options: object, command: Command) => {
      const context = cliContext(command);
      await context.withServices(CONSENT_COMMAND_SERVICES, async (services: ConsentServices) => {
        const report = await expireConsents(services);
        context.print(`Expired ${report.expired} consent(s); sent ${report.reminded} reminder(s).`, report);
      });
    });

  return consent;
}

/**
 * Remote `consent import`: the file as the body of POST /v1/consent/import (within the server's body
 * limit). A 422 is not a failure of the call but the report of the rejected lines, printed as locally.
 */
async function importThroughApi(
  remote: RemoteApi,
  file: string,
  format: 'csv' | 'jsonl',
  skipInvalid: boolean,
): Promise<ImportReport> {
  const answer = await remote.client.POST('/v1/consent/import', {
    params: { query: skipInvalid ? { skipInvalid: 'true' } : {} },
    body: readFileSync(file) as never,
    bodySerializer: (body: unknown) => body as Buffer,
    headers: { 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
  });
  if (answer.response.status === 422) return answer.error as ImportReport;
  return remote.call(Promise.resolve(answer));
}
