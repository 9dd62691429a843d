import { createPublicKey } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { Command } from 'commander';
import { OPERATOR_ACTOR, withOperatorDatabase } from '../../auth/operator-database.ts';
import type { PlatformConfig } from '../../platform-services.ts';
import type { StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { AuditDatabase } from '../store/audit-database.ts';
import { cliContext, type CliContext } from '../../../kernel/cli/cli-context.ts';
import { EXIT_CODE_BY_KIND } from '../../../kernel/cli/exit-codes.ts';
import { Conflict, InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import {
  auditConfigFor,
  createKeyFile,
  generatePseudonymKey,
  generateSigningKey,
  loadCheckpointSigner,
  loadPseudonymKey,
  verifierKeyText,
} from '../audit-keys.ts';
import { exportAuditLog } from '../export-audit-log.ts';
import { openExportFile } from '../export-byte-source.ts';
import { integratePendingEntries } from '../integrate-pending-entries.ts';
import { makeCheckpoints } from '../make-checkpoints.ts';
import { recordAuditEvent } from '../record-audit-event.ts';
import { parseVerifierKey } from '../verifier-key.ts';
import { verifyAuditExport } from '../verify-audit-export.ts';
import type { AuditConfig } from '../audit-config-schema.ts';
import { recordIntegrityFinding } from '../integrity-findings.ts';
import { verifyLogInDatabase, type DatabaseLogVerification } from '../verify-log-in-database.ts';
import type { EventsTables } from '../../events/store/events-tables.ts';

/** `steward audit …`: export the log, verify an export offline, sign a checkpoint now, show the public key, make keys. */
export function auditCommand(): Command {
  return new Command('audit')
    .description('the tamper-evident audit log: export, offline verification, checkpoints')
    .addCommand(exportCommand())
    .addCommand(verifyCommand())
    .addCommand(checkpointCommand())
    .addCommand(publicKeyCommand())
    .addCommand(keygenCommand());
}

function exportCommand(): Command {
  return new Command('export')
    .description(
      "write a tenant's audit log (entries as hashed, plus the latest signed checkpoint) to a file",
    )
    .requiredOption('--out <file>', 'file to write (refused if it exists)')
    .option('--tenant <id>', 'tenant whose log to export', 'default')
    .action(async (options: { out: string; tenant: string }, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<PlatformConfig>();
      const audit = auditConfigFor(config);
      await withOperatorDatabase(context, async ({ db }: StewardDatabase<AuditDatabase & EventsTables>) => {
        // What is exported is checked first, in the database: a log with removed or changed rows is
        // still written out (it is evidence), but reported and the command fails.
        const verification = await verifyLogInDatabase(db, audit, verificationKeys(audit), options.tenant);
        await recordIntegrityFinding(
          db,
          { logger: context.logger() },
          options.tenant,
          'full',
          verification.problems,
        );
        const out = createWriteStream(options.out, { flags: 'wx' });
        const header = await exportAuditLog(db, config.audit, options.tenant, out);
        out.end();
        await finished(out);
        await db.transaction().execute((trx) =>
          recordAuditEvent(trx, {
            tenantId: options.tenant,
            actor: OPERATOR_ACTOR,
            action: 'audit.log.exported',
            object: { type: 'audit_log', id: header.origin },
            outcome: 'success',
            details: { treeSize: header.treeSize },
          }),
        );
        const covered = header.checkpoint
          ? 'with its latest checkpoint'
          : 'without a checkpoint yet (run `steward audit checkpoint`)';
        const lines = [
          `Exported ${header.entriesWritten} entries of ${header.origin} to ${options.out}, ${covered}.`,
          verification.ok
            ? `Verified in the database: ${describeVerification(verification)}.`
            : `NOT VERIFIED (the export holds what the database holds now):\n${verification.problems.map((p) => `  ${p}`).join('\n')}`,
        ];
        context.print(lines.join('\n'), { ...header, out: options.out, verification });
        if (!verification.ok) process.exitCode = EXIT_CODE_BY_KIND.invalid;
      });
    });
}

function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'check an export offline against signed checkpoints (recompute every leaf and root, check signatures and consistency), or with --database the log where it lives, its side records and the consent entries it anchors',
    )
    .option('--export <file>', 'the file `steward audit export` wrote')
    .option(
      '--checkpoint <files...>',
      'signed checkpoint(s) obtained outside the database (e.g. from audit.publish.directory); earlier ones check consistency',
    )
    .option(
      '--public-key <file>',
      'the verifier key `steward audit public-key` printed, or an Ed25519 public key in PEM',
    )
    .option(
      '--database',
      'check the log in the database instead: entries, roots against the last trusted checkpoint, side records, anchored consent ledger entries',
    )
    .option('--tenant <id>', 'with --database: the tenant whose log to check (default: every tenant)')
    .action(
      async (
        options: {
          export?: string;
          checkpoint?: string[];
          publicKey?: string;
          database?: boolean;
          tenant?: string;
        },
        command: Command,
      ) => {
        const context = cliContext(command);
        if (options.database) return verifyDatabase(context, options.tenant);
        if (!options.export || !options.checkpoint?.length || !options.publicKey)
          throw new InvalidInput(
            'audit.verify_usage',
            'Give --export, --checkpoint and --public-key to check an export, or --database to check the log in the database.',
          );
        const key = parseVerifierKey(readText(options.publicKey));
        const checkpoints = options.checkpoint.map((file) => ({ source: file, note: readText(file) }));
        const source = await openExportFile(options.export);
        const spinner = context.spinner('Recomputing the Merkle tree').start();
        const result = await verifyAuditExport(source, checkpoints, key).finally(async () => {
          spinner.stop();
          await source.close();
        });
        const lines = result.checkpoints.map(
          (c) =>
            `${c.valid ? 'ok  ' : 'FAIL'} checkpoint ${c.source} (size ${c.treeSize ?? '?'})${c.problem ? `: ${c.problem}` : ''}`,
        );
        if (result.uncovered > 0)
          lines.push(`note: the last ${result.uncovered} entries are not covered by a checkpoint yet`);
        lines.push(
          result.ok
            ? `Verified: ${result.entries} entries of ${result.origin} match every checkpoint.`
            : `NOT VERIFIED:\n${result.problems.map((p) => `  ${p}`).join('\n')}`,
        );
        context.print(lines.join('\n'), result);
        // A failed verification is a finding about the data, not a crash: report it, then exit non-zero.
        if (!result.ok) process.exitCode = EXIT_CODE_BY_KIND.invalid;
      },
    );
}

