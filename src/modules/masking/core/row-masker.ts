import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { decodeCopyValue, encodeCopyValue } from './copy-text-codec.ts';
import { ColumnProfile, type ColumnProfileState } from './column-profile.ts';
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
interface MaskStep {
  index: number;
  mask: MaskValue;
  profile: MaskedColumnProfile;
}

export class RowMasker {
  readonly profiles: MaskedColumnProfile[] = [];
  readonly #steps: MaskStep[] = [];
  /** The steps in column order, for walking a line of COPY text once from left to right. */
  #byColumn: MaskStep[] = [];
  readonly #table: string;

  constructor(
    columns: readonly CatalogColumn[],
    rules: TableRules,
    tools: Omit<TransformerTools, 'transformerFor'>,
    uniqueColumns: ReadonlySet<string>,
    memos?: MaskMemo,
  ) {
    this.#table = rules.table;
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
    this.#byColumn = [...this.#steps].sort((a, b) => a.index - b.index);
  }

  /** Whether any column is masked (a table with none is streamed through unparsed). */
  get masks(): boolean {
    return this.#steps.length > 0;
  }

  maskRow(cells: Cell[]): void {
    for (const step of this.#steps) {
      const value = cells[step.index];
      if (value !== null && value !== undefined && typeof value !== 'string') {
        cells[step.index] = null;
        step.profile.source.add('');
        step.profile.copy.add(null);
        continue;
      }
      cells[step.index] = maskCell(step, value ?? null);
    }
  }

  /**
   * Masks whole lines of COPY text (each ending in a newline; see copy-text-codec.ts) as `maskRow`
   * masks rows, without making rows: only the masked fields are decoded, masked and encoded, the
   * text between them is copied as it is. Returns the text and the number of lines.
   */
  maskCopyText(text: string): { text: string; rows: number } {
    const steps = this.#byColumn;
    let output = '';
    let rows = 0;
    for (let lineStart = 0; lineStart < text.length; rows++) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      let field = 0;
      let fieldStart = lineStart;
      let copiedTo = lineStart;
      for (const step of steps) {
        for (; field < step.index; field++) {
          const tab = text.indexOf('\t', fieldStart);
          if (tab === -1 || tab > lineEnd)
            throw new InvalidInput(
              'masking.copy_line_short',
              `A line the source sent for ${this.#table} has fewer than ${step.index + 1} fields: its COPY output does not match the table's columns.`,
              { table: this.#table },
            );
          fieldStart = tab + 1;
        }
        let fieldEnd = text.indexOf('\t', fieldStart);
        if (fieldEnd === -1 || fieldEnd > lineEnd) fieldEnd = lineEnd;
        const masked = maskCell(step, decodeCopyValue(text.slice(fieldStart, fieldEnd)));
        output += text.slice(copiedTo, fieldStart) + encodeCopyValue(masked);
        copiedTo = fieldEnd;
      }
      output += `${text.slice(copiedTo, lineEnd)}\n`;
      lineStart = lineEnd + 1;
    }
    return { text: output, rows };
  }

  /** The masked columns' profiles as plain counters (in `profiles` order), to merge on another thread. */
  profileStates(): { source: ColumnProfileState; copy: ColumnProfileState }[] {
    return this.profiles.map((profile) => ({ source: profile.source.state(), copy: profile.copy.state() }));
  }

  /** Adds profiles another masker of the same table made (`profileStates`). */
  mergeProfileStates(states: readonly { source: ColumnProfileState; copy: ColumnProfileState }[]): void {
    states.forEach((state, i) => {
      this.profiles[i]!.source.merge(state.source);
      this.profiles[i]!.copy.merge(state.copy);
    });
  }
}

/** One cell through its column's transformer, both sides profiled for the cardinality report. */
function maskCell(step: MaskStep, value: string | null): string | null {
  if (value === null) {
    step.profile.source.add(null);
    step.profile.copy.add(null);
    return null;
  }
  const masked = step.mask(value);
  step.profile.source.add(value);
  step.profile.copy.add(masked);
  return masked;
}
