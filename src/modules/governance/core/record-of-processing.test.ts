import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDataMapText } from '../../../platform/datamap/load-datamap.ts';
import { readFileSync } from 'node:fs';
import { aUsPaymentProcessor, DEMO_DATAMAP_FILE, demoDataMap } from './demo-datamap-fixture.ts';
import { deriveProcessingActivities } from './processing-activities.ts';
import {
  CONTROLLER_FIELDS,
  generateRecordOfProcessing,
  type ManualRopaField,
} from './record-of-processing.ts';
import { diffRecords } from './ropa-diff.ts';
import { logicalLocations } from './source-location.ts';
import { deriveTransferFlows } from './transfer-flows.ts';
import { locateDataMap } from '../use-cases/locate-datamap.ts';
import type { DataMap } from '../../../platform/datamap/datamap-types.ts';

function recordOf(dataMap: DataMap, manual: ManualRopaField[] = [], located = false) {
  const locations = located ? locateDataMap(dataMap) : logicalLocations(dataMap);
  const at = new Date('2026-06-01T00:00:00Z');
  return generateRecordOfProcessing({
    tenantId: 'default',
    dataMap,
    activities: deriveProcessingActivities(dataMap, locations),
    flows: deriveTransferFlows({ dataMap, processors: [aUsPaymentProcessor()], locations, at }),
    manual,
    locations,
    generatedAt: at,
  });
}

const controllerContact: ManualRopaField = {
  entryId: '*',
  field: 'controller',
  lines: ['Demo Shop GmbH, Hauptstraße 1, 10115 Berlin, privacy@shop.example'],
  by: 'user:dpo',
  at: '2026-05-01T00:00:00Z',
};

describe('the record of processing activities (GDPR Art. 30)', () => {
  it('has one controller entry per purpose of the demo shop, each with every Art. 30(1)(a)–(g) field', () => {
    const record = recordOf(demoDataMap());
    const payment = record.entries.find((e) => e.id === 'controller:essential.service.payment_processing');
    assert.ok(payment);
    const articles = new Set(payment.fields.map((f) => f.article));
    for (const point of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
      assert.ok(articles.has(`Art. 30(1)(${point})`), `Art. 30(1)(${point}) missing`);
    assert.deepEqual(
      payment.fields.map((f) => f.key),
      CONTROLLER_FIELDS.map((f) => f.key),
    );
  });

  it('generates (b) purposes with the legal basis, (c) categories, (e) transfers with the SCC module and (f) time limits, citing the data-map line', () => {
    const record = recordOf(demoDataMap(), [], true);
    const payment = record.entries.find((e) => e.id === 'controller:essential.service.payment_processing')!;
    const field = (key: string) => payment.fields.find((f) => f.key === key)!;
    assert.deepEqual(field('purposes').lines, [
      'essential.service.payment_processing — Art. 6(1)(b) contract',
    ]);
    assert.ok(field('dataCategories').lines.includes('user.financial.credit_card'));
    assert.match(
      field('transfers').lines[0]!,
      /shop → US \(Payment service provider\): .*2021\/914\) module 2, signed 2024-03-01/,
    );
    assert.ok(
      field('erasureTimeLimits').lines.some((l) => l.includes('shop.payments: deleted 10y after paid_at')),
    );
    const provenance = field('purposes').provenance;
    assert.equal(provenance.kind, 'generated');
    const lines = readFileSync(DEMO_DATAMAP_FILE, 'utf8').split('\n');
    const [file, line] = (provenance.kind === 'generated' ? provenance.from[0]! : '')
      .split(' ')[0]!
      .split(':');
    assert.equal(file, DEMO_DATAMAP_FILE);
    assert.match(lines[Number(line) - 1]!, /essential\.service\.payment_processing/);
  });

  it('marks what the data map cannot know as missing until written by hand', () => {
    const record = recordOf(demoDataMap());
    const entry = record.entries[0]!;
    assert.equal(entry.fields.find((f) => f.key === 'securityMeasures')?.provenance.kind, 'missing');
    assert.equal(entry.fields.find((f) => f.key === 'controller')?.provenance.kind, 'missing');
  });

  it('keeps a hand-written field through regeneration, for every entry when written for "*"', () => {
    const record = recordOf(demoDataMap(), [controllerContact]);
    for (const entry of record.entries) {
      const controller = entry.fields.find((f) => f.key === 'controller')!;
      assert.deepEqual(controller.lines, controllerContact.lines);
      assert.deepEqual(controller.provenance, { kind: 'manual', by: 'user:dpo', at: '2026-05-01T00:00:00Z' });
    }
  });

  it('shows a data-map change as a diff, also under a hand-written text', () => {
    const before = demoDataMap();
    const text = readFileSync(DEMO_DATAMAP_FILE, 'utf8').replace('keepFor: 13m', 'keepFor: 25m');
    const after = validateDataMapText('shop-datamap.yaml', text).dataMaps[0]!;
    const manualLimits: ManualRopaField = {
      entryId: 'controller:analytics.reporting',
      field: 'erasureTimeLimits',
      lines: ['Sessions: 13 months'],
      by: 'user:dpo',
      at: '2026-05-01T00:00:00Z',
    };
    const diff = diffRecords(recordOf(before, [manualLimits]), recordOf(after, [manualLimits]));
    const change = diff.changes.find(
      (c) => c.entryId === 'controller:analytics.reporting' && c.field === 'erasureTimeLimits',
    );
    assert.deepEqual(change?.added, ['shop.sessions: deleted 25m after started_at']);
    assert.deepEqual(change?.removed, ['shop.sessions: deleted 13m after started_at']);
    assert.equal(change?.underManualText, true);
    assert.deepEqual([diff.addedEntries, diff.removedEntries], [[], []]);
  });

  it('reports an activity that appears with a new purpose', () => {
    const text = readFileSync(DEMO_DATAMAP_FILE, 'utf8').replace(
      '- { use: essential.service.operations.support, legalBasis: contract }',
      '- { use: essential.service.operations.support, legalBasis: contract }\n          - { use: improve.system, legalBasis: legitimate_interests, note: Better support answers }',
    );
    const diff = diffRecords(
      recordOf(demoDataMap()),
      recordOf(validateDataMapText('shop-datamap.yaml', text).dataMaps[0]!),
    );
    assert.deepEqual(diff.addedEntries, ['controller:improve.system']);
  });
});
