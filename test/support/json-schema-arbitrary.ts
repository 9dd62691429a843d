import fc from 'fast-check';

/** A JSON Schema as found in Steward's OpenAPI 3.1 document (2020-12 vocabulary). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a schema is untyped JSON, read keyword by keyword
export type SchemaObject = { [keyword: string]: any };
export type JsonSchema = SchemaObject | boolean;

const MAX_DEPTH = 6;

/**
 * A fast-check arbitrary of values that satisfy a JSON Schema, for property tests driven by the
 * OpenAPI document. It covers what zod emits: types, enum/const, anyOf/oneOf/allOf, formats, patterns,
 * lengths, bounds, arrays and objects with required and optional properties.
 */
export function arbitraryOf(
  schema: JsonSchema | undefined,
  resolve: (ref: string) => JsonSchema = unresolvable,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (
    schema === undefined ||
    schema === true ||
    (typeof schema === 'object' && Object.keys(schema).length === 0)
  )
    return anyJson();
  if (schema === false) return fc.constant(undefined);
  if (depth > MAX_DEPTH) return fc.constant(null);
  const next = (s: JsonSchema) => arbitraryOf(s, resolve, depth + 1);
  if (schema.$ref) return next(resolve(schema.$ref));
  // Examples a schema documents are realistic values that also pass the domain's own rules.
  if (Array.isArray(schema.examples) && schema.examples.length > 0) {
    const { examples, ...rest } = schema;
    return fc.oneof(fc.constantFrom(...examples), arbitraryOf(rest, resolve, depth));
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.anyOf ?? schema.oneOf))
    return fc.oneof(...(schema.anyOf ?? schema.oneOf).map(next));
  if (Array.isArray(schema.allOf))
    return next(
      mergeAll(schema.allOf.map((s: JsonSchema) => (typeof s === 'object' && s.$ref ? resolve(s.$ref) : s))),
    );
  const types: string[] = Array.isArray(schema.type)
    ? schema.type
    : schema.type
      ? [schema.type]
      : [guessType(schema)];
  return fc.oneof(...types.map((type) => arbitraryOfType(type, schema, next)));
}

function arbitraryOfType(
  type: string,
  schema: SchemaObject,
  next: (s: JsonSchema) => fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: lowerBound(schema, true) ?? -1_000_000,
        max: upperBound(schema, true) ?? 1_000_000,
      });
    case 'number':
      return fc.double({
        min: lowerBound(schema, false) ?? -1e9,
        max: upperBound(schema, false) ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return stringOf(schema);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      const items = next(schema.items ?? {});
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object':
    default:
      return objectOf(schema, next);
  }
}

function objectOf(
  schema: SchemaObject,
  next: (s: JsonSchema) => fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const properties: Record<string, JsonSchema> = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    if (schema.additionalProperties === false) return fc.constant({});
    const values =
      typeof schema.additionalProperties === 'object' ? next(schema.additionalProperties) : anyJson();
    const keys =
      typeof schema.propertyNames === 'object'
        ? stringOf(schema.propertyNames)
        : fc.string({ minLength: 1, maxLength: 12 });
    return fc.dictionary(keys, values, { maxKeys: 3, minKeys: schema.minProperties ?? 0 });
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) record[name] = next(properties[name] as JsonSchema);
  return fc.record(record, {
    requiredKeys: (schema.required ?? []).filter((k: string) => names.includes(k)),
  });
}

/** Formats first (they are the intent); a zod pattern is then used as a filter, or to generate when there is no format. */
function stringOf(schema: SchemaObject): fc.Arbitrary<string> {
  const minLength: number = schema.minLength ?? 0;
  const maxLength: number = schema.maxLength ?? Math.max(minLength, 40);
  const pattern = schema.pattern ? safeRegExp(schema.pattern) : undefined;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength && (!pattern || pattern.test(s));
  const formatted = formatArbitrary(schema.format);
  if (formatted) return formatted.filter(fits);
  if (pattern) {
    try {
      return fc.stringMatching(pattern).filter(fits);
    } catch {
      // Patterns fast-check cannot generate from (look-arounds) fall back to filtered strings.
    }
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) }).filter(fits);
}

function formatArbitrary(format: string | undefined): fc.Arbitrary<string> | undefined {
  const word = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
  switch (format) {
    case 'email':
      return fc
        .tuple(word, word, fc.constantFrom('com', 'org', 'net', 'eu'))
        .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date-time':
      return fc
        .date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-12-31T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10));
    case 'uri':
    case 'url':
      return fc.webUrl();
    default:
      return undefined;
  }
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

function lowerBound(schema: SchemaObject, integer: boolean): number | undefined {
  if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum + (integer ? 1 : 1e-9);
  return typeof schema.minimum === 'number' ? Math.max(schema.minimum, -Number.MAX_SAFE_INTEGER) : undefined;
}

function upperBound(schema: SchemaObject, integer: boolean): number | undefined {
  if (typeof schema.exclusiveMaximum === 'number') return schema.exclusiveMaximum - (integer ? 1 : 1e-9);
  return typeof schema.maximum === 'number' ? Math.min(schema.maximum, Number.MAX_SAFE_INTEGER) : undefined;
}

function guessType(schema: SchemaObject): string {
  if (schema.properties || schema.additionalProperties !== undefined) return 'object';
  if (schema.items) return 'array';
  if (schema.pattern || schema.format || schema.minLength !== undefined) return 'string';
  return 'any';
}

function mergeAll(schemas: JsonSchema[]): JsonSchema {
  const merged: SchemaObject = {};
  for (const s of schemas) {
    if (typeof s !== 'object') continue;
    for (const [key, value] of Object.entries(s)) {
      if (key === 'properties') merged.properties = { ...merged.properties, ...value };
      else if (key === 'required') merged.required = [...(merged.required ?? []), ...value];
      else merged[key] = value;
    }
  }
  return merged;
}

function anyJson(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 2 });
}

function unresolvable(ref: string): JsonSchema {
  throw new Error(`Cannot resolve ${ref}: pass a resolver for the document's components.`);
}
