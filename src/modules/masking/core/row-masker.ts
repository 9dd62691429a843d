import { ColumnProfile } from './column-profile.ts';
import type { TableRules } from './masking-rules.ts';
import type { CatalogColumn } from './source-catalog.ts';
import { createColumnMasker, type MaskMemo } from './transformer-registry.ts';
import type { MaskValue, TransformerTools } from './transformer.ts';

/** One cell as the copy moves it: database text, NULL, or raw bytes (MySQL binary columns). */
export type Cell = string | null | Uint8Array;

export interface MaskedColumnProfile {
  column: string;
  transformer: string;
  source: ColumnProfile;
  copy: ColumnProfile;
}

/**
 * Masks the rows of one table in place: each ruled column's cell goes through its transformer,
 * and the source and masked values are profiled for the cardinality report on the way.
 * Columns without a rule pass untouched. Bytes in a masked column are dropped (NULL): no
 * transformer reads them.
 */
export class RowMasker {
  readonly profiles: MaskedColumnProfile[] = [];
  readonly #steps: { index: number; mask: MaskValue; profile: MaskedColumnProfile }[] = [];

  constructor(
    columns: readonly CatalogColumn[],
    rules: TableRules,
    tools: Omit<TransformerTools, 'transformerFor'>,
    uniqueColumns: ReadonlySet<string>,
    memos?: MaskMemo,
  ) {
    for (const rule of rules.columns) {
      const index = columns.findIndex((column) => column.name === rule.column);
      if (index < 0) continue; // a generated column: the database computes it in the copy
      const column = columns[index]!;
      const mask = createColumnMasker(
        rule.transformer,
        {
          table: rules.table,
          name: column.name,
          family: column.family,
          rawType: column.rawType,
          length: column.length,
          nullable: column.nullable,
          unique: uniqueColumns.has(column.name),
        },
        rule.params,
        tools,
        memos,
      );
      const profile = {
        column: column.name,
        transformer: rule.transformer,
        source: new ColumnProfile(),
        copy: new ColumnProfile(),
      };
      this.profiles.push(profile);
      this.#steps.push({ index, mask, profile });
    }
  }

  /** Whether any column is masked (a table with none is streamed through unparsed). */
  get masks(): boolean {
    return this.#steps.length > 0;
  }

  maskRow(cells: Cell[]): void {
    for (const step of this.#steps) {
      const value = cells[step.index];
      if (value === null || value === undefined) {
        step.profile.source.add(null);
        step.profile.copy.add(null);
        continue;
      }
      if (typeof value !== 'string') {
        cells[step.index] = null;
        step.profile.source.add('');
        step.profile.copy.add(null);
        continue;
      }
      const masked = step.mask(value);
      cells[step.index] = masked;
      step.profile.source.add(value);
      step.profile.copy.add(masked);
    }
  }
}