/** `audit verify --database`: each tenant's log checked where it lives; a finding raises the integrity alarm. */
async function verifyDatabase(context: CliContext, tenant: string | undefined): Promise<void> {
  const { config } = context.loadConfig<PlatformConfig>();
  const audit = auditConfigFor(config);
  await withOperatorDatabase(context, async ({ db }: StewardDatabase<AuditDatabase & EventsTables>) => {
    const tenants = tenant
      ? [tenant]
      : (await db.selectFrom('audit_tree_state').select('tenant_id').orderBy('tenant_id').execute()).map(
          (t) => t.tenant_id,
        );
    const results = [];
    for (const tenantId of tenants) {
      const verification = await verifyLogInDatabase(db, audit, verificationKeys(audit), tenantId);
      await recordIntegrityFinding(db, { logger: context.logger() }, tenantId, 'full', verification.problems);
      results.push(verification);
    }
    const lines = results.map((r) =>
      r.ok
        ? `ok   ${r.tenantId}: ${describeVerification(r)}`
        : `FAIL ${r.tenantId}:\n${r.problems.map((p) => `  ${p}`).join('\n')}`,
    );
    const ok = results.every((r) => r.ok);
    lines.push(ok ? `Verified: ${results.length} log(s).` : 'NOT VERIFIED.');
    context.print(lines.join('\n'), { ok, logs: results });
    if (!ok) process.exitCode = EXIT_CODE_BY_KIND.invalid;
  });
}

