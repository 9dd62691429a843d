import { Document, isMap, isSeq, parse, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMapManifestInput } from '../datamap-manifest-schema.ts';
import type { DataMapProblem } from '../datamap-problem.ts';
import { validateDataMapText } from '../load-datamap.ts';

/** The parts of a Fides dataset (fideslang `Dataset`) that carry over; unknown keys are ignored. */
const fidesReferenceSchema = z
  .object({ dataset: z.string(), field: z.string(), direction: z.enum(['from', 'to']).optional() })
  .loose();

interface FidesField {
  name: string;
  description?: string | undefined;
  data_categories?: string[] | null | undefined;
  fides_meta?:
    | {
        identity?: string | null;
        primary_key?: boolean | null;
        data_type?: string | null;
        length?: number | null;
        references?: z.infer<typeof fidesReferenceSchema>[] | null;
      }
    | null
    | undefined;
  fields?: FidesField[] | null | undefined;
}

const fidesFieldSchema: z.ZodType<FidesField> = z.lazy(() =>
  z
    .object({
      name: z.string(),
      description: z.string().optional(),
      data_categories: z.array(z.string()).nullish(),
      fides_meta: z
        .object({
          identity: z.string().nullish(),
          primary_key: z.boolean().nullish(),
          data_type: z.string().nullish(),
          length: z.number().int().nullish(),
          references: z.array(fidesReferenceSchema).nullish(),
        })
        .loose()
        .nullish(),
      fields: z.array(fidesFieldSchema).nullish(),
    })
    .loose(),
);

const fidesDatasetFileSchema = z.object({
  dataset: z.array(
    z
      .object({
        fides_key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a valid id'),
        name: z.string().optional(),
        description: z.string().optional(),
        fides_meta: z
          .object({ namespace: z.object({ schema: z.string().optional() }).loose().optional() })
          .loose()
          .nullish(),
        collections: z.array(
          z
            .object({
              name: z.string(),
              description: z.string().optional(),
              fides_meta: z
                .object({ masking_strategy_override: z.object({ strategy: z.string() }).loose().nullish() })
                .loose()
                .nullish(),
              fields: z.array(fidesFieldSchema),
            })
            .loose(),
        ),
      })
      .loose(),
  ),
});

type FidesDataset = z.infer<typeof fidesDatasetFileSchema>['dataset'][number];
type ManifestSystem = NonNullable<DataMapManifestInput['systems']>[number];
type ManifestCollection = ManifestSystem['collections'] extends (infer C)[] | undefined ? C : never;
type ManifestField = NonNullable<ManifestCollection['fields']>[number];

export interface FidesImportOptions {
  /** Kind of every imported system; Fides datasets do not say. Default postgres. */
  kind?: 'postgres' | 'mysql';
  tenant?: string;
}

export interface FidesImport {
  yaml: string;
  manifest: DataMapManifestInput;
  /** What could not be carried over as is, in words (also written as comments into the YAML). */
  notes: string[];
  problems: DataMapProblem[];
}

/** Fides' abstract data types → a column type Steward can check erasure strategies against. */
const TYPE_BY_FIDES: Record<string, string> = {
  integer: 'integer',
  float: 'double precision',
  boolean: 'boolean',
  object: 'json',
  object_id: 'text',
  string: 'text',
};

/**
 * Converts Fides dataset YAML (`dataset: [{ fides_key, collections: [{ name, fields: [{ name,
 * data_categories, fides_meta: { identity, references, primary_key, data_type, length } }] }] }]`)
 * into a Steward data map: one system per dataset, keys, identities and references carried over.
 */
export function importFidesDatasets(text: string, options: FidesImportOptions = {}): FidesImport {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new InvalidInput(
      'datamap.fides_yaml',
      `The Fides file is not valid YAML: ${(error as Error).message.split('\n')[0]}. Fix the syntax.`,
    );
  }
  const parsed = fidesDatasetFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInput(
      'datamap.fides_invalid',
      `Not a Fides dataset file: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}. Expected \`dataset: [{ fides_key, collections: [...] }]\`.`,
    );
  }
  const notes: string[] = [];
  const systems = parsed.data.dataset.map((dataset) =>
    convertDataset(dataset, options.kind ?? 'postgres', notes),
  );
  const manifest: DataMapManifestInput = { ...(options.tenant ? { tenant: options.tenant } : {}), systems };
  const yaml = renderImport(manifest, notes);
  return { yaml, manifest, notes, problems: validateDataMapText('imported.yaml', yaml).problems };
}

