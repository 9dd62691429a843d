import type { DataMap } from '../../../platform/datamap/datamap-types.ts';

/** Where in the data map something was declared: file, line (when known) and YAML path. */
export interface SourceLocation {
  file: string;
  line?: number;
  path: string;
}

/** A system, collection or field of the data map, by name. */
export interface DataMapAddress {
  system: string;
  collection?: string;
  field?: string;
}

/** Finds the declaration of a data-map element, so generated records and findings can cite it. */
export interface DataMapLocations {
  of(address: DataMapAddress, subPath?: readonly (string | number)[]): SourceLocation;
}

/** `file:line path`, the way compilers and `steward datamap validate` cite a place. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}${location.line ? `:${location.line}` : ''}${location.path ? ` ${location.path}` : ''}`;
}

/**
 * Locations without line numbers, from the files the loaded data map remembers: for data maps
 * that were not read from files (tests, the HTTP API), and as the fallback for an element the
 * line index does not know.
 */
export function logicalLocations(dataMap: DataMap): DataMapLocations {
  return {
    of(address, subPath = []) {
      const system = dataMap.systems.find((s) => s.id === address.system);
      const collection = system?.collections.find((c) => c.name === address.collection);
      const parts = [`systems[${address.system}]`];
      if (address.collection) parts.push(`collections[${address.collection}]`);
      if (address.field) parts.push(`fields[${address.field}]`);
      const path = [parts.join('.'), ...subPath.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))]
        .join('')
        .replace(/\.\[/g, '[');
      return { file: collection?.source ?? system?.source ?? '(data map)', path };
    },
  };
}
