import type { PlatformConfig } from '../platform-services.ts';
import type { Logger } from '../../kernel/logging/logger.ts';
import { createTaxonomy } from '../taxonomy/taxonomy.ts';
import { formatProblem } from './datamap-problem.ts';
import type { DataMapRegistry } from './datamap-types.ts';
import { loadDataMap } from './load-datamap.ts';

/**
 * The data map Steward runs with: the files in `config.datamap.path`, checked against the shipped
 * taxonomy plus `config.taxonomy`. A missing folder is an empty data map; an invalid one throws
 * InvalidInput `datamap.invalid` so that start-up stops with the validation message.
 */
export function loadDataMapFromConfig(
  config: Pick<PlatformConfig, 'datamap' | 'taxonomy'>,
  logger?: Logger,
  /** Files added to the user's folder, e.g. the demo shop's data map. */
  extraPaths: readonly string[] = [],
): DataMapRegistry {
  const taxonomy = createTaxonomy(config.taxonomy);
  return loadDataMap([config.datamap.path, ...extraPaths], {
    taxonomy,
    // Warnings name files, keys and taxonomy entries only, never data values.
    onWarning: (problem) =>
      logger?.warn({ code: problem.code, file: problem.file, line: problem.line }, formatProblem(problem)),
  });
}