function convertDataset(dataset: FidesDataset, kind: 'postgres' | 'mysql', notes: string[]): ManifestSystem {
  const schema = dataset.fides_meta?.namespace?.schema;
  const collections = dataset.collections.map((collection): ManifestCollection => {
    const path = `${dataset.fides_key}.${collection.name}`;
    const fields = collection.fields.map((field) => convertField(dataset.fides_key, path, field, notes));
    const converted: ManifestCollection = {
      name: collection.name,
      primaryKey: collection.fields.filter((f) => f.fides_meta?.primary_key).map((f) => f.name),
      fields,
    };
    if (schema) converted.schema = schema;
    if (collection.description) converted.description = collection.description;
    const override = collection.fides_meta?.masking_strategy_override?.strategy;
    if (override === 'delete') converted.erasure = 'delete_row';
    else if (override)
      notes.push(
        `${path}: masking_strategy_override "${override}" has no Steward equivalent; choose an erasure strategy`,
      );
    return converted;
  });
  const connection = { url: `env:${dataset.fides_key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_DB_URL` };
  return {
    id: dataset.fides_key,
    kind,
    ...(dataset.name ? { name: dataset.name } : {}),
    ...(dataset.description ? { description: dataset.description } : {}),
    connection,
    collections,
  } as ManifestSystem;
}

function convertField(
  datasetKey: string,
  collectionPath: string,
  field: FidesField,
  notes: string[],
): ManifestField {
  const meta = field.fides_meta ?? {};
  const converted: ManifestField = { name: field.name };
  const type = columnType(meta.data_type ?? undefined, meta.length ?? undefined);
  if (type) converted.type = type;
  const categories = [...(field.data_categories ?? [])];
  if (field.fields?.length) {
    // Steward addresses columns; a nested object becomes one JSON column holding all its categories.
    const nested = flattenNested(field.fields);
    for (const category of nested.categories) if (!categories.includes(category)) categories.push(category);
    converted.type = 'json';
    notes.push(
      `${collectionPath}.${field.name}: nested fields (${nested.names.join(', ')}) imported as one JSON column`,
    );
    if (nested.identities.length)
      notes.push(
        `${collectionPath}.${field.name}: identity inside a nested field (${nested.identities.join(', ')}) not imported; mark a top-level column instead`,
      );
  }
  if (categories.length) converted.categories = categories;
  if (meta.identity) converted.identity = meta.identity;
  const references = (meta.references ?? []).map((reference) => ({
    // Same dataset → collection.field; another dataset → its system id in front.
    field: reference.dataset === datasetKey ? reference.field : `${reference.dataset}.${reference.field}`,
    direction: reference.direction ?? ('both' as const),
  }));
  if (references.length) converted.references = references;
  if (field.description) converted.description = field.description;
  return converted;
}

function columnType(dataType: string | undefined, length: number | undefined): string | undefined {
  if (!dataType) return undefined;
  if (dataType.endsWith('[]')) return `${TYPE_BY_FIDES[dataType.slice(0, -2)] ?? 'text'}[]`;
  if (dataType === 'string' && length) return `varchar(${length})`;
  return TYPE_BY_FIDES[dataType];
}

function flattenNested(fields: FidesField[]): {
  names: string[];
  categories: string[];
  identities: string[];
} {
  const result = { names: [] as string[], categories: [] as string[], identities: [] as string[] };
  for (const field of fields) {
    result.names.push(field.name);
    for (const category of field.data_categories ?? [])
      if (!result.categories.includes(category)) result.categories.push(category);
    if (field.fides_meta?.identity) result.identities.push(field.fides_meta.identity);
    if (field.fields?.length) {
      const deeper = flattenNested(field.fields);
      result.names.push(...deeper.names.map((n) => `${field.name}.${n}`));
      for (const category of deeper.categories)
        if (!result.categories.includes(category)) result.categories.push(category);
      result.identities.push(...deeper.identities);
    }
  }
  return result;
}

function renderImport(manifest: DataMapManifestInput, notes: string[]): string {
  const document = new Document(manifest);
  document.commentBefore = [
    ' Imported from a Fides dataset by `steward datamap import-fides`.',
    " Set each system's kind and connection, then add purposes and erasure strategies.",
    ...(notes.length ? [' Not carried over as is:', ...notes.map((note) => `   - ${note}`)] : []),
  ].join('\n');
  const systems = document.get('systems');
  if (isSeq(systems)) {
    for (const system of systems.items as YAMLMap[]) {
      const collections = system.get('collections');
      if (!isSeq(collections)) continue;
      for (const collection of collections.items as YAMLMap[]) {
        const primaryKey = collection.get('primaryKey');
        if (isSeq(primaryKey)) primaryKey.flow = true;
        const fields = collection.get('fields');
        if (isSeq(fields)) for (const field of fields.items) if (isMap(field)) field.flow = true;
      }
    }
  }
  return document.toString({ lineWidth: 0 });
}
