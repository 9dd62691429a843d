import { buildDataMaps } from '../../../platform/datamap/build-datamap.ts';
import { DataMapLocator } from '../../../platform/datamap/datamap-locator.ts';
import {
  formatPath,
  readDataMapSource,
  type DataMapSource,
} from '../../../platform/datamap/datamap-source.ts';
import type { DataMap } from '../../../platform/datamap/datamap-types.ts';
import { logicalLocations, type DataMapAddress, type DataMapLocations } from '../core/source-location.ts';

interface Declared {
  source: DataMapSource;
  path: (string | number)[];
}

/** One index per loaded data map: reading the YAML again costs as much as loading it did. */
const located = new WeakMap<DataMap, DataMapLocations>();

/**
 * Locations with line numbers for a loaded data map: its files are read again and built with a
 * locator (as validation does), and every system, collection and field is indexed by name, so a
 * generated record or a finding can cite `file:line`. A file that no longer parses, or an element
 * it does not declare, falls back to the logical path without a line. The index is built once per
 * loaded data map (a reload gives a new one) and kept as long as that data map is.
 */
export function locateDataMap(dataMap: DataMap): DataMapLocations {
  let locations = located.get(dataMap);
  if (!locations) {
    locations = indexDataMap(dataMap);
    located.set(dataMap, locations);
  }
  return locations;
}

function indexDataMap(dataMap: DataMap): DataMapLocations {
  const sources: DataMapSource[] = [];
  for (const file of dataMap.sources) {
    try {
      const read = readDataMapSource(file);
      if (read.source) sources.push(read.source);
    } catch {
      // Gone since loading (a demo copy rewritten): cite logical paths for it.
    }
  }
  const locator = new DataMapLocator();
  const rebuilt = buildDataMaps(sources, locator).find((m) => m.tenant === dataMap.tenant);
  const index = new Map<string, Declared>();
  for (const system of rebuilt?.systems ?? []) {
    remember(index, locator, { system: system.id }, system);
    for (const collection of system.collections) {
      remember(index, locator, { system: system.id, collection: collection.name }, collection);
      for (const field of collection.fields)
        remember(
          index,
          locator,
          { system: system.id, collection: collection.name, field: field.name },
          field,
        );
    }
  }
  const fallback = logicalLocations(dataMap);
  return {
    of(address, subPath = []) {
      const declared = index.get(keyOf(address));
      if (!declared) return fallback.of(address, subPath);
      const path = [...declared.path, ...subPath];
      const line = declared.source.lineOf(path);
      return { file: declared.source.file, ...(line ? { line } : {}), path: formatPath(path) };
    },
  };
}

function remember(
  index: Map<string, Declared>,
  locator: DataMapLocator,
  address: DataMapAddress,
  object: object,
): void {
  const location = locator.get(object);
  if (location) index.set(keyOf(address), { source: location.source, path: [...location.path] });
}

function keyOf(address: DataMapAddress): string {
  return [address.system, address.collection ?? '', address.field ?? ''].join('\u0000');
}
