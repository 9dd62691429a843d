import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.ts';
import { readSubjectConsent, subjectConsentQuery } from './check-consent.ts';

let database: TestDatabase;

/** 20,000 subjects with a state each, and 5,000 with TC strings: enough for the planner to choose. */
before(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await sql`insert into consent_ledger (id, tenant_id, subject, purpose, action, source, occurred_at, actor_kind, actor_id)
    select 'l' || g, 'default', 's' || g, 'marketing.communications.email', case when g % 2 = 0 then 'given' else 'withdrawn' end,
      'import', now() - interval '1 day', 'system', 'test'
    from generate_series(1, 20000) g`.execute(db);
  await sql`insert into consent_state (tenant_id, subject, purpose, status, ledger_id, source, occurred_at, expires_at)
    select 'default', 's' || g, 'marketing.communications.email', case when g % 2 = 0 then 'given' else 'withdrawn' end,
      'l' || g, 'import', now() - interval '1 day', case when g % 2 = 0 then now() + interval '300 days' end
    from generate_series(1, 20000) g`.execute(db);
  await sql`insert into consent_tcf_records (id, tenant_id, subject, tc_string, cmp_id, cmp_version, policy_version,
      vendor_list_version, consent_language, publisher_country_code, purpose_consents, purpose_legitimate_interests,
      vendor_consents, vendor_legitimate_interests, special_feature_optins, string_created_at, string_updated_at, source)
    select 't' || g, 'default', 's' || g, 'CP', 1, 1, 4, 1, 'EN', 'DE', '[1]', '[]', '[]', '[]', '[]', now(), now(), 'tcf'
    from generate_series(1, 5000) g`.execute(db);
  await sql`analyze`.execute(db);
});
after(() => database?.close());

/** The plan's node types, depth first. */
function nodeTypes(plan: { 'Node Type': string; 'Index Name'?: string; Plans?: unknown[] }): string[] {
  const here = `${plan['Node Type']}${plan['Index Name'] ? ` using ${plan['Index Name']}` : ''}`;
  return [here, ...((plan.Plans ?? []) as (typeof plan)[]).flatMap(nodeTypes)];
}

test(`a check that misses the cache is two index lookups: the subject's states by primary key, their latest TC string by consent_tcf_subject`, async () => {
  const compiled = subjectConsentQuery(database.db, 'default', 's4242').compile();
  const { rows } = await sql<{
    'QUERY PLAN': [{ Plan: Parameters<typeof nodeTypes>[0] }];
  }>`explain (format json) ${sql.raw(
    compiled.sql.replace(/\$(\d+)/g, (_, n: string) => {
      const value = compiled.parameters[Number(n) - 1];
      return typeof value === 'number' ? String(value) : `'${String(value)}'`;
    }),
  )}`.execute(database.db);
  const nodes = nodeTypes(rows[0]!['QUERY PLAN'][0].Plan);
  assert.ok(nodes.includes('Index Scan using consent_state_pk'), nodes.join(', '));
  assert.ok(
    nodes.some((node) => node === 'Index Scan using consent_tcf_subject'),
    nodes.join(', '),
  );
  assert.ok(!nodes.some((node) => node.startsWith('Seq Scan')), nodes.join(', '));
});

test(`the statement is compiled once and reused: its parameters are tenant, subject, tenant, subject, 1`, async () => {
  assert.deepEqual(subjectConsentQuery(database.db, 'T', 'S').compile().parameters, ['T', 'S', 'T', 'S', 1]);
  const given = await readSubjectConsent(database.db, 'default', 's4242');
  const withdrawn = await readSubjectConsent(database.db, 'default', 's4243');
  const unknown = await readSubjectConsent(database.db, 'default', 'nobody');
  assert.equal(given.states.get('marketing.communications.email')?.status, 'given');
  assert.ok(given.tcf, 'its latest TC string');
  assert.equal(withdrawn.states.get('marketing.communications.email')?.status, 'withdrawn');
  assert.deepEqual([unknown.states.size, unknown.tcf], [0, null]);
});
