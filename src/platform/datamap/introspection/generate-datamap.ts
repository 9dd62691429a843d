import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMapManifestInput } from '../datamap-manifest-schema.ts';
import type { DataMapProblem } from '../datamap-problem.ts';
import type { DataMapSystem } from '../datamap-types.ts';
import { validateDataMapText } from '../load-datamap.ts';
import type { CatalogTable } from './catalog-snapshot.ts';
import { draftManifest, renderDraftYaml } from './draft-datamap.ts';
import { readMysqlCatalog } from './mysql-catalog.ts';
import { openCatalogForSystem, openCatalogFromUrl, type CatalogConnection } from './open-catalog.ts';
import { readPostgresCatalog } from './postgres-catalog.ts';

export type GenerateSource = { url: string; systemId?: string } | { system: DataMapSystem };

export interface GenerateOptions {
  /** PostgreSQL schemas to read (default: all user schemas). Ignored for MySQL (the URL's database). */
  schemas?: string[];
  tenant?: string;
}

export interface GeneratedDraft {
  yaml: string;
  manifest: DataMapManifestInput;
  tables: CatalogTable[];
  /** What validation says about the draft as it is (e.g. collections still unreachable). */
  problems: DataMapProblem[];
}

/**
 * Introspects a live PostgreSQL or MySQL/MariaDB database and drafts a data map for it.
 * Reads the catalog only; never a row of data.
 */
export async function generateDraftDataMap(
  source: GenerateSource,
  options: GenerateOptions = {},
): Promise<GeneratedDraft> {
  const catalog =
    'system' in source ? await openCatalogForSystem(source.system) : await openCatalogFromUrl(source.url);
  try {
    const tables = await readCatalog(catalog, options.schemas);
    if (!tables.length) {
      throw new InvalidInput(
        'datamap.generate_empty',
        `${catalog.label} has no tables${options.schemas?.length ? ` in schema ${options.schemas.join(', ')}` : ''}. Check the database and --schema.`,
      );
    }
    const systemId = 'system' in source ? source.system.id : (source.systemId ?? systemIdFrom(catalog));
    const connection =
      'system' in source
        ? connectionOf(source.system)
        : { url: `env:${systemId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_DB_URL` };
    const kind = 'system' in source ? (source.system.kind as 'postgres' | 'mysql') : catalog.kind;
    const manifest = draftManifest(tables, {
      systemId,
      kind,
      connection,
      defaultSchema: catalog.defaultSchema,
      ...(options.tenant ? { tenant: options.tenant } : {}),
    });
    const yaml = renderDraftYaml(manifest, catalog.label);
    return { yaml, manifest, tables, problems: validateDataMapText('draft.yaml', yaml).problems };
  } finally {
    await catalog.close();
  }
}

function readCatalog(catalog: CatalogConnection, schemas: string[] | undefined): Promise<CatalogTable[]> {
  return catalog.kind === 'mysql'
    ? readMysqlCatalog(catalog.query, catalog.defaultSchema)
    : readPostgresCatalog(catalog.query, schemas);
}

function systemIdFrom(catalog: CatalogConnection): string {
  const name = catalog.label.split('/').at(-1) ?? '';
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : 'database';
}

/** The system's connection as declared (secret references, never resolved values). */
function connectionOf(system: DataMapSystem): Record<string, unknown> {
  return { ...system.connection };
}
