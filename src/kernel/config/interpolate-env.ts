import { InvalidInput } from '../errors/domain-error.ts';
import { parseScalar } from './parse-scalar.ts';

const WHOLE_PLACEHOLDER = /^\$\{[^}]+\}$/;
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed YAML tree. A placeholder
 * with no value and no default is an error naming the key, because silently using an empty
 * string would, for example, point Steward at the wrong database.
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === 'string') {
    const replaced = interpolateString(value, env, path);
    // A value that is one placeholder takes the type of what it expands to (`port: ${PORT}`).
    return replaced !== value && WHOLE_PLACEHOLDER.test(value) ? parseScalar(replaced) : replaced;
  }
  if (Array.isArray(value))
    return value.map((item, index) => interpolateEnv(item, env, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, [...path, key])]),
    );
  }
  return value;
}

function interpolateString(text: string, env: NodeJS.ProcessEnv, path: string[]): string {
  return text.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (fallback !== undefined) return fallback;
    throw new InvalidInput(
      'config.env_missing',
      `${path.join('.')}: environment variable ${name} is not set. Set it, or write \${${name}:-default} to give a default.`,
      { key: path.join('.'), variable: name },
    );
  });
}
