// Governance (issue 14), two measurements, each against a baseline measured in the same run:
// 1. Record of processing for a generated data map of 200 systems × 50 collections × 20 fields
//    (200 000 fields): locating every declaration (file:line), deriving activities and transfers and
//    generating every Art. 30 field. Goal: < 2 s. Baseline: one structuredClone of the loaded data
//    map, a single pass over the same objects that does nothing else, to show what the work costs
//    beyond touching every field once.
// 2. A breach's affected subjects across every collection of the demo shop on PostgreSQL, counted
//    through the connectors, against hand-written COUNT(DISTINCT …) queries of the same collections
//    on a pool of the same size. Goal: ≤ 1.5×. With customers affected, foreign keys make its row
//    count the subject count and the others are counted with COUNT(*); so a second row measures the
//    path that tells subjects apart (customers not affected): the subject columns' UNION grouped by
//    value in the database (distinct across and per collection, records beside it), against one
//    hand-written UNION query giving the same number.
// Run alone: node bench/governance.ts [people]   (default 3000, the demo's; BENCH_GOVERNANCE_PEOPLE;
// BENCH_GOVERNANCE_PARTS=ropa|breach runs one of the two)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { ensureDemoShop } from '../src/modules/demo/shop/ensure-demo-shop.ts';
import { DEMO_SHOP_DATAMAP, DEMO_SHOP_URL_VARIABLE } from '../src/modules/demo/shop/demo-shop-datamap.ts';
import { databaseUrl } from '../src/modules/demo/shop/shop-database.ts';
import { deriveProcessingActivities } from '../src/modules/governance/core/processing-activities.ts';
import { generateRecordOfProcessing } from '../src/modules/governance/core/record-of-processing.ts';
import { deriveTransferFlows } from '../src/modules/governance/core/transfer-flows.ts';
import { countAffectedSubjects } from '../src/modules/governance/use-cases/count-affected-subjects.ts';
import type { GovernanceCountingDeps } from '../src/modules/governance/use-cases/governance-deps.ts';
import { locateDataMap } from '../src/modules/governance/use-cases/locate-datamap.ts';
import { ConnectorRegistry } from '../src/platform/connectors/connector-registry.ts';
import { loadDataMap } from '../src/platform/datamap/load-datamap.ts';
import { aDemoShopDatabase, POSTGRES_ADMIN_URL } from '../test/support/test-database.ts';
import { median, type Benchmark, type BenchmarkRow } from './benchmark.ts';

const PEOPLE = Number(process.env.BENCH_GOVERNANCE_PEOPLE ?? 3000);
// A round of the breach rows takes ~10 ms: 31 of them keep the median steady on a shared machine.
const ROUNDS = 31;

const USES = [
  'essential.service',
  'essential.service.payment_processing',
  'marketing.communications.email',
  'analytics.reporting',
  'essential.service.security',
  'personalize',
  'personalize.system',
  'essential.legal_obligation',
];
const CATEGORIES = [
  'user.contact.email',
  'user.name.first',
  'user.name.last',
  'user.contact.phone_number',
  'user.financial',
  'user.behavior',
  'user.device.ip_address',
  'user.unique_id',
  'system.operations',
];

/** 200 systems × 50 collections × 20 fields; every tenth system hosted in the US, recipients abroad. */
function generatedDataMap(): object {
  const systems = Array.from({ length: 200 }, (_, s) => ({
    id: `system_${s}`,
    kind: 'postgres',
    region: s % 10 === 0 ? 'us-east-1' : 'eu-central-1',
    connection: { url: `postgres://app@db-${s}.internal/app` },
    recipients: [{ name: `Vendor ${s % 7}`, role: 'processor', country: s % 3 ? 'DE' : 'US' }],
    transfers:
      s % 10 === 0
        ? [{ country: 'US', safeguard: 'standard_contractual_clauses', recipient: `Vendor ${s % 7}` }]
        : [],
    collections: Array.from({ length: 50 }, (_, c) => ({
      name: `table_${c}`,
      primaryKey: ['f0'],
      purposes: [{ use: USES[(s + c) % USES.length], legalBasis: 'contract' }],
      retention: { keepFor: '3y', anchor: 'f1', action: 'delete' },
      fields: Array.from({ length: 20 }, (_, f) => ({
        name: `f${f}`,
        type: f === 0 ? 'integer' : f === 1 ? 'timestamptz' : 'text',
        ...(f === 0 ? { identity: 'user_id' } : {}),
        categories: f === 1 ? [] : [CATEGORIES[(s + c + f) % CATEGORIES.length]],
      })),
    })),
  }));
  return { version: 1, tenant: 'default', systems };
}

