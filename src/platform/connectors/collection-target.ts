import type { DataMapCollection, DataMapSystem } from '../datamap/datamap-types.ts';
import type { CollectionTarget } from './connector.ts';

/** The connector's view of a data-map collection: its name, key, schema and (HTTP systems) endpoints. */
export function collectionTarget(system: DataMapSystem, collection: DataMapCollection): CollectionTarget {
  const target: CollectionTarget = { name: collection.name, primaryKey: collection.primaryKey };
  if (collection.schema) target.schema = collection.schema;
  if (system.kind === 'http' && collection.endpoints) {
    const identityColumns = Object.fromEntries(
      collection.fields.filter((f) => f.identity).map((f) => [f.name, f.identity!]),
    );
    target.http = { endpoints: collection.endpoints, identityColumns };
  }
  return target;
}
