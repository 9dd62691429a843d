import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import { createTaxonomy } from '../taxonomy/taxonomy.ts';
import { buildDataMaps } from './build-datamap.ts';
import { DataMapLocator } from './datamap-locator.ts';
import { dataMapInvalid, type DataMapProblem } from './datamap-problem.ts';
import { createDataMapRegistry } from './datamap-registry.ts';
import {
  listDataMapFiles,
  parseDataMapSource,
  readDataMapSource,
  type DataMapSource,
} from './datamap-source.ts';
import type { DataMap, DataMapRegistry } from './datamap-types.ts';
import { validateDataMap } from './validate-datamap.ts';

export interface LoadDataMapOptions {
  /** The taxonomy to check keys against; default: the shipped fideslang trees. */
  taxonomy?: Taxonomy;
  /** Receives warnings (deprecated keys, undeclared identities) when loading succeeds. */
  onWarning?: (problem: DataMapProblem) => void;
}

export interface DataMapValidation {
  files: string[];
  dataMaps: DataMap[];
  problems: DataMapProblem[];
  valid: boolean;
}

/**
 * Loads every data-map file under `paths` (files or folders; a missing path is an empty map),
 * merges them per tenant and validates the result. Throws InvalidInput `datamap.invalid` listing
 * every error with file, line, path and fix.
 */
export function loadDataMap(paths: readonly string[], options: LoadDataMapOptions = {}): DataMapRegistry {
  const validation = validateDataMapFiles(paths, options);
  if (!validation.valid) throw dataMapInvalid(validation.problems);
  for (const problem of validation.problems) options.onWarning?.(problem);
  return createDataMapRegistry(validation.dataMaps);
}

/** Reads and validates without throwing: for `steward datamap validate` and editors. */
export function validateDataMapFiles(
  paths: readonly string[],
  options: LoadDataMapOptions = {},
): DataMapValidation {
  const files = listDataMapFiles(paths);
  const problems: DataMapProblem[] = [];
  const sources: DataMapSource[] = [];
  for (const file of files) {
    const read = readDataMapSource(file);
    problems.push(...read.problems);
    if (read.source) sources.push(read.source);
  }
  return { files, ...validateSources(sources, problems, options) };
}

/** Validates manifest text that is not in a file (the HTTP API), labelled with `name`. */
export function validateDataMapText(
  name: string,
  text: string,
  options: LoadDataMapOptions = {},
): DataMapValidation {
  const read = parseDataMapSource(name, text);
  return { files: [name], ...validateSources(read.source ? [read.source] : [], read.problems, options) };
}

function validateSources(sources: DataMapSource[], initial: DataMapProblem[], options: LoadDataMapOptions) {
  const taxonomy = options.taxonomy ?? createTaxonomy();
  const locator = new DataMapLocator();
  const dataMaps = buildDataMaps(sources, locator);
  for (const dataMap of dataMaps) validateDataMap(dataMap, taxonomy, locator);
  const problems = [...initial, ...locator.problems];
  return { dataMaps, problems, valid: !problems.some((p) => p.severity === 'error') };
}