async function ropaRows(): Promise<BenchmarkRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'steward-bench-ropa-'));
  try {
    writeFileSync(join(folder, 'generated.yaml'), stringify(generatedDataMap()));
    process.stderr.write('  loading the generated data map (200 000 fields)…\n');
    let started = performance.now();
    const dataMap = loadDataMap([folder]).forTenant('default').dataMap;
    const loadSeconds = (performance.now() - started) / 1000;
    // The first generation builds the file:line index (reading the YAML again); later ones reuse it.
    started = performance.now();
    locateDataMap(dataMap);
    const indexSeconds = (performance.now() - started) / 1000;
    const generate = () => {
      const locations = locateDataMap(dataMap);
      const activities = deriveProcessingActivities(dataMap, locations);
      const flows = deriveTransferFlows({ dataMap, processors: [], locations, at: new Date() });
      return generateRecordOfProcessing({
        tenantId: 'default',
        dataMap,
        activities,
        flows,
        manual: [],
        locations,
        generatedAt: new Date(),
      });
    };
    const record = generate();
    const fields = record.entries.reduce((n, e) => n + e.fields.length, 0);
    if (record.entries.length !== USES.length || fields === 0)
      throw new Error(`unexpected record: ${record.entries.length} entries`);
    const steward: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < 5; round++) {
      started = performance.now();
      structuredClone(dataMap);
      baseline.push(performance.now() - started);
      started = performance.now();
      generate();
      steward.push(performance.now() - started);
    }
    const value = median(steward) / 1000;
    return [
      {
        name: `RoPA of 200 systems × 50 collections × 20 fields (${record.entries.length} activities, every field with file:line)`,
        unit: 's',
        value,
        baseline: median(baseline) / 1000,
        baselineName: 'structuredClone of the data map',
        goal: { text: '< 2 s', met: value < 2 },
      },
      {
        name: 'file:line index of that data map, built once per data-map load',
        unit: 's',
        value: indexSeconds,
        baseline: loadSeconds,
        baselineName: 'loading the data map',
        goal: { text: '≤ 1.5× the load', met: indexSeconds <= 1.5 * loadSeconds },
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The column a hand-written query counts distinct subjects by, per demo-shop table (null: rows only). */
const HAND_WRITTEN_KEYS: Record<string, string | null> = {
  customers: 'id',
  addresses: 'customer_id',
  orders: 'customer_id',
  order_items: null,
  payments: null,
  support_tickets: 'customer_id',
  marketing_events: 'customer_id',
  sessions: 'customer_id',
};

async function breachCountRows(): Promise<BenchmarkRow[]> {
  const shop = aDemoShopDatabase();
  const url = databaseUrl(POSTGRES_ADMIN_URL, shop.name);
  const registry = new ConnectorRegistry();
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  try {
    process.stderr.write(`  seeding a demo shop of ${PEOPLE} people on PostgreSQL…\n`);
    await ensureDemoShop({ serverUrl: POSTGRES_ADMIN_URL, database: shop.name, people: PEOPLE });
    process.env[DEMO_SHOP_URL_VARIABLE] = url;
    const dataMaps = loadDataMap([DEMO_SHOP_DATAMAP]);
    const deps = { dataMaps, connectors: registry } as unknown as GovernanceCountingDeps;
    const collections = dataMaps.forTenant('default').dataMap.systems[0]!.collections;
    const affected = collections.map((c) => ({ system: 'shop', collection: c.name }));
    const handWritten = () =>
      Promise.all(
        collections.map(async (c) => {
          const key = HAND_WRITTEN_KEYS[c.name];
          const { rows } = await pool.query(
            `select ${key ? `count(distinct ${key})` : '0'}::int as subjects, count(*)::int as records from ${c.name}`,
          );
          return rows[0] as { subjects: number; records: number };
        }),
      );
    // Warm both paths (connections, plans, buffers) before measuring.
    const counted = await countAffectedSubjects(deps, 'default', affected);
    const truth = await handWritten();
    const records = truth.reduce((n, r) => n + r.records, 0);
    if (counted.records !== records)
      throw new Error(`Steward counted ${counted.records} records, the queries ${records}`);
    const steward: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      await handWritten();
      baseline.push(performance.now() - started);
      started = performance.now();
      await countAffectedSubjects(deps, 'default', affected);
      steward.push(performance.now() - started);
    }
    const value = median(steward);
    const base = median(baseline);

    // Without the customers table, subjects must be told apart across the others: counted in the
    // database (one statement for the subjects, one for the records), against one hand-written UNION query.
    const keyed = affected.filter((a) => a.collection !== 'customers' && HAND_WRITTEN_KEYS[a.collection]);
    const unionSql = `select count(*)::int as n from (${keyed.map((a) => `select ${HAND_WRITTEN_KEYS[a.collection]} from ${a.collection}`).join(' union ')}) s where s.customer_id is not null`;
    const unionCounted = await countAffectedSubjects(deps, 'default', keyed);
    const [unionTruth] = (await pool.query(unionSql)).rows as { n: number }[];
    if (unionCounted.subjects !== unionTruth!.n)
      throw new Error(`Steward counted ${unionCounted.subjects} subjects, the UNION query ${unionTruth!.n}`);
    const unionSteward: number[] = [];
    const unionBaseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      await pool.query(unionSql);
      unionBaseline.push(performance.now() - started);
      started = performance.now();
      await countAffectedSubjects(deps, 'default', keyed);
      unionSteward.push(performance.now() - started);
    }
    const unionRecords = unionCounted.records;
    return [
      {
        name: `breach subjects across ${keyed.length} demo-shop collections without customers (${unionRecords.toLocaleString('en-US')} rows, ${unionCounted.subjects} subjects, told apart in the database)`,
        unit: 'ms',
        value: median(unionSteward),
        baseline: median(unionBaseline),
        baselineName: 'one hand-written UNION count',
        goal: { text: '≤ 1.5×', met: median(unionSteward) <= 1.5 * median(unionBaseline) },
      },
      {
        name: `breach subjects across the demo shop (${collections.length} collections, ${records.toLocaleString('en-US')} rows, ${counted.subjects} subjects)`,
        unit: 'ms',
        value,
        baseline: base,
        baselineName: 'hand-written COUNT(DISTINCT) queries',
        goal: { text: '≤ 1.5×', met: value <= 1.5 * base },
      },
    ];
  } finally {
    await pool.end();
    await registry.closeAll();
    await shop.drop();
  }
}

export const governanceBenchmark: Benchmark = {
  name: 'Governance: record of processing at scale, breach subject count',
  async run() {
    // BENCH_GOVERNANCE_PARTS=ropa or =breach runs one half.
    const parts = (process.env.BENCH_GOVERNANCE_PARTS ?? 'ropa,breach').split(',');
    return [
      ...(parts.includes('ropa') ? await ropaRows() : []),
      ...(parts.includes('breach') ? await breachCountRows() : []),
    ];
  },
};

if (process.argv[1]?.endsWith('governance.ts')) {
  if (process.argv[2]) process.env.BENCH_GOVERNANCE_PEOPLE = process.argv[2];
  for (const row of await governanceBenchmark.run()) {
    console.log(
      `${row.name}: Steward ${row.value.toFixed(2)} ${row.unit}, ${row.baselineName} ${row.baseline.toFixed(2)} ${row.unit}, ratio ${(row.value / row.baseline).toFixed(2)}× (goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'})`,
    );
  }
}
