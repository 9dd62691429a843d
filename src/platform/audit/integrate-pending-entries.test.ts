import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { anErasureRequestEvent } from '../../../test/support/audit-fixtures.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import type { AuditEventInput } from './audit-event.ts';
import { destroySubjectSideRecords } from './destroy-subject-side-records.ts';
import { currentTreeHead, proveConsistency, proveInclusion, rootHashAt } from './audit-proofs.ts';
import { integratePendingEntries } from './integrate-pending-entries.ts';
import { hashLeaf } from './merkle-hash.ts';
import { verifyConsistency, verifyInclusion } from './merkle-proof-verification.ts';
import { recordAuditEvent } from './record-audit-event.ts';
import { commitToSideRecord } from './side-record-commitment.ts';

const settings = { pseudonymKey: randomBytes(32), batchSize: 7 };

test(`events become leaves with contiguous indices and provable inclusion`, async () => {
  const database = await createTestDatabase();
  try {
    for (let n = 0; n < 20; n++) {
      await database.db
        .transaction()
        .execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(n, 'ada@example.com')));
    }
    assert.equal(await integratePendingEntries(database.db, settings), 20);
    const head = await currentTreeHead(database.db, 'default');
    assert.equal(head.treeSize, 20);

    const rows = await database.db
      .selectFrom('audit_entries')
      .select(['idx', 'entry', 'leaf_hash'])
      .orderBy('idx')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.idx),
      [...Array(20).keys()],
    );
    for (const row of rows) {
      assert.equal(
        Buffer.from(row.leaf_hash).toString('hex'),
        Buffer.from(hashLeaf(Buffer.from(row.entry, 'utf8'))).toString('hex'),
      );
      assert.doesNotMatch(row.entry, /ada@example\.com|203\.0\.113\.9/);
    }
    const first = JSON.parse(rows[0]!.entry);
    assert.equal(first.object.id, 'req_0');
    assert.equal(first.subject, JSON.parse(rows[1]!.entry).subject, 'one person, one pseudonym');

    for (const size of [1, 7, 13, 20]) {
      const root = await rootHashAt(database.db, 'default', size);
      for (const index of [0, size - 1, Math.floor(size / 2)]) {
        const p = await proveInclusion(database.db, 'default', index, size);
        assert.ok(
          verifyInclusion(BigInt(index), BigInt(size), p.leafHash, p.proof, root),
          `${index} in ${size}`,
        );
      }
      const c = await proveConsistency(database.db, 'default', size, 20);
      assert.ok(verifyConsistency(BigInt(size), 20n, c.proof, root, head.rootHash), `${size} → 20`);
    }
  } finally {
    await database.close();
  }
});

test(`an event recorded in a rolled-back transaction never reaches the log`, async () => {
  const database = await createTestDatabase();
  try {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, anErasureRequestEvent(1, 'bob@example.com'));
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    await database.db
      .transaction()
      .execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(2, 'bob@example.com')));
    await integratePendingEntries(database.db, settings);
    const entries = await database.db.selectFrom('audit_entries').select('entry').execute();
    assert.deepEqual(
      entries.map((e) => JSON.parse(e.entry).object.id),
      ['req_2'],
    );
  } finally {
    await database.close();
  }
});

test(`destroying a side record keeps every proof valid`, async () => {
  const database = await createTestDatabase();
  try {
    for (let n = 0; n < 5; n++)
      await database.db
        .transaction()
        .execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(n, 'cy@example.com')));
    await integratePendingEntries(database.db, settings);
    const side = await database.db
      .selectFrom('audit_entry_details')
      .selectAll()
      .where('idx', '=', 2)
      .executeTakeFirstOrThrow();
    const entry = JSON.parse(
      (
        await database.db
          .selectFrom('audit_entries')
          .select('entry')
          .where('idx', '=', 2)
          .executeTakeFirstOrThrow()
      ).entry,
    );
    assert.equal(
      entry.private,
      commitToSideRecord(side.salt, { subjectRef: 'cy@example.com', sourceAddress: '203.0.113.9' }),
      'the leaf commits to the side record',
    );

    assert.equal(await destroySubjectSideRecords(database.db, 'default', 'cy@example.com'), 5);
    assert.equal((await database.db.selectFrom('audit_entry_details').select('idx').execute()).length, 0);
    const head = await currentTreeHead(database.db, 'default');
    const p = await proveInclusion(database.db, 'default', 2, 5);
    assert.ok(verifyInclusion(2n, 5n, p.leafHash, p.proof, head.rootHash));
  } finally {
    await database.close();
  }
});

