import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { closest } from 'fastest-levenshtein';
import { parseColumnType } from './column-type.ts';
import {
  dataMapManifestSchema,
  type DataMapManifest,
  type ManifestCollection,
  type ManifestErasure,
  type ManifestField,
  type ManifestSystem,
} from './datamap-manifest-schema.ts';
import type { DataMapLocator } from './datamap-locator.ts';
import type { DataMapSource } from './datamap-source.ts';
import type {
  CollectionAddress,
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapSystem,
  ErasureExemptionGround,
  ErasureStrategy,
  FieldReference,
  IdentityDefinition,
  ReferenceEdge,
} from './datamap-types.ts';

/** GDPR Art. 17(3): the letter of each ground. */
export const EXEMPTION_ARTICLE: Record<ErasureExemptionGround, string> = {
  freedom_of_expression: 'Art. 17(3)(a)',
  legal_obligation: 'Art. 17(3)(b)',
  public_health: 'Art. 17(3)(c)',
  archiving_research_statistics: 'Art. 17(3)(d)',
  legal_claims: 'Art. 17(3)(e)',
};

/** Identities every data map knows. Emails compare case-insensitively, phones in E.164 form. */
export const BUILT_IN_IDENTITIES: readonly IdentityDefinition[] = [
  { name: 'email', match: 'case_insensitive', description: 'Email address' },
  { name: 'phone', match: 'e164', description: 'Phone number (compared in E.164 form)' },
  { name: 'user_id', match: 'exact', description: "Account id in the controller's systems" },
];

type RawReferences = ManifestField['references'];

/**
 * Parses every file's manifest and merges them per tenant into plain data maps: systems from all
 * files, top-level collections added to their system, references resolved to full addresses and
 * grouped into the reference graph. Structural problems are reported to the locator; the result
 * holds whatever could be built, for the whole-map checks in `validate-datamap.ts`.
 */
export function buildDataMaps(sources: readonly DataMapSource[], locator: DataMapLocator): DataMap[] {
  const byTenant = new Map<string, { source: DataMapSource; manifest: DataMapManifest }[]>();
  for (const source of sources) {
    const parsed = dataMapManifestSchema.safeParse(source.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) reportZodIssue(locator, source, issue);
      continue;
    }
    const list = byTenant.get(parsed.data.tenant) ?? [];
    list.push({ source, manifest: parsed.data });
    byTenant.set(parsed.data.tenant, list);
  }
  return [...byTenant.entries()].map(([tenant, manifests]) =>
    new TenantBuilder(tenant, locator).build(manifests),
  );
}

class TenantBuilder {
  readonly #tenant: string;
  readonly #locator: DataMapLocator;
  readonly #systems = new Map<string, DataMapSystem>();
  readonly #rawReferences = new WeakMap<DataMapField, RawReferences>();
  readonly #identities = new Map<string, IdentityDefinition>(BUILT_IN_IDENTITIES.map((i) => [i.name, i]));

  constructor(tenant: string, locator: DataMapLocator) {
    this.#tenant = tenant;
    this.#locator = locator;
  }

