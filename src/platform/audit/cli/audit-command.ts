import { createPublicKey } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { Command } from 'commander';
import { OPERATOR_ACTOR, withOperatorDatabase } from '../../auth/operator-database.ts';
import type { PlatformConfig } from '../../platform-services.ts';
import type { StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { AuditDatabase } from '../store/audit-database.ts';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { EXIT_CODE_BY_KIND } from '../../../kernel/cli/exit-codes.ts';
import { Conflict, NotFound } from '../../../kernel/errors/domain-error.ts';
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
      await withOperatorDatabase(context, async ({ db }: StewardDatabase<AuditDatabase>) => {
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
        context.print(
          `Exported ${header.treeSize} entries of ${header.origin} to ${options.out}, ${covered}.`,
          { ...header, out: options.out },
        );
      });
    });
}

function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'check an export offline against signed checkpoints: recompute every leaf and root, check signatures and consistency',
    )
    .requiredOption('--export <file>', 'the file `steward audit export` wrote')
    .requiredOption(
      '--checkpoint <files...>',
      'signed checkpoint(s) obtained outside the database (e.g. from audit.publish.directory); earlier ones check consistency',
    )
    .requiredOption(
      '--public-key <file>',
      'the verifier key `steward audit public-key` printed, or an Ed25519 public key in PEM',
    )
    .action(
      async (options: { export: string; checkpoint: string[]; publicKey: string }, command: Command) => {
        const context = cliContext(command);
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
