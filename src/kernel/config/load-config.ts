import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { InvalidInput } from '../errors/domain-error.ts';
import { applyEnvOverrides } from './apply-env-overrides.ts';
import { interpolateEnv } from './interpolate-env.ts';

export interface LoadedConfig<Config extends object = object> {
  config: Config;
  /** The file read, or undefined when Steward runs on defaults. */
  file: string | undefined;
}

/** What steward.yaml is checked against: the schema, and the keys whose values are paths. */
export interface ConfigDefinition<Config extends object> {
  schema: z.ZodType<Config>;
  /** Dotted keys (`database.dataDir`) resolved against the config file's folder. */
  pathKeys: readonly string[];
}

export interface LoadConfigOptions {
  /** `--config`; wins over STEWARD_CONFIG. An explicit path must exist. */
  path?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Reads steward.yaml, interpolates `${ENV}`, applies `STEWARD_*` overrides and validates the result.
 * Relative paths in the file are resolved against the file's folder, so `steward --config
 * /etc/steward/steward.yaml` works from any directory. Throws InvalidInput naming the file, key,
 * problem and fix.
 */
export function loadConfig<Config extends object>(
  definition: ConfigDefinition<Config>,
  options: LoadConfigOptions = {},
): LoadedConfig<Config> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.path ?? env.STEWARD_CONFIG;
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, 'steward.yaml');
  if (explicit && !existsSync(file)) {
    throw new InvalidInput(
      'config.not_found',
      `Config file ${file} does not exist. Create it with \`steward init\` or fix the path.`,
      { file },
    );
  }
  const present = existsSync(file);
  const raw = present ? readYaml(file) : {};
  const label = present ? file : 'configuration';
  const interpolated = interpolateEnv(raw, env) as Record<string, unknown>;
  const merged = applyEnvOverrides(interpolated, env);
  const parsed = definition.schema.safeParse(merged);
  if (!parsed.success) throw configError(label, parsed.error);
  const baseDir = present ? dirname(file) : cwd;
  return {
    config: resolvePaths(parsed.data, definition.pathKeys, baseDir),
    file: present ? file : undefined,
  };
}

function readYaml(file: string): unknown {
  const document = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  const [first] = document.errors;
  if (first) {
    const [line, column] = first.linePos?.[0]
      ? [first.linePos[0].line, first.linePos[0].col]
      : [undefined, undefined];
    throw new InvalidInput(
      'config.yaml_syntax',
      `${file}:${line ?? '?'}:${column ?? '?'}: ${first.message.split('\n')[0]}. Fix the YAML syntax at that line.`,
      { file, line, column },
    );
  }
  try {
    return document.toJS() ?? {};
  } catch (error) {
    // The parser refuses aliases expanding into a flood of nodes (a "billion laughs" file).
    if (!(error instanceof ReferenceError)) throw error;
    throw new InvalidInput(
      'config.yaml_aliases',
      `${file}: its aliases (*name) expand into too many copies, the pattern of a resource-exhaustion attack. Write the repeated values out.`,
      { file },
    );
  }
}

function configError(label: string, error: z.ZodError): InvalidInput {
  const problems = error.issues.map((issue) => {
    const key = issue.path.join('.') || '(top level)';
    return { key, problem: describeIssue(issue) };
  });
  const lines = problems.map((p) => `  ${p.key}: ${p.problem}`).join('\n');
  return new InvalidInput('config.invalid', `${label} is not valid:\n${lines}`, { problems });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}. Remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling against schemas/steward.config.schema.json.`;
  }
  if (issue.code === 'invalid_value') {
    return `${issue.message}. Use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
  }
  return `${issue.message}.`;
}

/** A copy of `config` with each path key made absolute; keys absent from this config are skipped. */
function resolvePaths<Config extends object>(
  config: Config,
  pathKeys: readonly string[],
  baseDir: string,
): Config {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const key of pathKeys) {
    const [section, field] = key.split('.') as [string, string];
    const holder = copy[section] as Record<string, unknown> | undefined;
    const value = holder?.[field];
    if (typeof value === 'string' && value !== '')
      holder![field] = isAbsolute(value) ? value : resolve(baseDir, value);
  }
  return copy as Config;
}
