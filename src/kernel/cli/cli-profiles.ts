import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { InvalidInput } from '../errors/domain-error.ts';

/** One saved server: where Steward answers and the API key to use there (written by `steward login`). */
export interface CliProfile {
  server: string;
  apiKey: string;
  /** The tenant to act in, when the key's own is not meant (`X-Steward-Tenant`). */
  tenant?: string | undefined;
}

const profilesSchema = z.record(
  z.string(),
  z.object({ server: z.string().url(), apiKey: z.string().min(1), tenant: z.string().optional() }),
);

/**
 * Where profiles are kept: $STEWARD_PROFILES, else steward/profiles.json in $XDG_CONFIG_HOME
 * (default ~/.config). The file holds API keys, so it is written readable by its owner only.
 */
export function profilesPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STEWARD_PROFILES) return env.STEWARD_PROFILES;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'steward', 'profiles.json');
}

export function readProfiles(path: string): Record<string, CliProfile> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new InvalidInput(
      'cli.profiles_unreadable',
      `${path} is not valid JSON. Fix it or delete it and run \`steward login\` again.`,
    );
  }
  const result = profilesSchema.safeParse(parsed);
  if (!result.success)
    throw new InvalidInput(
      'cli.profiles_invalid',
      `${path} does not hold profiles ({ "<name>": { "server", "apiKey" } }). Fix it or delete it and run \`steward login\` again.`,
    );
  return result.data;
}

/** Writes the profiles atomically (a temporary file renamed over the old one), mode 0600. */
export function writeProfiles(path: string, profiles: Record<string, CliProfile>): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(profiles, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** A server URL as profiles compare it: no trailing slash. */
export function normalisedServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInput(
      'cli.server_invalid',
      `--server ${url} is not a URL. Give Steward's address, e.g. --server https://steward.example.com.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InvalidInput(
      'cli.server_invalid',
      `--server must be an http or https URL, not ${parsed.protocol}.`,
    );
  return parsed.toString().replace(/\/+$/, '');
}