  build(manifests: { source: DataMapSource; manifest: DataMapManifest }[]): DataMap {
    for (const { source, manifest } of manifests) {
      this.#addIdentities(source, manifest);
      manifest.systems.forEach((system, index) => this.#addSystem(source, system, index));
    }
    // Top-level collections after all systems, so a file may extend a system declared in any other.
    for (const { source, manifest } of manifests) {
      manifest.collections.forEach((collection, index) =>
        this.#addDetachedCollection(source, collection, index),
      );
    }
    const systems = [...this.#systems.values()];
    for (const system of systems)
      for (const collection of system.collections) this.#resolveReferences(collection);
    return {
      tenant: this.#tenant,
      systems,
      identities: [...this.#identities.values()],
      edges: buildEdges(systems),
      sources: manifests.map((m) => m.source.file),
    };
  }

  #addIdentities(source: DataMapSource, manifest: DataMapManifest): void {
    for (const [name, declaration] of Object.entries(manifest.identities)) {
      const existing = this.#identities.get(name);
      const builtIn = BUILT_IN_IDENTITIES.some((identity) => identity.name === name);
      if (existing && existing.match !== declaration.match) {
        this.#locator.reportAt(source, ['identities', name, 'match'], {
          code: 'datamap.identity_conflict',
          message: `identity "${name}" is declared with match "${declaration.match}" here but "${existing.match}" elsewhere`,
          fix: `declare "${name}" once, or give both declarations the same match`,
        });
        continue;
      }
      if (existing && !builtIn && existing.region !== declaration.region) {
        this.#locator.reportAt(source, ['identities', name, 'region'], {
          code: 'datamap.identity_conflict',
          message: `identity "${name}" is declared with region "${declaration.region ?? '(none)'}" here but "${existing.region ?? '(none)'}" elsewhere`,
          fix: `declare "${name}" once, or give both declarations the same region`,
        });
        continue;
      }
      if (declaration.region && declaration.match !== 'e164') {
        this.#locator.reportAt(source, ['identities', name, 'region'], {
          code: 'datamap.identity_region',
          message: `identity "${name}" has a region but compares ${declaration.match}; a region only means something for phone numbers`,
          fix: 'remove region, or set match: e164',
        });
      }
      this.#identities.set(name, {
        name,
        match: declaration.match,
        ...(declaration.region ? { region: declaration.region } : {}),
        ...(declaration.description
          ? { description: declaration.description }
          : existing?.description
            ? { description: existing.description }
            : {}),
      });
    }
  }

  #addSystem(source: DataMapSource, manifest: ManifestSystem, index: number): void {
    const path = ['systems', index];
    const existing = this.#systems.get(manifest.id);
    if (existing) {
      this.#locator.reportAt(source, [...path, 'id'], {
        code: 'datamap.duplicate_system',
        subject: manifest.id,
        message: `system "${manifest.id}" is already declared in ${existing.source}`,
        fix:
          'give the system another id, or move these collections to the top-level `collections:` list with `system: ' +
          manifest.id +
          '`',
      });
      return;
    }
    const { collections: _collections, connection, ...rest } = manifest;
    const system = {
      ...rest,
      connection: normaliseConnection(manifest, source.file),
      collections: [],
      source: source.file,
    } as DataMapSystem;
    void connection;
    this.#locator.set(system, { source, path });
    this.#systems.set(system.id, system);
    manifest.collections.forEach((collection, i) =>
      this.#addCollection(system, source, collection, [...path, 'collections', i]),
    );
  }

  #addDetachedCollection(
    source: DataMapSource,
    manifest: ManifestCollection & { system: string },
    index: number,
  ): void {
    const system = this.#systems.get(manifest.system);
    if (!system) {
      const known = [...this.#systems.keys()];
      this.#locator.reportAt(source, ['collections', index, 'system'], {
        code: 'datamap.unknown_system',
        subject: `${manifest.system}.${manifest.name}`,
        message: `collection "${manifest.name}" belongs to system "${manifest.system}", which no file of tenant "${this.#tenant}" declares${didYouMean(manifest.system, known)}`,
        fix: known.length ? `use one of: ${known.join(', ')}` : 'declare the system under `systems:`',
      });
      return;
    }
    const { system: _system, ...collection } = manifest;
    this.#addCollection(system, source, collection, ['collections', index]);
  }

  #addCollection(
    system: DataMapSystem,
    source: DataMapSource,
    manifest: ManifestCollection,
    path: (string | number)[],
  ): void {
    const duplicate = system.collections.find((c) => c.name === manifest.name);
    if (duplicate) {
      this.#locator.reportAt(source, [...path, 'name'], {
        code: 'datamap.duplicate_collection',
        subject: `${system.id}.${manifest.name}`,
        message: `collection "${manifest.name}" is declared twice in system "${system.id}" (also in ${duplicate.source})`,
        fix: 'merge the two declarations into one',
      });
      return;
    }
    const collection: DataMapCollection = {
      system: system.id,
      name: manifest.name,
      primaryKey: manifest.primaryKey,
      fields: [],
      purposes: manifest.purposes,
      dataSubjects: manifest.dataSubjects,
      review: manifest.review,
      source: source.file,
    };
    if (manifest.schema !== undefined) collection.schema = manifest.schema;
    if (manifest.erasure !== undefined) collection.erasure = normaliseErasure(manifest.erasure);
    if (manifest.retention !== undefined) collection.retention = manifest.retention;
    if (manifest.endpoints !== undefined) collection.endpoints = manifest.endpoints;
    if (manifest.files !== undefined) collection.files = manifest.files;
    if (manifest.description !== undefined) collection.description = manifest.description;
    this.#locator.set(collection, { source, path });
    system.collections.push(collection);
    manifest.fields.forEach((field, i) => {
      const fieldPath = [...path, 'fields', i];
      if (collection.fields.some((f) => f.name === field.name)) {
        this.#locator.reportAt(source, [...fieldPath, 'name'], {
          code: 'datamap.duplicate_field',
          subject: `${system.id}.${collection.name}.${field.name}`,
          message: `field "${field.name}" appears twice in collection "${collection.name}"`,
          fix: 'remove one of them',
        });
        return;
      }
      const built = normaliseField(field);
      this.#rawReferences.set(built, field.references);
      this.#locator.set(built, { source, path: fieldPath });
      collection.fields.push(built);
    });
  }

  #resolveReferences(collection: DataMapCollection): void {
    for (const field of collection.fields) {
      const raw = this.#rawReferences.get(field) ?? [];
      raw.forEach((reference, index) => {
        const resolved = this.#resolveTarget(collection, field, reference.field, index);
        if (!resolved) {
          this.#locator.markUnresolved(collection);
          return;
        }
        const built: FieldReference = { target: resolved, direction: reference.direction };
        if (reference.onDelete)
          built.foreignKey = {
            onDelete: reference.onDelete,
            ...(reference.constraint ? { constraint: reference.constraint } : {}),
          };
        field.references.push(built);
      });
    }
  }

  #resolveTarget(collection: DataMapCollection, field: DataMapField, text: string, index: number) {
    const parts = text.split('.');
    const subject = `${collection.system}.${collection.name}.${field.name}`;
    const at: (string | number)[] = ['references', index, 'field'];
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p)) {
      this.#locator.report(field, at, {
        code: 'datamap.bad_reference',
        subject,
        message: `reference "${text}" is not an address`,
        fix: 'write collection.field (same system) or system.collection.field',
      });
      return undefined;
    }
    const [systemId, collectionName, fieldName] =
      parts.length === 3
        ? (parts as [string, string, string])
        : [collection.system, parts[0] as string, parts[1] as string];
    const system = this.#systems.get(systemId);
    if (!system) {
      this.#locator.report(field, at, {
        code: 'datamap.reference_missing_system',
        subject,
        message: `reference "${text}" names system "${systemId}", which does not exist${didYouMean(systemId, [...this.#systems.keys()])}`,
        fix: 'fix the system id or declare the system',
      });
      return undefined;
    }
    const target = system.collections.find((c) => c.name === collectionName);
    if (!target) {
      this.#locator.report(field, at, {
        code: 'datamap.reference_missing_collection',
        subject,
        message: `reference "${text}" names collection "${collectionName}", which system "${systemId}" does not have${didYouMean(
          collectionName,
          system.collections.map((c) => c.name),
        )}`,
        fix: `fix the name or add the collection to system "${systemId}"`,
      });
      return undefined;
    }
    if (!target.fields.some((f) => f.name === fieldName)) {
      this.#locator.report(field, at, {
        code: 'datamap.reference_missing_field',
        subject,
        message: `reference "${text}" names field "${fieldName}", which ${systemId}.${collectionName} does not have${didYouMean(
          fieldName,
          target.fields.map((f) => f.name),
        )}`,
        fix: `fix the name or list "${fieldName}" under the fields of ${systemId}.${collectionName}`,
      });
      return undefined;
    }
    return { system: systemId, collection: collectionName, field: fieldName };
  }
}

