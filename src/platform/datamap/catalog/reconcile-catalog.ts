import { parseColumnType } from '../column-type.ts';
import type { DataMap, DataMapCollection, DataMapSystem, ReferenceEdge } from '../datamap-types.ts';
import type { CatalogForeignKey, CatalogTable } from '../introspection/catalog-snapshot.ts';
import { catalogTableKey, type SystemCatalog } from './system-catalog.ts';

/** Where the data map and the live database disagree, and what Steward does about it. */
export interface CatalogFinding {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  system: string;
  collection?: string;
}

export interface ReconciledDataMap {
  /**
   * A copy of the data map with the database's facts in place of declared or missing ones; the
   * data map itself when no catalog concerns it (callers treat it as read-only either way).
   */
  dataMap: DataMap;
  findings: CatalogFinding[];
}

/**
 * The data map as the live databases have it (pure): nullability, column types, primary and
 * unique keys and foreign keys (with their ON DELETE rules) come from each system's catalog, and
 * every disagreement with what the data map declares is a finding. Foreign keys the data map does
 * not declare are added as `undeclared` edges (never followed to find anyone's rows, only honoured
 * so that a row they point at is not deleted from under them); a table that is not in the data
 * map but points at one that is becomes a collection with just its key and reference columns.
 * Systems without a catalog are returned as declared.
 */
export function reconcileWithCatalog(
  dataMap: DataMap,
  catalogs: readonly SystemCatalog[],
): ReconciledDataMap {
  const findings: CatalogFinding[] = [];
  // Nothing to reconcile: the data map as declared (copying it was half of planning a request).
  if (!catalogs.some((catalog) => dataMap.systems.some((s) => s.id === catalog.system)))
    return { dataMap, findings };
  const copy = structuredClone(dataMap);
  for (const catalog of catalogs) {
    const system = copy.systems.find((s) => s.id === catalog.system);
    if (!system) continue;
    new SystemReconciler(copy, system, catalog, findings).run();
  }
  return { dataMap: copy, findings };
}

class SystemReconciler {
  readonly #dataMap: DataMap;
  readonly #system: DataMapSystem;
  readonly #catalog: SystemCatalog;
  readonly #findings: CatalogFinding[];

  constructor(dataMap: DataMap, system: DataMapSystem, catalog: SystemCatalog, findings: CatalogFinding[]) {
    this.#dataMap = dataMap;
    this.#system = system;
    this.#catalog = catalog;
    this.#findings = findings;
  }

