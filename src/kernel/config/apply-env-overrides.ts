import { parseScalar } from './parse-scalar.ts';

const PREFIX = 'STEWARD_';
/** Variables with the prefix that are not config keys. */
const RESERVED = new Set([
  'STEWARD_CONFIG',
  'STEWARD_TEST_DB',
  'STEWARD_MASTER_KEY',
  'STEWARD_MASTER_KEY_FILE',
]);

/**
 * `STEWARD_SERVER__PORT=9000` sets `server.port`: double underscores separate levels, single ones
 * map to camelCase (`STEWARD_DATABASE__POOL_SIZE` → `database.poolSize`). Values are read as YAML
 * scalars so numbers and booleans arrive typed.
 */
export function applyEnvOverrides(
  config: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const result = structuredClone(config);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || RESERVED.has(name) || raw === undefined) continue;
    const path = name.slice(PREFIX.length).split('__').map(toCamelCase);
    setPath(result, path, parseScalar(raw));
  }
  return result;
}

function toCamelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_m, char: string) => char.toUpperCase());
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