function verificationKeys(audit: AuditConfig) {
  const signer = loadCheckpointSigner(audit);
  return {
    pseudonymKey: loadPseudonymKey(audit),
    signer: { name: signer.name, publicKey: signer.publicKey },
  };
}

function describeVerification(v: DatabaseLogVerification): string {
  const against =
    v.checkpointSize !== undefined
      ? `, the first ${v.checkpointSize} against the signed checkpoint`
      : ', no checkpoint yet';
  return `${v.entries} entries${against}, ${v.sideRecords} side records, ${v.anchors} anchored records`;
}

function checkpointCommand(): Command {
  return new Command('checkpoint')
    .description(
      'append pending events to the log and sign and publish checkpoints now (the audit.checkpoint job does this every minute)',
    )
    .action(async (_options: object, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<PlatformConfig>();
      const audit = auditConfigFor(config);
      await withOperatorDatabase(context, async ({ db }: StewardDatabase<AuditDatabase>) => {
        const integrated = await integratePendingEntries(db, {
          pseudonymKey: loadPseudonymKey(audit),
          batchSize: audit.integrateBatchSize,
        });
        const outcomes = await makeCheckpoints(db, audit, loadCheckpointSigner(audit));
        const lines = outcomes.map(
          (o) =>
            `${o.tenantId}: ${o.treeSize} entries${o.created ? ', new checkpoint published' : ', checkpoint already current'}`,
        );
        context.print([`Appended ${integrated} pending event(s).`, ...lines].join('\n'), {
          integrated,
          checkpoints: outcomes,
        });
      });
    });
}

function publicKeyCommand(): Command {
  return new Command('public-key')
    .description('print the verifier key auditors pin to check checkpoints (C2SP signed-note format)')
    .action(async (_options: object, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<PlatformConfig>();
      const signer = loadCheckpointSigner(auditConfigFor(config));
      const verifierKey = verifierKeyText(signer.name, signer.publicKey);
      context.print(verifierKey, {
        verifierKey,
        pem: signer.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      });
    });
}

function keygenCommand(): Command {
  return new Command('keygen')
    .description(
      'create the checkpoint signing key and the pseudonym key once, to give every Steward process (required on PostgreSQL)',
    )
    .requiredOption('--dir <folder>', 'folder to write them to (existing key files are never overwritten)')
    .action(async (options: { dir: string }, command: Command) => {
      const context = cliContext(command);
      const { config } = context.loadConfig<PlatformConfig>();
      const signingKey = resolve(options.dir, 'checkpoint-signing-key.pem');
      const pseudonymKey = resolve(options.dir, 'pseudonym.key');
      for (const file of [signingKey, pseudonymKey]) {
        if (existsSync(file))
          throw new Conflict(
            'audit.key_exists',
            `${file} already exists; audit keys are never overwritten (a new pseudonym key would change every pseudonym). Choose another --dir.`,
            { file },
          );
      }
      const pem = generateSigningKey();
      createKeyFile(signingKey, pem);
      createKeyFile(pseudonymKey, generatePseudonymKey());
      const verifierKey = verifierKeyText(config.audit.origin, createPublicKey(pem));
      const settings = { signingKeyRef: `file:${signingKey}`, pseudonymKeyRef: `file:${pseudonymKey}` };
      context.print(
        [
          `Created ${signingKey} and ${pseudonymKey} (readable by their owner only).`,
          'Give every Steward process these files and set in steward.yaml:',
          'audit:',
          `  signingKeyRef: ${settings.signingKeyRef}`,
          `  pseudonymKeyRef: ${settings.pseudonymKeyRef}`,
          `Auditors pin the verifier key: ${verifierKey}`,
        ].join('\n'),
        { ...settings, verifierKey },
      );
    });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new NotFound(
      'audit.file_unreadable',
      `Cannot read ${file} (${(error as NodeJS.ErrnoException).code}). Check the path.`,
      { file },
    );
  }
}
