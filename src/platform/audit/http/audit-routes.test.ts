import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anAuditSetup, anErasureRequestEvent } from '../../../../test/support/audit-fixtures.ts';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { loadCheckpointSigner, loadPseudonymKey, verifierKeyText } from '../audit-keys.ts';
import { hasValidSignature, parseCheckpoint } from '../checkpoint-note.ts';
import { integratePendingEntries } from '../integrate-pending-entries.ts';
import { makeCheckpoints } from '../make-checkpoints.ts';
import { hashLeaf } from '../merkle-hash.ts';
import { verifyConsistency, verifyInclusion } from '../merkle-proof-verification.ts';
import { recordAuditEvent } from '../record-audit-event.ts';
import { parseVerifierKey } from '../verifier-key.ts';

const bytes = (base64: string) => Buffer.from(base64, 'base64');

describe(`audit API`, () => {
  const setup = anAuditSetup();
  let t: TestApp;

  /** Records events, integrates them and signs a checkpoint, as the audit.checkpoint job does. */
  async function logEvents(from: number, to: number) {
    const { db } = t.database;
    for (let n = from; n < to; n++)
      await db.transaction().execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(n)));
    await integratePendingEntries(db, { pseudonymKey: loadPseudonymKey(setup.config), batchSize: 100 });
    await makeCheckpoints(db, setup.config, loadCheckpointSigner(setup.config));
  }

  before(async () => {
    t = await startTestApp({ config: { audit: setup.config } });
  });
  after(async () => {
    await t.close();
    setup.remove();
  });

  test('an auditor checks an entry against the signed checkpoint, then that the log only grew', async () => {
    const headers = await t.headers('auditor');
    await logEvents(0, 9);
    const checkpoint = await t.app.inject({ url: '/v1/audit/checkpoint', headers });
    assert.equal(checkpoint.statusCode, 200);
    const signer = loadCheckpointSigner(setup.config);
    const first = parseCheckpoint(checkpoint.json().note);
    assert.ok(hasValidSignature(first, parseVerifierKey(verifierKeyText(signer.name, signer.publicKey))));
    // Other domains audit too (the auditor's key was issued above), so sizes are read, not assumed.
    const size1 = Number(first.treeSize);
    assert.ok(size1 >= 9);

    const listed = await t.app.inject({ url: `/v1/audit/entries?from=0&limit=${size1}`, headers });
    assert.equal(listed.json().treeSize, size1);
    assert.deepEqual(
      listed.json().entries.map((e: { index: number }) => e.index),
      [...Array(size1).keys()],
    );
    assert.doesNotMatch(listed.body, /ada@example\.com|203\.0\.113\.9/, 'no personal data in the log');
    const entry = listed
      .json()
      .entries.find((e: { entry: string }) => JSON.parse(e.entry).object.id === 'req_4');
    assert.deepEqual(bytes(entry.leafHash), Buffer.from(hashLeaf(Buffer.from(entry.entry, 'utf8'))));
    const inclusion = (
      await t.app.inject({
        url: `/v1/audit/proofs/inclusion?index=${entry.index}&treeSize=${size1}`,
        headers,
      })
    ).json();
    assert.ok(
      verifyInclusion(
        BigInt(entry.index),
        first.treeSize,
        bytes(entry.leafHash),
        inclusion.proof.map(bytes),
        first.rootHash,
      ),
    );

    await logEvents(9, 14);
    const second = parseCheckpoint(
      (await t.app.inject({ url: '/v1/audit/checkpoint', headers })).json().note,
    );
    assert.ok(second.treeSize >= first.treeSize + 5n);
    const consistency = (
      await t.app.inject({ url: `/v1/audit/proofs/consistency?from=${size1}&to=${second.treeSize}`, headers })
    ).json();
    assert.ok(
      verifyConsistency(
        first.treeSize,
        second.treeSize,
        consistency.proof.map(bytes),
        first.rootHash,
        second.rootHash,
      ),
    );
    assert.ok(
      !verifyConsistency(
        first.treeSize,
        second.treeSize,
        consistency.proof.map(bytes),
        second.rootHash,
        second.rootHash,
      ),
    );
  });

  test('sizes beyond the log are refused with a reason', async () => {
    const response = await t.app.inject({
      url: '/v1/audit/proofs/inclusion?index=0&treeSize=99999',
      headers: await t.headers('auditor'),
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'audit.tree_size_unknown');
  });

  test('a developer cannot read the audit log, and another tenant sees only its own log', async () => {
    assert.equal(
      (await t.app.inject({ url: '/v1/audit/entries', headers: await t.headers('developer') })).statusCode,
      403,
    );
    const initechHeaders = await t.headers('auditor', 'initech');
    await logEvents(100, 101);
    const other = await t.app.inject({ url: '/v1/audit/entries', headers: initechHeaders });
    assert.equal(other.statusCode, 200);
    assert.ok(other.json().entries.every((e: { entry: string }) => JSON.parse(e.entry).tenant === 'initech'));
    assert.ok(!other.body.includes('req_4'));
  });
});
