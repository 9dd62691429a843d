import type { DataMapSystem } from '../datamap/datamap-types.ts';
import type { Connector } from './connector.ts';
import { createConnector } from './create-connector.ts';

interface Entry {
  /** The connection settings the connector was made from; a reloaded data map may change them. */
  fingerprint: string;
  connector: Connector;
}

/**
 * One connector per tenant and system for the life of the process, so pools are shared by every
 * request and job. A system whose connection settings changed (data map reloaded) gets a new
 * connector and the old one is closed.
 */
export class ConnectorRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #create: (system: DataMapSystem) => Connector;

  constructor(options: { create?: (system: DataMapSystem) => Connector } = {}) {
    this.#create = options.create ?? createConnector;
  }

  /** The connector of a system, created on first use. */
  forSystem(tenantId: string, system: DataMapSystem): Connector {
    const key = `${tenantId}\u0000${system.id}`;
    // A files system's collections say which files it reads: a changed glob needs a new connector too.
    const files = system.collections.map((collection) => collection.files);
    const fingerprint = JSON.stringify({ kind: system.kind, connection: system.connection, files });
    const existing = this.#entries.get(key);
    if (existing && (existing.fingerprint === fingerprint || existing.fingerprint === PINNED))
      return existing.connector;
    if (existing) void existing.connector.close().catch(() => {});
    const connector = this.#create(system);
    this.#entries.set(key, { fingerprint, connector });
    return connector;
  }

  /**
   * Uses a connector built elsewhere for a system (a test's source database, already open in this
   * process); it is kept whatever the data map says and closed with the others.
   */
  register(tenantId: string, systemId: string, connector: Connector): void {
    this.#entries.set(`${tenantId}\u0000${systemId}`, { fingerprint: PINNED, connector });
  }

  /** Closes every connector (at shutdown); failures of one do not keep the others open. */
  async closeAll(): Promise<void> {
    const connectors = [...this.#entries.values()].map((entry) => entry.connector);
    this.#entries.clear();
    await Promise.allSettled(connectors.map((connector) => connector.close()));
  }
}

const PINNED = '\u0000pinned';