  run(): void {
    const matched = new Set<CatalogForeignKey>();
    for (const collection of [...this.#system.collections]) {
      const table = this.#tableOf(collection);
      if (!table) {
        this.#find(
          'error',
          'catalog.table_missing',
          collection.name,
          `${collection.name} is in the data map but not in the database (schema ${collection.schema ?? this.#catalog.defaultSchema}); correct the name or schema, or remove the collection.`,
        );
        continue;
      }
      this.#reconcileColumns(collection, table);
    }
    for (const edge of this.#dataMap.edges) {
      if (edge.holder.system !== this.#system.id || edge.target.system !== this.#system.id) continue;
      const holder = this.#collection(edge.holder.collection);
      const table = holder && this.#tableOf(holder);
      if (!table) continue;
      const foreignKey = this.#foreignKeyOf(table, edge);
      if (foreignKey) matched.add(foreignKey);
      this.#reconcileEdge(edge, table, foreignKey);
    }
    for (const table of this.#catalog.tables)
      for (const foreignKey of table.foreignKeys)
        if (!matched.has(foreignKey)) this.#addUndeclared(table, foreignKey);
  }

  #reconcileColumns(collection: DataMapCollection, table: CatalogTable): void {
    const declaredKey = collection.primaryKey.join(', ');
    if (declaredKey !== table.primaryKey.join(', ')) {
      this.#find(
        'warning',
        'catalog.primary_key',
        collection.name,
        `${collection.name}: the data map's primary key is (${declaredKey || 'none'}) but the database's is (${table.primaryKey.join(', ') || 'none'}); the database's is used.`,
      );
      collection.primaryKey = [...table.primaryKey];
    }
    const unique = new Set(
      [...(this.#catalog.uniqueKeys[catalogTableKey(table.schema, table.name)] ?? []), table.primaryKey]
        .filter((columns) => columns.length === 1)
        .map((columns) => columns[0]!),
    );
    for (const field of collection.fields) {
      const column = table.columns.find((c) => c.name === field.name);
      if (!column) {
        this.#find(
          'error',
          'catalog.column_missing',
          collection.name,
          `${collection.name}.${field.name} is in the data map but the table has no such column; correct or remove the field.`,
        );
        continue;
      }
      if (field.nullable !== undefined && field.nullable !== column.nullable) {
        this.#find(
          'warning',
          'catalog.nullable_mismatch',
          collection.name,
          `${collection.name}.${field.name}: the data map says ${field.nullable ? 'nullable' : 'NOT NULL'}, the database says ${column.nullable ? 'nullable' : 'NOT NULL'}; the database is right, correct the data map.`,
        );
      }
      field.nullable = column.nullable;
      const type = parseColumnType(column.type);
      if (field.type && (field.type.family !== type.family || field.type.length !== type.length)) {
        this.#find(
          'warning',
          'catalog.type_mismatch',
          collection.name,
          `${collection.name}.${field.name}: the data map says ${field.type.raw}, the database says ${column.type}; the database's type is used.`,
        );
      }
      // MariaDB's JSON is LONGTEXT with a check; the data map's json is the better description then.
      if (!(field.type?.family === 'json' && type.family === 'text')) field.type = type;
      if (unique.has(field.name)) field.unique = true;
    }
  }

  #reconcileEdge(edge: ReferenceEdge, table: CatalogTable, foreignKey: CatalogForeignKey | undefined): void {
    const via = describe(edge);
    if (!foreignKey) {
      if (edge.foreignKey) {
        this.#find(
          'warning',
          'catalog.foreign_key_missing',
          edge.holder.collection,
          `${via} is declared as a foreign key (ON DELETE ${rule(edge.foreignKey.onDelete)}) but the database enforces none; it is treated as a plain reference.`,
        );
        delete edge.foreignKey;
      }
      return;
    }
    const nullable = edge.fields.every(
      (f) => table.columns.find((c) => c.name === f.holder)?.nullable === true,
    );
    if (!edge.foreignKey) {
      this.#find(
        'warning',
        'catalog.foreign_key_undeclared',
        edge.holder.collection,
        `${via} is a foreign key in the database (${foreignKey.constraint}, ON DELETE ${rule(foreignKey.onDelete)}); the data map does not say so, the database's rule is used.`,
      );
    } else if (edge.foreignKey.onDelete !== foreignKey.onDelete) {
      this.#find(
        'warning',
        'catalog.on_delete_mismatch',
        edge.holder.collection,
        `${via}: the data map says ON DELETE ${rule(edge.foreignKey.onDelete)}, the database ${rule(foreignKey.onDelete)}; the database's rule is used.`,
      );
    }
    edge.foreignKey = { onDelete: foreignKey.onDelete, constraint: foreignKey.constraint, nullable };
  }

  /** A foreign key the data map does not declare: honoured, never followed. */
  #addUndeclared(table: CatalogTable, foreignKey: CatalogForeignKey): void {
    const target = this.#system.collections.find(
      (c) =>
        c.name === foreignKey.referencedTable &&
        (c.schema ?? this.#catalog.defaultSchema) === foreignKey.referencedSchema,
    );
    if (!target) return;
    let holder = this.#system.collections.find((c) => this.#tableOf(c) === table);
    if (!holder) {
      holder = {
        system: this.#system.id,
        name: table.name,
        ...(table.schema !== this.#catalog.defaultSchema ? { schema: table.schema } : {}),
        primaryKey: [...table.primaryKey],
        fields: table.columns
          .filter((c) => table.primaryKey.includes(c.name) || foreignKey.columns.includes(c.name))
          .map((c) => ({
            name: c.name,
            type: parseColumnType(c.type),
            nullable: c.nullable,
            categories: [],
            references: [],
            purposes: [],
            review: true,
          })),
        purposes: [],
        dataSubjects: [],
        description:
          'not in the data map: found in the database catalog because it references a collection that is',
        review: true,
        source: 'catalog',
      };
      this.#system.collections.push(holder);
    }
    const edge: ReferenceEdge = {
      holder: { system: this.#system.id, collection: holder.name },
      target: { system: this.#system.id, collection: target.name },
      fields: foreignKey.columns.map((column, i) => ({
        holder: column,
        target: foreignKey.referencedColumns[i]!,
      })),
      direction: 'from',
      foreignKey: {
        onDelete: foreignKey.onDelete,
        constraint: foreignKey.constraint,
        nullable: foreignKey.columns.every(
          (c) => table.columns.find((col) => col.name === c)?.nullable === true,
        ),
      },
      undeclared: true,
    };
    this.#dataMap.edges.push(edge);
    const where =
      holder.source === 'catalog' ? `${holder.name} (a table the data map does not list)` : holder.name;
    this.#find(
      'warning',
      'catalog.undeclared_reference',
      holder.name,
      `${describe(edge)} is a foreign key of ${where} (${foreignKey.constraint}, ON DELETE ${rule(foreignKey.onDelete)}) that the data map does not declare: its rows are never searched for a subject's data, but a row they point at is not deleted from under them. Declare the reference${holder.source === 'catalog' ? ' and the collection' : ''}.`,
    );
  }

  #tableOf(collection: DataMapCollection): CatalogTable | undefined {
    const schema = collection.schema ?? this.#catalog.defaultSchema;
    return this.#catalog.tables.find((t) => t.name === collection.name && t.schema === schema);
  }

  #collection(name: string): DataMapCollection | undefined {
    return this.#system.collections.find((c) => c.name === name);
  }

  #foreignKeyOf(table: CatalogTable, edge: ReferenceEdge): CatalogForeignKey | undefined {
    const target = this.#collection(edge.target.collection);
    if (!target) return undefined;
    const targetSchema = target.schema ?? this.#catalog.defaultSchema;
    const pairs = new Set(edge.fields.map((f) => `${f.holder}\u0000${f.target}`));
    return table.foreignKeys.find(
      (fk) =>
        fk.referencedTable === target.name &&
        fk.referencedSchema === targetSchema &&
        fk.columns.length === pairs.size &&
        fk.columns.every((c, i) => pairs.has(`${c}\u0000${fk.referencedColumns[i]}`)),
    );
  }

  #find(severity: CatalogFinding['severity'], code: string, collection: string, message: string): void {
    this.#findings.push({ severity, code, message, system: this.#system.id, collection });
  }
}

function describe(edge: ReferenceEdge): string {
  const side = (collection: string, fields: string[]) =>
    `${collection}.${fields.length > 1 ? `(${fields.join(', ')})` : fields[0]}`;
  return `${side(
    edge.holder.collection,
    edge.fields.map((f) => f.holder),
  )} → ${side(
    edge.target.collection,
    edge.fields.map((f) => f.target),
  )}`;
}

function rule(onDelete: string): string {
  return onDelete.replace('_', ' ').toUpperCase();
}