function normaliseConnection(system: ManifestSystem, file: string): DataMapSystem['connection'] {
  if (system.kind === 'files') return { directory: resolve(dirname(file), system.connection.directory) };
  return system.connection as DataMapSystem['connection'];
}

function normaliseField(field: ManifestField): DataMapField {
  const built: DataMapField = {
    name: field.name,
    categories: field.categories,
    references: [],
    purposes: field.purposes,
    review: field.review,
  };
  if (field.type !== undefined) built.type = parseColumnType(field.type);
  if (field.nullable !== undefined) built.nullable = field.nullable;
  if (field.identity !== undefined) built.identity = field.identity;
  if (field.erasure !== undefined) built.erasure = normaliseErasure(field.erasure);
  if (field.description !== undefined) built.description = field.description;
  if (field.otherSubject !== undefined) built.otherSubject = field.otherSubject;
  if (field.paths !== undefined) built.paths = field.paths;
  return built;
}

/** Expands shorthands (`hash`, `pseudonymise` → sha256) and adds the Art. 17(3) letter to holds. */
export function normaliseErasure(erasure: ManifestErasure): ErasureStrategy {
  if (typeof erasure === 'string') {
    if (erasure === 'hash' || erasure === 'pseudonymise') return { strategy: erasure, algorithm: 'sha256' };
    return { strategy: erasure };
  }
  if (erasure.strategy === 'keep') return { ...erasure, article: EXEMPTION_ARTICLE[erasure.ground] };
  return erasure;
}

