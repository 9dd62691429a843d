/** HyperLogLog with 2^14 registers: about 0.8 % error, near exact for few values (linear counting). */
const HLL_BITS = 14;
const HLL_SIZE = 1 << HLL_BITS;
const LENGTH_BUCKETS = 1025;

/** What the cardinality report says about one column, source or copy. Plain and serialisable. */
export interface ColumnProfileSummary {
  rows: number;
  nulls: number;
  nullFraction: number;
  distinct: number;
  /** Always false: distinct counts are estimated (HyperLogLog), exact only by luck. */
  distinctExact: boolean;
  length: { min: number; p50: number; p90: number; max: number; mean: number };
}

/** A profile's raw counters, to carry it between threads (plain data, structured-cloneable). */
export interface ColumnProfileState {
  rows: number;
  nulls: number;
  registers: Uint8Array;
  lengths: Float64Array;
  lengthSum: number;
  maxLength: number;
  minLength: number;
}

/**
 * Streaming profile of one column's values: constant memory whatever the table's size (a 16 KiB
 * HyperLogLog sketch and a histogram of lengths). Profiles of parts of a column merge into exactly
 * the profile of the whole (register maxima, summed counts), so a table masked on several threads
 * reports what one thread would.
 */
export class ColumnProfile {
  rows = 0;
  nulls = 0;
  readonly #registers = new Uint8Array(HLL_SIZE);
  readonly #lengths = new Float64Array(LENGTH_BUCKETS);
  #lengthSum = 0;
  #maxLength = 0;
  #minLength = Number.POSITIVE_INFINITY;

  add(value: string | null): void {
    this.rows++;
    if (value === null) {
      this.nulls++;
      return;
    }
    const length = value.length;
    this.#lengths[Math.min(length, LENGTH_BUCKETS - 1)]!++;
    this.#lengthSum += length;
    if (length > this.#maxLength) this.#maxLength = length;
    if (length < this.#minLength) this.#minLength = length;
    this.#addToSketch(value);
  }

  state(): ColumnProfileState {
    return {
      rows: this.rows,
      nulls: this.nulls,
      registers: this.#registers.slice(),
      lengths: this.#lengths.slice(),
      lengthSum: this.#lengthSum,
      maxLength: this.#maxLength,
      minLength: this.#minLength,
    };
  }

  /** Adds another profile's values (of the same column), as if they had been added here. */
  merge(other: ColumnProfileState): void {
    this.rows += other.rows;
    this.nulls += other.nulls;
    for (let i = 0; i < HLL_SIZE; i++)
      if (other.registers[i]! > this.#registers[i]!) this.#registers[i] = other.registers[i]!;
    for (let i = 0; i < LENGTH_BUCKETS; i++) this.#lengths[i]! += other.lengths[i]!;
    this.#lengthSum += other.lengthSum;
    this.#maxLength = Math.max(this.#maxLength, other.maxLength);
    this.#minLength = Math.min(this.#minLength, other.minLength);
  }

  summary(): ColumnProfileSummary {
    const present = this.rows - this.nulls;
    return {
      rows: this.rows,
      nulls: this.nulls,
      nullFraction: this.rows ? this.nulls / this.rows : 0,
      distinct: Math.round(this.#estimate()),
      distinctExact: false,
      length: {
        min: present ? this.#minLength : 0,
        p50: this.#quantile(0.5, present),
        p90: this.#quantile(0.9, present),
        max: this.#maxLength,
        mean: present ? this.#lengthSum / present : 0,
      },
    };
  }

  #quantile(q: number, present: number): number {
    if (!present) return 0;
    const target = q * present;
    let seen = 0;
    for (let length = 0; length < LENGTH_BUCKETS; length++) {
      seen += this.#lengths[length]!;
      if (seen >= target) return length;
    }
    return this.#maxLength;
  }

  #addToSketch(value: string): void {
    const hash = fnv1a(value);
    const index = hash >>> (32 - HLL_BITS);
    const rest = (hash << HLL_BITS) | (1 << (HLL_BITS - 1));
    const rank = Math.clz32(rest) + 1;
    if (rank > this.#registers[index]!) this.#registers[index] = rank;
  }

  #estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (const register of this.#registers) {
      sum += 2 ** -register;
      if (register === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / HLL_SIZE);
    const raw = (alpha * HLL_SIZE * HLL_SIZE) / sum;
    // Small-range correction (Flajolet et al. 2007): linear counting while registers are still empty.
    return raw <= 2.5 * HLL_SIZE && zeros ? HLL_SIZE * Math.log(HLL_SIZE / zeros) : raw;
  }
}

/** 32-bit FNV-1a with a final avalanche (murmur3's fmix32) so the high bits HyperLogLog uses are well mixed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
