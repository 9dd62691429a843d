import { z } from 'zod';
import type { RouteModule } from '../../../kernel/module.ts';
import type { PlatformServices } from '../../platform-services.ts';
import { createTaxonomy } from '../../taxonomy/taxonomy.ts';
import { formatProblem } from '../datamap-problem.ts';
import type { DataMap, ErasureStrategy } from '../datamap-types.ts';
import { validateDataMapText } from '../load-datamap.ts';

const address = z.object({ system: z.string(), collection: z.string(), field: z.string() });
const purpose = z.object({ use: z.string(), legalBasis: z.string(), note: z.string().optional() });
const strategy = z
  .object({ strategy: z.string() })
  .loose()
  .describe('Erasure strategy; `keep` carries ground, article, period and reason.');

const fieldView = z.object({
  name: z.string(),
  type: z.string().optional().describe('Column type as the database spells it.'),
  nullable: z.boolean().optional(),
  categories: z.array(z.string()),
  identity: z.string().optional(),
  references: z.array(
    z.object({
      target: address,
      direction: z.enum(['from', 'to', 'both']),
      foreignKey: z.object({ onDelete: z.string(), constraint: z.string().optional() }).optional(),
    }),
  ),
  purposes: z.array(purpose),
  erasure: strategy.optional(),
  description: z.string().optional(),
  review: z.boolean(),
});

const collectionView = z.object({
  name: z.string(),
  schema: z.string().optional(),
  primaryKey: z.array(z.string()),
  erasure: strategy.optional(),
  purposes: z.array(purpose),
  dataSubjects: z.array(z.string()),
  retention: z
    .object({ keepFor: z.string(), anchor: z.string(), action: z.enum(['delete', 'anonymise']) })
    .loose()
    .optional(),
  fields: z.array(fieldView),
});

const dataMapResponse = z.object({
  tenant: z.string(),
  identities: z.array(z.object({ name: z.string(), match: z.enum(['exact', 'case_insensitive', 'e164']) })),
  systems: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['postgres', 'mysql', 'http', 'files']),
      name: z.string().optional(),
      owner: z.string().optional(),
      region: z.string().optional(),
      role: z.enum(['controller', 'processor']),
      recipients: z.array(
        z.object({
          name: z.string(),
          category: z.string().optional(),
          role: z.string().optional(),
          country: z.string().optional(),
        }),
      ),
      transfers: z.array(
        z.object({
          country: z.string(),
          safeguard: z.string(),
          recipient: z.string().optional(),
          note: z.string().optional(),
        }),
      ),
      collections: z.array(collectionView),
    }),
  ),
});

const problem = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  file: z.string(),
  line: z.number().int().optional(),
  path: z.string(),
  subject: z.string().optional(),
  message: z.string(),
  fix: z.string(),
  text: z.string().describe('The whole finding as one line: file:line path (subject): message. Fix: …'),
});

const validateBody = z
  .object({
    manifest: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .describe('A data-map file: YAML (or JSON) text, or the parsed object.'),
    name: z
      .string()
      .max(200)
      .default('manifest.yaml')
      .describe('Label used in the findings (e.g. the file name).'),
  })
  .strict();

const validateResponse = z.object({
  valid: z.boolean().describe('False when any finding is an error.'),
  systems: z.number().int(),
  collections: z.number().int(),
  problems: z.array(problem),
});

/** The tenant's data map (read-only; no connection details) and a validator for proposed files. */
export const datamapRoutes: RouteModule<Pick<PlatformServices, 'config' | 'dataMaps'>> = (app, services) => {
  const tags = ['datamap'];
  const taxonomy = createTaxonomy(services.config.taxonomy);

  app.get(
    '/datamap',
    {
      config: { permission: 'datamap:read' },
      schema: {
        tags,
        summary: "The tenant's data map: systems, collections and fields",
        response: { 200: dataMapResponse },
      },
    },
    async (request) => toResponse(services.dataMaps.forTenant(request.actor.tenantId).dataMap),
  );

  app.post(
    '/datamap/validate',
    {
      config: { permission: 'datamap:read' },
      schema: {
        tags,
        summary: 'Validate a data-map file without loading it',
        body: validateBody,
        response: { 200: validateResponse },
      },
    },
    async (request) => {
      const { manifest, name } = request.body;
      const text = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
      const validation = validateDataMapText(name, text, { taxonomy });
      const systems = validation.dataMaps.flatMap((m) => m.systems);
      return {
        valid: validation.valid,
        systems: systems.length,
        collections: systems.reduce((n, s) => n + s.collections.length, 0),
        problems: validation.problems.map((p) => ({ ...p, text: formatProblem(p) })),
      };
    },
  );
};

/** A copy typed as a plain object, as the response schema wants. */
function plain(
  strategy: ErasureStrategy | undefined,
): (Record<string, unknown> & { strategy: string }) | undefined {
  return strategy ? { ...strategy } : undefined;
}

/** The data map without connections: they name hosts and secret locations, which API readers need not see. */
function toResponse(dataMap: DataMap): z.input<typeof dataMapResponse> {
  return {
    tenant: dataMap.tenant,
    identities: dataMap.identities.map(({ name, match }) => ({ name, match })),
    systems: dataMap.systems.map((system) => ({
      id: system.id,
      kind: system.kind,
      name: system.name,
      owner: system.owner,
      region: system.region,
      role: system.role,
      recipients: system.recipients,
      transfers: system.transfers,
      collections: system.collections.map((collection) => ({
        name: collection.name,
        schema: collection.schema,
        primaryKey: collection.primaryKey,
        erasure: plain(collection.erasure),
        purposes: collection.purposes,
        dataSubjects: collection.dataSubjects,
        retention: collection.retention ? { ...collection.retention } : undefined,
        description: collection.description,
        fields: collection.fields.map((field) => ({
          ...field,
          type: field.type?.raw,
          erasure: plain(field.erasure),
        })),
      })),
    })),
  };
}
