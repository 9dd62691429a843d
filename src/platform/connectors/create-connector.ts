import type { DataMapSystem } from '../datamap/datamap-types.ts';
import type { Connector } from './connector.ts';
import { createFilesConnector } from './files/files-connector.ts';
import { createHttpConnector } from './http/http-connector.ts';
import { createMysqlConnector } from './mysql/mysql-connector.ts';
import { createPostgresConnector } from './postgres/postgres-connector.ts';

/** A new connector for a system of the data map; nothing is opened until its first call. */
export function createConnector(system: DataMapSystem): Connector {
  switch (system.kind) {
    case 'postgres':
      return createPostgresConnector(system.id, system.connection);
    case 'mysql':
      return createMysqlConnector(system.id, system.connection);
    case 'http':
      return createHttpConnector(system.id, system.connection);
    case 'files':
      return createFilesConnector(system);
  }
}
