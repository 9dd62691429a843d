import { Command } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { ServerConfig } from '../../../kernel/config/kernel-config-schema.ts';
import { listOutboxMail, type DsrServices, type OutboxMail } from '../../dsr/api.ts';

/**
 * `steward demo mail`: the mail the demo kept instead of sending it (one-time codes, notices,
 * download links), newest first, so a newcomer can verify a request end to end without a mail
 * server. Works while `npm start` runs: it reads the outbox from the shared database.
 */
export function demoMailCommand(): Command {
  return new Command('mail')
    .description('show the mail the demo kept instead of sending it (one-time codes, notices), newest first')
    .option('-n, --limit <n>', 'how many mails to show', '5')
    .action(async (options: { limit: string }, command: Command) => {
      const context = cliContext(command);
      const limit = parseLimit(options.limit);
      const { config } = context.loadConfig<{ server: ServerConfig }>();
      const mails = await context.withServices(
        { enqueuesJobs: false, withModules: false },
        (services: Pick<DsrServices, 'config' | 'database'>) => listOutboxMail(services, { limit }),
      );
      const data = mails.map((mail) => ({ ...mail, createdAt: mail.createdAt.toISOString() }));
      if (!mails.length) {
        const privacyCenter = `http://${config.server.host}:${config.server.port}/privacy`;
        context.print(
          `No mail in the demo outbox yet. While the demo runs without dsr.smtp (npm start), one-time codes and notices to requesters land here instead of being sent: submit a request at ${privacyCenter}, then run this again.`,
          data,
        );
        return;
      }
      context.print(
        [
          `Demo mail, newest first (${mails.length} shown; deleted after retention.stewardData.outboxMailDays):`,
          ...mails.map(describeMail),
        ].join('\n\n'),
        data,
      );
    });
}

function describeMail(mail: OutboxMail): string {
  const when = mail.createdAt.toISOString().slice(0, 19).replace('T', ' ');
  const request = mail.requestId ? `  request ${mail.requestId}` : '';
  const body = mail.text
    .split('\n')
    .map((line) => `  ${line}`.trimEnd())
    .join('\n');
  return `${when} UTC  to ${mail.to}${request}\nSubject: ${mail.subject}\n${body}`;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new InvalidInput('cli.invalid_limit', `--limit ${value} is not a number of mails from 1 to 1000.`);
  return limit;
}
