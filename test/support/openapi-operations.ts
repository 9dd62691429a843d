import fc from 'fast-check';
import { arbitraryOf, type JsonSchema, type SchemaObject } from './json-schema-arbitrary.ts';

/** One operation of the OpenAPI document, reduced to what a request generator needs. */
export interface ApiOperation {
  method: string;
  /** OpenAPI path with `{param}` placeholders. */
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  body: JsonSchema | undefined;
  bodyRequired: boolean;
  /** Response schema per status code ('201', '4XX', 'default'…), undefined when no JSON body is declared. */
  responses: Record<string, JsonSchema | undefined>;
  /** The JSON media type each documented status answers with (application/json or application/problem+json). */
  responseMediaTypes: Record<string, string | undefined>;
  /** Every media type each status is documented with (a report route may answer JSON, XML or PDF). */
  documentedMediaTypes: Record<string, string[]>;
}

export interface GeneratedRequest {
  method: string;
  url: string;
  payload?: unknown;
}

type OpenApiDocument = {
  paths: Record<string, SchemaObject>;
  components?: { schemas?: Record<string, JsonSchema> };
};

export function operationsOf(document: OpenApiDocument): ApiOperation[] {
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters: SchemaObject[] = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      const jsonBody = operation.requestBody?.content?.['application/json'];
      const responses: Record<string, JsonSchema | undefined> = {};
      const responseMediaTypes: Record<string, string | undefined> = {};
      const documentedMediaTypes: Record<string, string[]> = {};
      for (const [status, response] of Object.entries<SchemaObject>(operation.responses ?? {})) {
        const content = response?.content;
        documentedMediaTypes[status] = Object.keys(content ?? {});
        const mediaType = ['application/json', 'application/problem+json'].find((type) => content?.[type]);
        responses[status] = mediaType ? content[mediaType].schema : undefined;
        responseMediaTypes[status] = mediaType;
      }
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({
            name: p.name,
            schema: p.schema ?? { type: 'string' },
            required: p.required === true,
          })),
        body: jsonBody?.schema,
        bodyRequired: operation.requestBody?.required === true,
        responses,
        responseMediaTypes,
        documentedMediaTypes,
      });
    }
  }
  return operations;
}

/** Resolves `#/components/schemas/…` references of the document. */
export function resolverOf(document: OpenApiDocument): (ref: string) => JsonSchema {
  return (ref) => {
    const name = ref.replace('#/components/schemas/', '');
    const found = document.components?.schemas?.[name];
    if (found === undefined) throw new Error(`The OpenAPI document has no schema ${ref}.`);
    return found;
  };
}

/** Requests that satisfy the operation's schemas: path, query and body. */
export function validRequestOf(
  operation: ApiOperation,
  resolve: (ref: string) => JsonSchema,
): fc.Arbitrary<GeneratedRequest> {
  const params = fc.tuple(
    ...operation.pathParams.map((p) => arbitraryOf(p.schema, resolve).map((v) => String(v))),
  );
  const queryRecord: Record<string, fc.Arbitrary<unknown>> = {};
  for (const q of operation.query) queryRecord[q.name] = arbitraryOf(q.schema, resolve);
  const query = fc.record(queryRecord, {
    requiredKeys: operation.query.filter((q) => q.required).map((q) => q.name),
  });
  const body = operation.body ? arbitraryOf(operation.body, resolve) : fc.constant(undefined);
  return fc.tuple(params, query, body).map(([values, queryValues, payload]) => ({
    method: operation.method,
    url: urlOf(operation, values, queryValues as Record<string, unknown>),
    ...(payload === undefined ? {} : { payload }),
  }));
}

/** Requests that break the schemas in the ways clients do: wrong types, missing or extra fields, junk. */
export function invalidRequestOf(
  operation: ApiOperation,
  resolve: (ref: string) => JsonSchema,
): fc.Arbitrary<GeneratedRequest> {
  const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 300 }), fc.constant(null));
  const junkText = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom('..', '%00', 'null', '-1', '1e309', 'a'.repeat(300), "' or 1=1 --", '<script>'),
  );
  return fc
    .tuple(
      validRequestOf(operation, resolve),
      fc.array(junkText, { minLength: operation.pathParams.length, maxLength: operation.pathParams.length }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), junkText, { maxKeys: 3 }),
      junk,
      fc.constantFrom('params', 'query', 'body', 'drop-field', 'extra-field', 'everything'),
    )
    .map(([valid, params, query, payload, how]) => {
      const breakParams = how === 'params' || how === 'everything';
      const breakQuery = how === 'query' || how === 'everything';
      const url =
        breakParams || breakQuery
          ? urlOf(
              operation,
              breakParams ? params : valuesIn(operation, valid.url),
              breakQuery ? query : queryIn(valid.url),
            )
          : valid.url;
      let body = valid.payload;
      if (how === 'body' || how === 'everything') body = payload;
      else if (how === 'drop-field' && body && typeof body === 'object' && !Array.isArray(body))
        body = Object.fromEntries(Object.entries(body).slice(1));
      else if (how === 'extra-field')
        body = {
          ...(body && typeof body === 'object' && !Array.isArray(body) ? body : {}),
          unexpectedField: payload,
        };
      return { method: valid.method, url, ...(body === undefined ? {} : { payload: body }) };
    });
}

function urlOf(operation: ApiOperation, values: string[], query: Record<string, unknown>): string {
  let index = 0;
  const path = operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[index++] ?? 'x') || 'x');
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value])
      search.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

function valuesIn(operation: ApiOperation, url: string): string[] {
  const template = operation.path.split('/');
  const actual = (url.split('?')[0] ?? '').split('/');
  return template.flatMap((part, i) => (part.startsWith('{') ? [decodeURIComponent(actual[i] ?? '')] : []));
}

function queryIn(url: string): Record<string, unknown> {
  const at = url.indexOf('?');
  return at < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(at + 1)));
}
