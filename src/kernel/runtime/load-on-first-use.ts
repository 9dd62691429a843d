import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * A dependency loaded the first time it is needed, synchronously, and kept. For libraries only some
 * installations use (MySQL drivers, national-id checksums, TCF decoding, outbound HTTP agents, the
 * terminal spinner): importing them at start costs every process their memory (issue 10's budget for
 * `npm start` is 300 MB for Node and PostgreSQL together), whether or not the feature is ever used.
 * Node 22.12+ requires ES modules too, so an ESM-only package loads the same way.
 */
export function loadOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(specifier) as T);
}
