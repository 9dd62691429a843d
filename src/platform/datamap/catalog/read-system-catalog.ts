import type { DataMapSystem } from '../datamap-types.ts';
import { readMysqlCatalog } from '../introspection/mysql-catalog.ts';
import { openCatalogForSystem } from '../introspection/open-catalog.ts';
import { readPostgresCatalog } from '../introspection/postgres-catalog.ts';
import { readMysqlUniqueKeys, readPostgresUniqueKeys } from './read-unique-keys.ts';
import type { SystemCatalog } from './system-catalog.ts';

/**
 * Reads the live catalog of a PostgreSQL or MySQL/MariaDB system: the schemas its collections live
 * in, with columns, nullability, primary, unique and foreign keys. Read-only catalog queries, no
 * row of data. Other kinds have no catalog: undefined.
 */
export async function readSystemCatalog(system: DataMapSystem): Promise<SystemCatalog | undefined> {
  if (system.kind !== 'postgres' && system.kind !== 'mysql') return undefined;
  const connection = await openCatalogForSystem(system);
  try {
    if (connection.kind === 'mysql') {
      const database = connection.defaultSchema;
      return {
        system: system.id,
        defaultSchema: database,
        tables: await readMysqlCatalog(connection.query, database),
        uniqueKeys: await readMysqlUniqueKeys(connection.query, database),
      };
    }
    const [current] = await connection.query('select current_schema() as name', []);
    const defaultSchema = String(current?.name ?? 'public');
    const schemas = [
      ...new Set([defaultSchema, ...system.collections.flatMap((c) => (c.schema ? [c.schema] : []))]),
    ];
    return {
      system: system.id,
      defaultSchema,
      tables: await readPostgresCatalog(connection.query, schemas),
      uniqueKeys: await readPostgresUniqueKeys(connection.query, schemas),
    };
  } finally {
    await connection.close();
  }
}
