import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  expectedLabels,
  labelledSchemaStatements,
} from '../../../../test/fixtures/discovery/labelled-schemas.ts';
import {
  createSourceSystem,
  SOURCE_KINDS,
  type TestSourceSystem,
} from '../../../../test/support/test-source-systems.ts';
import { openCatalogFromUrl } from '../../../platform/datamap/introspection/open-catalog.ts';
import { declaredName, type DiscoveryResult } from '../core/discovery-types.ts';
import { discoverDatabase } from './discover-database.ts';

/** Macro F1 over the categories the labels use: each category's F1 from top-1 predictions, averaged. */
function macroF1(
  result: DiscoveryResult,
  labels: Map<string, string | null>,
): { f1: number; perCategory: Record<string, number>; mistakes: string[] } {
  const predicted = new Map<string, string | null>();
  for (const collection of result.collections)
    for (const column of collection.columns)
      predicted.set(`${collection.name}.${declaredName(column)}`, column.categories[0] ?? null);
  const categories = new Set([...labels.values()].filter((c): c is string => c !== null));
  const mistakes: string[] = [];
  for (const [key, label] of labels) {
    const guess = predicted.get(key) ?? null;
    if (guess !== label) mistakes.push(`${key}: expected ${label}, got ${guess}`);
  }
  for (const [key, guess] of predicted)
    if (!labels.has(key) && guess) mistakes.push(`${key}: unlabelled, got ${guess}`);
  const perCategory: Record<string, number> = {};
  for (const category of categories) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const key of new Set([...labels.keys(), ...predicted.keys()])) {
      const label = labels.get(key) ?? null;
      const guess = predicted.get(key) ?? null;
      if (guess === category && label === category) tp++;
      else if (guess === category) fp++;
      else if (label === category) fn++;
    }
    perCategory[category] = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  const values = Object.values(perCategory);
  return { f1: values.reduce((a, b) => a + b, 0) / values.length, perCategory, mistakes };
}

for (const kind of SOURCE_KINDS) {
  describe(`column discovery on ${kind === 'mysql' ? 'MariaDB' : 'PostgreSQL'}`, () => {
    let source: TestSourceSystem;
    let result: DiscoveryResult;
    before(async () => {
      source = await createSourceSystem(kind, 'labelled');
      for (const statement of labelledSchemaStatements(kind))
        await source.query(statement.text, statement.params);
      if (kind === 'postgres') await source.exec('analyze');
      else await source.exec('analyze table events');
      const catalog = await openCatalogFromUrl(source.url);
      try {
        result = await discoverDatabase({ system: 'labelled', catalog, sampleSize: 200 });
      } finally {
        await catalog.close();
      }
    });
    after(() => source.close());

    test('macro F1 over the common categories is at least 0.92 on the labelled German, French and English schemas', (t) => {
      const { f1, perCategory, mistakes } = macroF1(result, expectedLabels());
      t.diagnostic(
        `macro F1 ${f1.toFixed(3)} over ${Object.keys(perCategory).length} categories; misses: ${mistakes.join('; ') || 'none'}`,
      );
      assert.ok(
        f1 >= 0.92,
        `macro F1 ${f1.toFixed(3)}\n${JSON.stringify(perCategory, null, 1)}\n${mistakes.join('\n')}`,
      );
    });

    test('no personal-data column is reported clean when 50 % or more of its sampled values pass a validator', () => {
      const imports = result.collections.find((c) => c.name === 'imports')!;
      for (const field of ['col_a', 'data1', 'ref', 'x_value', 'origin']) {
        const column = imports.columns.find((c) => c.field === field)!;
        assert.ok(column.categories.length > 0, `${field} was reported clean`);
        const values = column.evidence.find((e) => e.signal === 'values');
        assert.ok(values && values.signal === 'values' && values.matched / values.sampled >= 0.5, field);
      }
    });

    test('the evidence names signals and counts, never a sampled value', () => {
      const text = JSON.stringify(result);
      assert.doesNotMatch(text, /@/);
      assert.doesNotMatch(text, /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/);
      const email = result.collections
        .find((c) => c.name === 'users')!
        .columns.find((c) => c.field === 'email')!;
      assert.deepEqual(
        email.evidence.map((e) => e.signal),
        ['name', 'values', 'type'],
      );
    });

    test('a large table is sampled, never read whole, and JSON is looked into by path', () => {
      const events = result.collections.find((c) => c.name === 'events')!;
      assert.ok(events.sampledRows <= 200);
      if (kind === 'postgres') assert.equal(events.strategy, 'tablesample');
      else assert.equal(events.strategy, 'key-windows');
      const paths = events.columns
        .filter((c) => c.field === 'payload' && c.categories.length)
        .map((c) => `${c.path}=${c.categories[0]}`);
      assert.deepEqual(paths.sort(), [
        'contact.email=user.contact.email',
        'device.ip=user.device.ip_address',
      ]);
    });
  });
}
