import type { FastifyRequest } from 'fastify';
import { InvalidInput } from '../errors/domain-error.ts';

/** Deeper than any document the API takes (a data map as JSON is about ten levels deep). */
export const MAX_INPUT_DEPTH = 64;

/**
 * Checks what every route receives — path parameters, query string and body — before any schema
 * or handler sees it, so that two kinds of input never get further than the boundary:
 * - a NUL character (`\u0000`, `%00`): PostgreSQL cannot store it in text, and a query carrying
 *   one fails deep inside with a server error;
 * - nesting deeper than MAX_INPUT_DEPTH: validators, serialisers and the data-map checks recurse,
 *   and 10,000 levels exhaust the stack.
 * The walk is iterative and linear in the input's size (bounded by server.bodyLimitBytes).
 */
export function guardRequestInput(request: FastifyRequest): void {
  inspect(request.params, 'path');
  inspect(request.query, 'query');
  inspect(request.body, 'body');
}

function inspect(root: unknown, name: string): void {
  // It runs on every request: a flat object of scalars (path parameters, most query strings) is
  // checked without building a path per key. Anything else, or a NUL found, takes the full walk,
  // which names where.
  if (root === undefined || root === null || isFlatAndClean(root)) return;
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: root, path: name, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw nulCharacter(path);
      continue;
    }
    // Parsed JSON is arrays and plain objects; anything else (a body handed on as a stream) is the
    // route's to read and check.
    if (!Array.isArray(value) && !isPlainObject(value)) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new InvalidInput(
        'request.too_deep',
        `The ${name} nests deeper than ${MAX_INPUT_DEPTH} levels (at ${shorten(path)}). Nothing Steward takes is that deep; send a flatter document.`,
        { maxDepth: MAX_INPUT_DEPTH },
      );
    }
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [String(index), item])
      : Object.entries(value);
    for (const [key, item] of entries) {
      const itemPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
      if (key.includes('\u0000')) throw nulCharacter(path);
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
}

function nulCharacter(path: string): InvalidInput {
  return new InvalidInput(
    'request.nul_character',
    `${shorten(path).replaceAll('\u0000', '\\u0000')} contains a NUL character (\\u0000, %00), which cannot be stored. Remove it.`,
    { location: shorten(path).replaceAll('\u0000', '\\u0000') },
  );
}

function shorten(path: string): string {
  return path.length > 120 ? `${path.slice(0, 117)}…` : path;
}

function isFlatAndClean(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key.includes('\u0000')) return false;
    const item = value[key];
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return false;
    } else if (item !== null && typeof item === 'object') return false;
  }
  return true;
}

/**
 * Parsed JSON and query strings are plain objects; Fastify's path parameters are a dictionary whose
 * prototype is itself a null-prototype object. Class instances (a body handed on as a stream) are not.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
