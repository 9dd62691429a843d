import type { DataMapLocator } from './datamap-locator.ts';
import type { DataMap, DataMapCollection, DataMapSystem, HttpEndpoint } from './datamap-types.ts';

const PLACEHOLDER = /\{([a-z]+)\.([A-Za-z0-9_]+)\}/g;

/**
 * HTTP collections are reached only through their declared endpoints: at least one read endpoint,
 * keyed by identities the map knows, with placeholders that name real identities and fields.
 */
export function checkHttpEndpoints(
  system: DataMapSystem,
  collection: DataMapCollection,
  dataMap: DataMap,
  locator: DataMapLocator,
): void {
  const subject = `${system.id}.${collection.name}`;
  if (system.kind !== 'http') {
    if (collection.endpoints) {
      locator.report(collection, ['endpoints'], {
        code: 'datamap.endpoints_on_database',
        subject,
        message: `endpoints are only for http systems; ${system.id} is ${system.kind}`,
        fix: 'remove `endpoints`',
      });
    }
    return;
  }
  const identities = new Set(dataMap.identities.map((i) => i.name));
  const endpoints = collection.endpoints;
  if (!endpoints || !Object.keys(endpoints.read).length) {
    locator.report(collection, ['name'], {
      code: 'datamap.http_no_read_endpoint',
      subject,
      message:
        "an http collection needs at least one read endpoint, or Steward cannot find the subject's rows",
      fix: 'add endpoints.read.<identity> with method, path (e.g. /customers?email={identity.email}) and rowsPath',
    });
    return;
  }
  const fields = new Set(collection.fields.map((f) => f.name));
  for (const kind of ['read', 'delete', 'update'] as const) {
    for (const [key, endpoint] of Object.entries(endpoints[kind])) {
      const path = ['endpoints', kind, key];
      if (!identities.has(key) && !(kind !== 'read' && key === 'row')) {
        locator.report(collection, path, {
          code: 'datamap.http_unknown_identity',
          subject,
          message: `endpoint key "${key}" is not an identity${kind === 'read' ? '' : ' nor `row`'}`,
          fix: `key endpoints by identity (${[...identities].join(', ')})${kind === 'read' ? '' : ' or use `row` for one call per row read'}`,
        });
      }
      checkPlaceholders(endpoint, identities, fields, collection, path, subject, locator);
    }
  }
}

function checkPlaceholders(
  endpoint: HttpEndpoint,
  identities: Set<string>,
  fields: Set<string>,
  collection: DataMapCollection,
  path: (string | number)[],
  subject: string,
  locator: DataMapLocator,
): void {
  const templates = [endpoint.path, ...Object.values(endpoint.query), JSON.stringify(endpoint.body ?? null)];
  for (const template of templates) {
    for (const [, scope, name] of template.matchAll(PLACEHOLDER)) {
      const ok =
        scope === 'identity'
          ? identities.has(name as string)
          : scope === 'row' || scope === 'value'
            ? fields.has(name as string)
            : false;
      if (ok) continue;
      locator.report(collection, path, {
        code: 'datamap.http_bad_placeholder',
        subject,
        message: `placeholder {${scope}.${name}} names ${scope === 'identity' ? 'an unknown identity' : scope === 'row' || scope === 'value' ? 'a field the collection does not have' : `an unknown scope "${scope}"`}`,
        fix: 'use {identity.<identity>}, {row.<field>} or {value.<field>}',
      });
    }
  }
}
