import { z } from 'zod';

/** Audit keys must live outside the database, so only environment and file references are accepted. */
const outsideKeyReference = z
  .string()
  .regex(/^(env|file):.+/, 'must be env:NAME or file:/path (the key must not live in the database)');

const publishSchema = z
  .object({
    directory: z
      .string()
      .nullable()
      .default('./.steward/audit/checkpoints')
      .describe(
        'Directory each signed checkpoint is written to, one file per tree size, never overwritten; null to publish only to url. Mount it from storage the database operator cannot rewrite (another host, WORM bucket).',
      ),
    url: z
      .url()
      .optional()
      .describe(
        'HTTP endpoint each signed checkpoint is POSTed to as text/plain (a witness or an append-only store).',
      ),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  })
  .strict();

export const auditConfigSchema = z
  .object({
    origin: z
      .string()
      .regex(/^[^\s+]+$/, 'must not contain spaces or +')
      .default('steward.local/audit')
      .describe(
        'Name of the log in checkpoints (C2SP tlog-checkpoint origin); each tenant log is <origin>/<tenant>. Use your host name.',
      ),
    signingKeyRef: outsideKeyReference
      .default('file:./.steward/audit/checkpoint-signing-key.pem')
      .describe(
        'Ed25519 private key (PKCS#8 PEM) that signs checkpoints. Keep it away from the database host.',
      ),
    pseudonymKeyRef: outsideKeyReference
      .default('file:./.steward/audit/pseudonym.key')
      .describe(
        'Secret (32+ characters) that keys the HMAC turning data-subject references into pseudonyms in audit entries.',
      ),
    createMissingKeys: z
      .boolean()
      .optional()
      .describe(
        'Create the key files above when they do not exist. Unset: only with the embedded database (one process). With PostgreSQL several processes share each log and must use the same keys, so Steward refuses to start without them: provision them (`steward audit keygen`), or set true if every process runs from the same directory on one host.',
      ),
    publish: publishSchema.default(publishSchema.parse({})),
    integrateBatchSize: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .default(2_000)
      .describe('Pending audit events the integrator appends per transaction.'),
  })
  .strict();

export type AuditConfig = z.infer<typeof auditConfigSchema>;
