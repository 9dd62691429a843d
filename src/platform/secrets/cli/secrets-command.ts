import { Command } from 'commander';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import { OPERATOR_ACTOR, withOperatorDatabase } from '../../auth/operator-database.ts';
import { assertTenantId, tenantExists } from '../../auth/tenants.ts';
import { InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import { createStewardSecrets } from '../steward-secrets.ts';
import type { StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { AuthConfig } from '../../auth/auth-config-schema.ts';
import { resolveNamedOperator } from '../../auth/named-operator.ts';
import { rotationNeedsSecondPerson } from '../../auth/separation-of-duties.ts';
import type { AuthDatabase } from '../../auth/store/auth-database.ts';
import type { SecretsDatabase } from '../store/secrets-database.ts';
import { carryOutRotation, proposeRotation, tenantsToRewrap } from '../rotation-proposals.ts';
import type { RotationReport } from '../secret-store.ts';

/** `steward secrets rotate|set`: master key rotation and storing secrets without the API. */
export function secretsCommand(): Command {
  return new Command('secrets')
    .description('manage encrypted secrets and the master key')
    .addCommand(rotateCommand())
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
            if (!(await tenantExists(database.db, options.tenant)))
              throw new NotFound(
                'secrets.unknown_tenant',
                `No tenant ${options.tenant}. Create it first (POST /v1/tenants), or name an existing one with --tenant.`,
                { tenant: options.tenant },
              );
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

const ROTATION_WARNING =
  'Rotation re-wraps the data key of every secret, in every tenant, under the newest master key version in STEWARD_MASTER_KEY. Every Steward process must have that version before you run it: a process that has only older versions cannot read the secrets afterwards.';

/**
 * `steward secrets rotate`. The master key is the installation's, and only the operator who holds it
 * and the database can re-wrap, so rotation stays a local command; under four eyes
 * (auth.separationOfDuties.secretsRotation, on by default) one person proposes it and another
 * carries it out, each naming themselves with `--as` (the CLI itself is one identity, steward-cli).
 */
function rotateCommand(): Command {
  return new Command('rotate')
    .description(
      're-wrap every data key under the newest master key version (safe to interrupt and re-run); under four eyes one person proposes it (--as), another carries it out (--approve <id> --as)',
    )
    .option(
      '--as <user-or-key-id>',
      'who you are: a user id or e-mail, or an API key id, holding secrets:manage',
    )
    .option('--approve <proposal-id>', "carry out another person's proposed rotation")
    .option('--batch-size <n>', 'secrets re-wrapped per transaction', '100')
    .action(async (options: { as?: string; approve?: string; batchSize: string }, command: Command) => {
      const context = cliContext(command);
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
        throw new InvalidInput(
          'secrets.bad_batch_size',
          '--batch-size must be a whole number from 1 to 10000.',
        );
      const { auth } = context.loadConfig<{ auth: AuthConfig }>().config;
      // Rotation moves to the newest version of a key the operator configured: the key the embedded
      // database generates for itself is never a rotation target.
      await withOperatorDatabase(context, async ({ db }: StewardDatabase<SecretsDatabase & AuthDatabase>) => {
        const { store } = createStewardSecrets(db);
        const toVersion = store.newestMasterKeyVersion();
        const tenants = await tenantsToRewrap(db, toVersion);
        const fourEyes = rotationNeedsSecondPerson(auth, tenants);
        const actor = options.as
          ? await resolveNamedOperator(db, options.as, 'secrets:manage')
          : OPERATOR_ACTOR;
        if (options.approve) {
          const { proposal, report } = await carryOutRotation(db, store, {
            id: options.approve,
            actor,
            fourEyes,
            batchSize,
            confirm: (open) =>
              context.confirm(
                `${ROTATION_WARNING}\nYou carry out rotation ${open.id} to version ${open.toVersion}, proposed by ${open.proposedBy.kind} ${open.proposedBy.id} at ${open.proposedAt}.`,
              ),
          });
          return printRotation(context, report, { proposal });
        }
        if (fourEyes) {
          if (!options.as)
            throw new InvalidInput(
              'secrets.rotation_needs_names',
              `Rotating the master key needs two people here (auth.separationOfDuties.secretsRotation): propose it naming yourself, \`steward secrets rotate --as <your user id, e-mail or API key id>\`; another person carries it out with \`steward secrets rotate --approve <proposal-id> --as <their id>\`.`,
            );
          const { proposal, created } = await proposeRotation(db, { toVersion, proposer: actor, tenants });
          return context.print(
            `${created ? 'Proposed' : 'Already proposed:'} rotation ${proposal.id} to master key version ${toVersion}, by ${proposal.proposedBy.kind} ${proposal.proposedBy.id} at ${proposal.proposedAt}; it re-wraps the secrets of ${tenants.length} tenant(s).\nSomeone else carries it out: \`steward secrets rotate --approve ${proposal.id} --as <their id>\`.`,
            { proposal, tenants },
          );
        }
        if (tenants.length) await context.confirm(ROTATION_WARNING);
        printRotation(context, await store.rotate({ batchSize, actor }), {});
      });
    });
}

function printRotation(context: CliContext, report: RotationReport, extra: Record<string, unknown>): void {
  const tenants = Object.entries(report.byTenant).map(([tenant, count]) => `  ${tenant}: ${count}`);
  context.print(
    report.rewrapped === 0
      ? `Every secret is already wrapped with master key version ${report.toVersion}. Older versions can be removed from STEWARD_MASTER_KEY.`
      : `Re-wrapped ${report.rewrapped} secret(s) under master key version ${report.toVersion}:\n${tenants.join('\n')}\nOlder versions can now be removed from STEWARD_MASTER_KEY.`,
    { ...report, ...extra },
  );
}
