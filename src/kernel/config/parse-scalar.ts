import { parse } from 'yaml';

/** Reads an environment value the way YAML would, so `9000` and `false` arrive as number and boolean. */
export function parseScalar(raw: string): unknown {
  try {
    const value: unknown = parse(raw);
    return value === null || typeof value === 'object' ? raw : value;
  } catch {
    return raw;
  }
}
