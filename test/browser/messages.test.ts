import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const WEB = join(import.meta.dirname, '..', '..', 'web');
const LANGUAGES = ['en', 'de', 'fr'];
const MESSAGE_FOLDERS = ['shared/locales', 'console/locales', 'privacy/locales'];

/** Every key of a message file, dotted, with plural suffixes (_one, _other) folded into the key. */
function keysOf(messages: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keysOf(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key.replace(/_(one|other)$/, '')}`],
  );
}

function messages(folder: string, language: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(WEB, folder, `${language}.json`), 'utf8')) as Record<string, unknown>;
}

test('German and French translate every message English has, and nothing English lacks', () => {
  for (const folder of MESSAGE_FOLDERS) {
    const english = new Set(keysOf(messages(folder, 'en')));
    for (const language of LANGUAGES.slice(1)) {
      const translated = new Set(keysOf(messages(folder, language)));
      assert.deepEqual(
        [...english].filter((key) => !translated.has(key)),
        [],
        `${folder}/${language}.json misses these`,
      );
      assert.deepEqual(
        [...translated].filter((key) => !english.has(key)),
        [],
        `${folder}/${language}.json has extra`,
      );
    }
  }
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

test('every message key the apps name literally exists in English', () => {
  const english = new Set(MESSAGE_FOLDERS.flatMap((folder) => keysOf(messages(folder, 'en'))));
  const missing: string[] = [];
  for (const file of sourceFiles(WEB)) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /\bt\(\s*'((?:common|console|privacy)\.[a-zA-Z0-9_.]+)'/g,
    )) {
      if (!english.has(match[1]!)) missing.push(`${match[1]} (${file.slice(WEB.length + 1)})`);
    }
  }
  assert.deepEqual(missing, []);
});
