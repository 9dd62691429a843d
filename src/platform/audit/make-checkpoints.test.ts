import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { anAuditSetup, anErasureRequestEvent } from '../../../test/support/audit-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import type { AuditConfig } from './audit-config-schema.ts';
import { loadCheckpointSigner, loadPseudonymKey } from './audit-keys.ts';
import { currentTreeHead } from './audit-proofs.ts';
import { parseCheckpoint, signCheckpoint } from './checkpoint-note.ts';
import { publishCheckpoint } from './checkpoint-publisher.ts';
import { integratePendingEntries } from './integrate-pending-entries.ts';
import { makeCheckpoints } from './make-checkpoints.ts';
import { recordAuditEvent } from './record-audit-event.ts';

async function logEvents(
  database: TestDatabase,
  config: AuditConfig,
  from: number,
  to: number,
): Promise<void> {
  for (let n = from; n < to; n++)
    await database.db.transaction().execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(n)));
  await integratePendingEntries(database.db, { pseudonymKey: loadPseudonymKey(config), batchSize: 100 });
}

/** A witness-like endpoint that keeps every checkpoint POSTed to it. */
async function aCheckpointWitness() {
  const received: { tenant: string | undefined; contentType: string | undefined; note: string }[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({
      tenant: request.headers['x-steward-tenant'] as string | undefined,
      contentType: request.headers['content-type'],
      note: Buffer.concat(chunks).toString('utf8'),
    });
    response.writeHead(201).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/checkpoints`,
    received,
    close: () => server.close(),
  };
}

test(`a checkpoint is published once per new tree size, to the directory and the HTTP endpoint`, async () => {
  const witness = await aCheckpointWitness();
  const setup = anAuditSetup({ url: witness.url });
  const database = await createTestDatabase();
  try {
    const signer = loadCheckpointSigner(setup.config);
    await logEvents(database, setup.config, 0, 3);
    assert.deepEqual(await makeCheckpoints(database.db, setup.config, signer), [
      { tenantId: 'default', treeSize: 3, created: true },
    ]);
    assert.deepEqual(await makeCheckpoints(database.db, setup.config, signer), [
      { tenantId: 'default', treeSize: 3, created: false },
    ]);
    await logEvents(database, setup.config, 3, 5);
    await makeCheckpoints(database.db, setup.config, signer);

    const folder = join(setup.config.publish.directory!, 'default');
    assert.deepEqual(readdirSync(folder).sort(), ['3', '5']);
    assert.deepEqual(
      witness.received.map((r) => [r.tenant, parseCheckpoint(r.note).treeSize]),
      [
        ['default', 3n],
        ['default', 5n],
      ],
    );
    assert.equal(witness.received[1]!.note, readFileSync(join(folder, '5'), 'utf8'));
    assert.match(witness.received[0]!.contentType ?? '', /^text\/plain/);
    const head = await currentTreeHead(database.db, 'default');
    assert.deepEqual(
      parseCheckpoint(readFileSync(join(folder, '5'), 'utf8')).rootHash,
      Buffer.from(head.rootHash),
    );
  } finally {
    witness.close();
    await database.close();
    setup.remove();
  }
});

test(`a planted checkpoint whose root the log does not extend makes the signer refuse`, async () => {
  const setup = anAuditSetup();
  const database = await createTestDatabase();
  try {
    const signer = loadCheckpointSigner(setup.config);
    await logEvents(database, setup.config, 0, 4);
    await makeCheckpoints(database.db, setup.config, signer);
    // A note for a later size that commits to an older root, as if the log had been rolled back.
    const folder = join(setup.config.publish.directory!, 'default');
    await logEvents(database, setup.config, 4, 6);
    const planted = signCheckpoint(
      {
        origin: 'audit.test.example/default',
        treeSize: 6n,
        rootHash: parseCheckpoint(readFileSync(join(folder, '4'), 'utf8')).rootHash,
      },
      signer,
    );
    rmSync(join(folder, '4'));
    writeFileSync(join(folder, '6'), planted);
    await assert.rejects(makeCheckpoints(database.db, setup.config, signer), {
      code: 'audit.history_rewritten',
    });
  } finally {
    await database.close();
    setup.remove();
  }
});

test(`the signer will not continue from a published checkpoint it did not sign`, async () => {
  const setup = anAuditSetup();
  const database = await createTestDatabase();
  try {
    const signer = loadCheckpointSigner(setup.config);
    await logEvents(database, setup.config, 0, 2);
    const head = await currentTreeHead(database.db, 'default');
    const forger = { ...signer, privateKey: generateKeyPairSync('ed25519').privateKey };
    const folder = join(setup.config.publish.directory!, 'default');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, '2'),
      signCheckpoint({ origin: 'audit.test.example/default', treeSize: 2n, rootHash: head.rootHash }, forger),
    );
    await assert.rejects(makeCheckpoints(database.db, setup.config, signer), {
      code: 'audit.checkpoint_untrusted',
    });
  } finally {
    await database.close();
    setup.remove();
  }
});

test('publishing the same note again is a no-op; another note for a published size is a split view', async () => {
  const setup = anAuditSetup();
  try {
    const signer = loadCheckpointSigner(setup.config);
    const note = (root: string) =>
      signCheckpoint(
        { origin: 'audit.test.example/default', treeSize: 7n, rootHash: Buffer.alloc(32, root) },
        signer,
      );
    await publishCheckpoint(setup.config.publish, 'default', 7, note('a'));
    await publishCheckpoint(setup.config.publish, 'default', 7, note('a'));
    await assert.rejects(publishCheckpoint(setup.config.publish, 'default', 7, note('b')), {
      code: 'audit.split_view',
    });
    assert.equal(readFileSync(join(setup.config.publish.directory!, 'default', '7'), 'utf8'), note('a'));
  } finally {
    setup.remove();
  }
});
