import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import type { DataMap, DataMapCollection, DataMapField, ErasureStrategy } from './datamap-types.ts';
import { effectiveErasure } from './effective-erasure.ts';

/** A data map as indented text: systems, collections with keys and erasure, personal fields. */
export function describeDataMap(dataMap: DataMap): string {
  const lines = [`tenant ${dataMap.tenant}`];
  for (const system of dataMap.systems) {
    const where = [system.role, system.region, system.owner && `owner ${system.owner}`]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${system.id} (${system.kind}${where ? `, ${where}` : ''})`);
    for (const transfer of system.transfers)
      lines.push(`    transfer to ${transfer.country}: ${transfer.safeguard}`);
    for (const collection of system.collections) lines.push(...describeCollection(collection));
  }
  return lines.join('\n');
}

function describeCollection(collection: DataMapCollection): string[] {
  const key = collection.primaryKey.length ? `key (${collection.primaryKey.join(', ')})` : 'no primary key';
  const erasure = collection.erasure ? `, erasure ${describeStrategy(collection.erasure)}` : '';
  const retention = collection.retention
    ? `, retention ${collection.retention.action} after ${collection.retention.keepFor} from ${collection.retention.anchor}`
    : '';
  const lines = [
    `    ${collection.schema ? `${collection.schema}.` : ''}${collection.name}: ${key}${erasure}${retention}`,
  ];
  for (const field of collection.fields) {
    const text = describeField(collection, field);
    if (text) lines.push(`      ${text}`);
  }
  return lines;
}

function describeField(collection: DataMapCollection, field: DataMapField): string | undefined {
  const parts: string[] = [];
  if (field.identity) parts.push(`identity ${field.identity}`);
  if (field.categories.length) parts.push(field.categories.join(', '));
  for (const reference of field.references) {
    parts.push(
      `→ ${reference.target.system === collection.system ? '' : `${reference.target.system}.`}${reference.target.collection}.${reference.target.field}${reference.foreignKey ? ` (on delete ${reference.foreignKey.onDelete})` : ''}`,
    );
  }
  const strategy = effectiveErasure(collection, field);
  if (strategy && field.erasure) parts.push(`erasure ${describeStrategy(strategy)}`);
  if (field.review) parts.push('REVIEW');
  return parts.length
    ? `${field.name}${field.type ? ` ${field.type.raw}` : ''}: ${parts.join('; ')}`
    : undefined;
}

function describeStrategy(strategy: ErasureStrategy): string {
  if (strategy.strategy === 'keep')
    return `keep ${strategy.period ?? 'indefinitely'} (${strategy.article}: ${strategy.reason})`;
  return strategy.strategy;
}

/** The three taxonomy trees, one key per line, deprecated keys marked. */
export function describeTaxonomy(taxonomy: Taxonomy): string {
  const section = (title: string, tree: Taxonomy['categories']) => [
    `${title}:`,
    ...tree
      .entries()
      .map(
        (e) =>
          `  ${e.key} — ${e.name}${e.replacedBy ? ` (deprecated: use ${e.replacedBy})` : ''}${e.custom ? ' (custom)' : ''}`,
      ),
  ];
  return [
    ...section('Data categories', taxonomy.categories),
    '',
    ...section('Data uses', taxonomy.uses),
    '',
    ...section('Data subjects', taxonomy.subjects),
  ].join('\n');
}
