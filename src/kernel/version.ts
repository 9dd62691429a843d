import { readFileSync } from 'node:fs';

/** The version in package.json, read once; works from src/ and from dist/. */
export const STEWARD_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
