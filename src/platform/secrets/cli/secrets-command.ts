import { Command } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { OPERATOR_ACTOR, withOperatorDatabase } from '../../auth/operator-database.ts';
import { assertTenantId } from '../../auth/tenants.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { createStewardSecrets } from '../steward-secrets.ts';

/** `steward secrets rotate|set`: master key rotation and storing secrets without the API. */
export function secretsCommand(): Command {
  return new Command('secrets')
    .description('manage encrypted secrets and the master key')
    .addCommand(
      new Command('rotate')
        .description(
          're-wrap every data key under the newest master key version (safe to interrupt and re-run)',
        )
        .option('--batch-size <n>', 'secrets re-wrapped per transaction', '100')
        .action(async (options: { batchSize: string }, command: Command) => {
          const context = cliContext(command);
          const batchSize = Number(options.batchSize);
          if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
            throw new InvalidInput(
              'secrets.bad_batch_size',
              '--batch-size must be a whole number from 1 to 10000.',
            );
          await context.confirm(
            'Rotation re-wraps the data key of every secret, in every tenant, under the newest master key version in STEWARD_MASTER_KEY. Every Steward process must have that version before you run it: a process that has only older versions cannot read the secrets afterwards.',
          );
          // Rotation moves to the newest version of a key the operator configured: the key the embedded
          // database generates for itself is never a rotation target.
          await withOperatorDatabase(context, async ({ db }) => {
            const report = await createStewardSecrets(db).store.rotate({ batchSize, actor: OPERATOR_ACTOR });
            const tenants = Object.entries(report.byTenant).map(([tenant, count]) => `  ${tenant}: ${count}`);
            context.print(
              report.rewrapped === 0
                ? `Every secret is already wrapped with master key version ${report.toVersion}. Older versions can be removed from STEWARD_MASTER_KEY.`
                : `Re-wrapped ${report.rewrapped} secret(s) under master key version ${report.toVersion}:\n${tenants.join('\n')}\nOlder versions can now be removed from STEWARD_MASTER_KEY.`,
              report,
            );
          });
        }),
    )
    .addCommand(
      new Command('set')
        .description('store a secret read from standard input (so it stays out of shell history)')
        .argument('<name>', 'secret name; reference it as secret:NAME')
        .option('--tenant <id>', 'tenant of the secret', 'default')
        .action(async (name: string, options: { tenant: string }, command: Command) => {
          const context = cliContext(command);
          assertTenantId(options.tenant);
          const value = (await readStdin()).replace(/\r?\n$/, '');
          if (value === '')
            throw new InvalidInput(
              'secrets.empty_value',
              'Standard input was empty. Pipe the secret in: printf %s "$VALUE" | steward secrets set NAME',
            );
          const remote = context.remote();
          if (remote) {
            const { secret } = await remote.call(
              remote.client.PUT('/v1/secrets/{name}', { params: { path: { name } }, body: { value } }),
            );
            return context.print(`Stored secret:${name} (version ${secret.version}) on ${remote.server}.`, {
              secret,
            });
          }
          await withOperatorDatabase(context, async (database) => {
            const secret = await createStewardSecrets(database.db, process.env, {
              database,
              logger: context.logger(),
            }).store.put({
              tenantId: options.tenant,
              name,
              value,
              actor: OPERATOR_ACTOR,
            });
            context.print(`Stored secret:${name} (version ${secret.version}) in tenant ${options.tenant}.`, {
              secret,
            });
          });
        }),
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
