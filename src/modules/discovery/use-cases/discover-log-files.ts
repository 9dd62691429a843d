import { readdir } from 'node:fs/promises';
import { join, matchesGlob } from 'node:path';
import { readLogBytes } from '../../../platform/connectors/files/log-files.ts';
import type { DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import { detectPii } from '../../../platform/pii/index.ts';
import { CATEGORY_OF_TYPE } from '../core/category-map.ts';
import { classifyCollection, type SampledColumn } from '../core/classify-collection.ts';
import type { CollectionDiscovery, ColumnDiscovery, DiscoveryResult } from '../core/discovery-types.ts';
import { valuesByJsonPath } from '../core/json-paths.ts';
import { DEFAULT_SAMPLE_SIZE } from './discover-database.ts';

type FilesSystem = Extract<DataMapSystem, { kind: 'files' }>;

/** Characters of a line that are looked at: log lines with megabyte payloads exist. */
const MAX_LINE_CHARS = 8192;

/**
 * Discovery over a log directory: for each declared collection (and each group of files no
 * collection's glob covers, named after the files' stem), samples the first lines of every file,
 * classifies JSON fields path by path, and reports which PII types the detector finds in lines
 * (`pii:<type>` fields, the files connector's detector columns) where no JSON field explains them.
 */
export async function discoverLogFiles(
  system: FilesSystem,
  options: { sampleSize?: number; now?: () => Date } = {},
): Promise<DiscoveryResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  const directory = system.connection.directory;
  const files = (await readdir(directory)).filter((name) => !name.startsWith('.')).sort();
  const groups = system.collections
    .filter((c) => c.files)
    .map((c) => ({
      name: c.name,
      glob: c.files!.glob,
      format: c.files!.format as 'jsonl' | 'text' | undefined,
      declared: true,
    }));
  const covered = (file: string) => groups.some((g) => matchesGlob(file, g.glob));
  for (const file of files) {
    if (covered(file)) continue;
    const stem = file.replace(/(\.\d+)?(\.gz)?$/, '').replace(/\.(log|jsonl|json|txt)$/, '');
    groups.push({
      name: stem.replace(/[^A-Za-z0-9_-]/g, '_'),
      glob: `${stem}*`,
      format: undefined,
      declared: false,
    });
  }
  const collections: CollectionDiscovery[] = [];
  for (const group of groups) {
    const members = files.filter((file) => matchesGlob(file, group.glob));
    const lines: string[] = [];
    for (const file of members) lines.push(...(await firstLines(join(directory, file), sampleSize)));
    const format =
      group.format ?? (lines.length && lines.every((l) => parseObject(l) !== undefined) ? 'jsonl' : 'text');
    collections.push({
      ...classifyLines(group.name, lines, format),
      ...(group.declared ? {} : { files: { glob: group.glob, format } }),
    });
  }
  return {
    system: system.id,
    kind: 'files',
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    sampleSize,
    collections,
  };
}

/** Classifies sampled lines: JSON fields by path (jsonl), detector types over the lines (both). */
export function classifyLines(
  name: string,
  lines: readonly string[],
  format: 'jsonl' | 'text',
): CollectionDiscovery {
  const columns: SampledColumn[] =
    format === 'jsonl'
      ? [...valuesByJsonPath(lines.map(parseObject).filter((o) => o !== undefined))].map(
          ([path, values]) => ({
            name: path,
            type: 'text',
            values,
          }),
        )
      : [];
  const classified = classifyCollection({
    name,
    primaryKey: [],
    strategy: 'lines',
    sampledRows: lines.length,
    columns,
  });
  const explained = new Set(classified.columns.flatMap((c) => c.categories));
  const detected = new Map<string, number>();
  for (const line of lines)
    for (const type of new Set(detectPii(line.slice(0, MAX_LINE_CHARS)).map((f) => f.type)))
      detected.set(type, (detected.get(type) ?? 0) + 1);
  const detectorColumns: ColumnDiscovery[] = [...detected]
    .filter(([type]) => !explained.has(CATEGORY_OF_TYPE[type as keyof typeof CATEGORY_OF_TYPE]))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, matched]) => ({
      field: `pii:${type}`,
      type: 'text',
      categories: [CATEGORY_OF_TYPE[type as keyof typeof CATEGORY_OF_TYPE]],
      // Any personal data in a log matters; how often it appears says how sure the detector is.
      confidence: Math.round((0.5 + 0.5 * (matched / lines.length)) * 100) / 100,
      evidence: [{ signal: 'text', detector: type, matched, sampled: lines.length }],
      sampled: lines.length,
    }));
  return { ...classified, columns: [...classified.columns, ...detectorColumns] };
}

async function firstLines(path: string, limit: number): Promise<string[]> {
  const lines: string[] = [];
  let rest = '';
  const stream = readLogBytes(path);
  for await (const chunk of stream) {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) if (part.trim() && lines.length < limit) lines.push(part);
    if (lines.length >= limit) break;
  }
  if (rest.trim() && lines.length < limit) lines.push(rest);
  (stream as { destroy?: () => void }).destroy?.();
  return lines;
}

function parseObject(line: string): object | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
