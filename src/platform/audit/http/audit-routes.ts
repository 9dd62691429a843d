import { z } from 'zod';
import type { AuditServices } from '../audit-services.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import type { RouteModule } from '../../../kernel/module.ts';
import { currentTreeHead, proveConsistency, proveInclusion } from '../audit-proofs.ts';

const MAX_PAGE = 1_000;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const hash = z.string().describe('SHA-256, standard base64');

const entriesQuery = z
  .object({
    from: size.default(0).describe('Index of the first entry.'),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  })
  .strict();
const entriesResponse = z.object({
  treeSize: z.number().int().describe('Entries integrated into the log so far.'),
  entries: z.array(
    z.object({
      index: z.number().int(),
      entry: z
        .string()
        .describe(
          'The entry exactly as hashed: RFC 8785 canonical JSON. Leaf hash = SHA-256(0x00 ‖ UTF-8 bytes).',
        ),
      leafHash: hash,
    }),
  ),
});
const checkpointResponse = z.object({
  treeSize: z.number().int(),
  rootHash: hash,
  note: z
    .string()
    .describe("C2SP signed-note checkpoint (c2sp.org/tlog-checkpoint); verify it with the log's public key."),
});
const inclusionQuery = z.object({ index: size, treeSize: size }).strict();
const inclusionResponse = z.object({
  index: z.number().int(),
  treeSize: z.number().int(),
  leafHash: hash,
  rootHash: hash,
  proof: z.array(hash),
});
const consistencyQuery = z.object({ from: size, to: size }).strict();
const consistencyResponse = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fromRootHash: hash,
  toRootHash: hash,
  proof: z.array(hash),
});

/** The actor's tenant log: its entries, latest signed checkpoint and RFC 9162 proofs, for auditors. */
export const auditRoutes: RouteModule<AuditServices> = (app, services) => {
  const { db } = services.database;
  const tags = ['audit'];

  app.get(
    '/audit/entries',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        summary: 'List audit log entries in index order',
        querystring: entriesQuery,
        response: { 200: entriesResponse },
      },
    },
    async (request) => {
      const { tenantId } = request.actor;
      const { from, limit } = request.query;
      const { treeSize } = await currentTreeHead(db, tenantId);
      const rows = await db
        .selectFrom('audit_entries')
        .select(['idx', 'entry', 'leaf_hash'])
        .where('tenant_id', '=', tenantId)
        .where('idx', '>=', from)
        .where('idx', '<', treeSize)
        .orderBy('idx')
        .limit(limit)
        .execute();
      return {
        treeSize,
        entries: rows.map((row) => ({ index: row.idx, entry: row.entry, leafHash: base64(row.leaf_hash) })),
      };
    },
  );

  app.get(
    '/audit/checkpoint',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        summary: 'The latest signed checkpoint of the log',
        response: { 200: checkpointResponse },
      },
    },
    async (request) => {
      const { tenantId } = request.actor;
      const latest = await db
        .selectFrom('audit_checkpoints')
        .select(['tree_size', 'root_hash', 'note'])
        .where('tenant_id', '=', tenantId)
        .orderBy('tree_size', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!latest)
        throw new NotFound(
          'audit.no_checkpoint',
          'No checkpoint has been signed for this tenant yet; the audit.checkpoint job signs one within a minute of the first entry.',
        );
      return { treeSize: latest.tree_size, rootHash: base64(latest.root_hash), note: latest.note };
    },
  );

  app.get(
    '/audit/proofs/inclusion',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        operationId: 'getAuditInclusionProof',
        summary: 'RFC 9162 inclusion proof of an entry in a tree size',
        querystring: inclusionQuery,
        response: { 200: inclusionResponse },
      },
    },
    async (request) => {
      const proof = await proveInclusion(
        db,
        request.actor.tenantId,
        request.query.index,
        request.query.treeSize,
      );
      return {
        index: proof.index,
        treeSize: proof.treeSize,
        leafHash: base64(proof.leafHash),
        rootHash: base64(proof.rootHash),
        proof: proof.proof.map(base64),
      };
    },
  );

  app.get(
    '/audit/proofs/consistency',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        operationId: 'getAuditConsistencyProof',
        summary: 'RFC 9162 consistency proof between two tree sizes',
        querystring: consistencyQuery,
        response: { 200: consistencyResponse },
      },
    },
    async (request) => {
      const proof = await proveConsistency(db, request.actor.tenantId, request.query.from, request.query.to);
      return {
        from: proof.from,
        to: proof.to,
        fromRootHash: base64(proof.fromRootHash),
        toRootHash: base64(proof.toRootHash),
        proof: proof.proof.map(base64),
      };
    },
  );
};
