import type { ColumnFamily, ErasureStrategy, KeepStrategy } from '../datamap/datamap-types.ts';

/** How one field of a row is masked by an erasure (or a retention anonymisation). */
export interface FieldMask {
  field: string;
  strategy: Exclude<ErasureStrategy, KeepStrategy | { strategy: 'delete_row' }>;
  /** Maximum characters of the column, when bounded (hash output is truncated to it). */
  maxLength?: number;
  /** The column's type family, when the data map knows it (random values fit it). */
  family?: ColumnFamily;
}