/** Groups field references into collection-level edges; columns of one FK constraint form one edge. */
function buildEdges(systems: readonly DataMapSystem[]): ReferenceEdge[] {
  const edges = new Map<string, ReferenceEdge>();
  for (const system of systems) {
    for (const collection of system.collections) {
      const holder: CollectionAddress = { system: system.id, collection: collection.name };
      for (const field of collection.fields) {
        for (const reference of field.references) {
          const target: CollectionAddress = {
            system: reference.target.system,
            collection: reference.target.collection,
          };
          const constraint = reference.foreignKey?.constraint;
          const key = constraint
            ? `${system.id}.${collection.name}#${constraint}`
            : `${system.id}.${collection.name}.${field.name}->${target.system}.${target.collection}.${reference.target.field}`;
          const existing = edges.get(key);
          // Undeclared nullability stays unknown: the catalog decides at plan time.
          const nullable = field.nullable;
          if (existing) {
            existing.fields.push({ holder: field.name, target: reference.target.field });
            if (existing.foreignKey)
              existing.foreignKey.nullable = allNullable(existing.foreignKey.nullable, nullable);
            if (field.otherSubject) existing.otherSubject = field.otherSubject;
            continue;
          }
          const edge: ReferenceEdge = {
            holder,
            target,
            fields: [{ holder: field.name, target: reference.target.field }],
            direction: reference.direction,
          };
          if (field.otherSubject) edge.otherSubject = field.otherSubject;
          if (reference.foreignKey)
            edge.foreignKey = {
              onDelete: reference.foreignKey.onDelete,
              ...(nullable === undefined ? {} : { nullable }),
              ...(constraint ? { constraint } : {}),
            };
          edges.set(key, edge);
        }
      }
    }
  }
  return [...edges.values()];
}

/** A composite key is nullable when every column is; unknown as soon as one column is unknown. */
function allNullable(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === false || b === false) return false;
  if (a === undefined || b === undefined) return undefined;
  return true;
}

export function didYouMean(value: string, candidates: readonly string[]): string {
  if (!candidates.length) return '';
  const best = closest(value, [...candidates]);
  return best && best !== value ? ` — did you mean "${best}"?` : '';
}

const SECRET_KEYS = new Set(['password', 'key', 'ca', 'cert', 'secret']);

function reportZodIssue(locator: DataMapLocator, source: DataMapSource, issue: z.core.$ZodIssue): void {
  const detail = deepestUnionIssue(issue);
  const path = detail.path.filter((p): p is string | number => typeof p !== 'symbol');
  const last = path.at(-1);
  if (detail.code === 'invalid_format' && typeof last === 'string' && SECRET_KEYS.has(last)) {
    // Never echo the value: it is probably the secret itself.
    locator.reportAt(source, path, {
      code: 'datamap.plain_credential',
      message: `"${last}" holds a plain-text value; credentials are accepted only as references`,
      fix: `put the secret in an environment variable or a file and write env:NAME or file:/path/to/secret`,
    });
    return;
  }
  locator.reportAt(source, path, {
    code: 'datamap.schema',
    message: describeZodIssue(detail),
    fix: zodFix(detail),
  });
}

/** For a failed union (an erasure strategy), the issue of the branch that got furthest. */
function deepestUnionIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || !issue.errors.length) return issue;
  const candidates = issue.errors.flat().map(deepestUnionIssue);
  const best = candidates.sort((a, b) => b.path.length - a.path.length)[0];
  if (!best || best.path.length === 0) return issue;
  return { ...best, path: [...issue.path, ...best.path] };
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return `${issue.message.replace(/^Invalid input: /, '')}`;
  if (issue.code === 'invalid_union') return 'not one of the accepted forms';
  return issue.message.replace(/^Invalid input: /, '');
}

function zodFix(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return 'remove it or check the spelling against schemas/datamap.schema.json';
  if (issue.code === 'invalid_value')
    return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_union') return 'see schemas/datamap.schema.json for the accepted forms';
  return 'correct the value (schemas/datamap.schema.json documents every key)';
}