test(`a subject forgotten while its events wait for the integrator gets pseudonyms but no side record`, async () => {
  const database = await createTestDatabase();
  try {
    await database.db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, anErasureRequestEvent(1, 'email:eve@example.com'));
      await recordAuditEvent(trx, anErasureRequestEvent(2, 'customer_id:C-77'));
      await recordAuditEvent(trx, anErasureRequestEvent(3, 'email:fay@example.com'));
    });
    await integratePendingEntries(database.db, { ...settings, batchSize: 1000 });
    await database.db
      .transaction()
      .execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(4, 'customer_id:C-77')));

    assert.equal(
      await destroySubjectSideRecords(database.db, 'default', ['email:eve@example.com', 'customer_id:C-77']),
      2,
      'the integrated ones',
    );
    await integratePendingEntries(database.db, { ...settings, batchSize: 1000 });

    const details = await database.db.selectFrom('audit_entry_details').select('subject_ref').execute();
    assert.deepEqual(
      details,
      [{ subject_ref: 'email:fay@example.com' }],
      'only the other subject keeps a side record',
    );
    const entries = await database.db
      .selectFrom('audit_entries')
      .select(['idx', 'entry'])
      .orderBy('idx')
      .execute();
    const last = JSON.parse(entries[3]!.entry);
    assert.equal(
      last.subject,
      JSON.parse(entries[1]!.entry).subject,
      'the late event still carries the pseudonym',
    );
    assert.ok(last.private, 'and its commitment');
    assert.ok(entries.every((e) => !e.entry.includes('C-77') && !e.entry.includes('eve@')));
  } finally {
    await database.close();
  }
});

test(`proofs refuse sizes the log has not reached`, async () => {
  const database = await createTestDatabase();
  try {
    await database.db
      .transaction()
      .execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(1, 'dee@example.com')));
    await integratePendingEntries(database.db, settings);
    await assert.rejects(proveInclusion(database.db, 'default', 0, 2), { code: 'audit.tree_size_unknown' });
    await assert.rejects(proveInclusion(database.db, 'default', 1, 1), { code: 'audit.index_out_of_range' });
    await assert.rejects(proveConsistency(database.db, 'default', 1, 0), { code: 'audit.sizes_reversed' });
  } finally {
    await database.close();
  }
});

test(`side records hold exactly the personal details an event had, and events without any get none`, async () => {
  const database = await createTestDatabase();
  try {
    const base = anErasureRequestEvent(0, 'unused');
    const events: AuditEventInput[] = [
      { ...base, object: { type: 'dsr_request', id: 'address-only' }, subjectRef: undefined },
      {
        ...base,
        object: { type: 'dsr_request', id: 'subject-only' },
        sourceAddress: undefined,
        subjectRef: 'eve@example.com',
      },
      {
        ...base,
        object: { type: 'dsr_request', id: 'neither' },
        sourceAddress: undefined,
        subjectRef: undefined,
      },
    ];
    await database.db.transaction().execute(async (trx) => {
      for (const event of events) await recordAuditEvent(trx, event);
    });
    await integratePendingEntries(database.db, settings);
    const entries = await database.db
      .selectFrom('audit_entries')
      .select(['idx', 'entry'])
      .orderBy('idx')
      .execute();
    const details = await database.db
      .selectFrom('audit_entry_details')
      .select(['idx', 'subject_ref', 'source_address'])
      .orderBy('idx')
      .execute();
    assert.deepEqual(details, [
      { idx: 0, subject_ref: null, source_address: '203.0.113.9' },
      { idx: 1, subject_ref: 'eve@example.com', source_address: null },
    ]);
    const [addressOnly, subjectOnly, neither] = entries.map((e) => JSON.parse(e.entry));
    assert.ok(addressOnly.private && !addressOnly.subject);
    assert.ok(subjectOnly.private && subjectOnly.subject);
    assert.ok(!neither.private && !neither.subject);
  } finally {
    await database.close();
  }
});

test(`an event pending from the first schema version (no commitment yet) is completed by the integrator`, async () => {
  const database = await createTestDatabase();
  try {
    const body =
      '{"action":"dsr.request.created","actor":{"id":"u1","kind":"user"},"object":{"id":"r1","type":"dsr"},"outcome":"success","tenant":"default","time":"2026-11-29T14:56:28.307Z","v":1}';
    await database.db
      .insertInto('audit_pending')
      .values({
        tenant_id: 'default',
        body,
        subject_ref: 'fay@example.com',
        source_address: null,
        salt: null,
        action: null,
        recorded_at: null,
      })
      .execute();
    await integratePendingEntries(database.db, settings);
    const entry = await database.db
      .selectFrom('audit_entries')
      .select(['entry', 'action', 'recorded_at'])
      .executeTakeFirstOrThrow();
    const side = await database.db.selectFrom('audit_entry_details').selectAll().executeTakeFirstOrThrow();
    const parsed = JSON.parse(entry.entry);
    assert.equal(
      parsed.private,
      commitToSideRecord(side.salt, { subjectRef: 'fay@example.com', sourceAddress: null }),
    );
    assert.ok(parsed.subject);
    assert.equal(entry.action, 'dsr.request.created');
    assert.equal(entry.recorded_at.toISOString(), '2026-11-29T14:56:28.307Z');
  } finally {
    await database.close();
  }
});
