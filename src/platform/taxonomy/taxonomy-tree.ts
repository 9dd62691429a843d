import { distance } from 'fastest-levenshtein';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import type { FideslangEntry, TaxonomyEntry, TaxonomyKind, TaxonomyLookup } from './taxonomy-types.ts';

export interface CustomTaxonomyEntry {
  key: string;
  name: string;
  description?: string | undefined;
}

/** One dotted tree (categories, uses or subjects): lookups, ancestry and did-you-mean. */
export class TaxonomyTree {
  readonly kind: TaxonomyKind;
  readonly #entries = new Map<string, TaxonomyEntry>();

  constructor(
    kind: TaxonomyKind,
    shipped: readonly FideslangEntry[],
    custom: readonly CustomTaxonomyEntry[] = [],
  ) {
    this.kind = kind;
    for (const [key, name, description, replacedBy] of shipped) {
      this.#entries.set(key, { key, name, description, parent: parentOf(key), replacedBy, custom: false });
    }
    for (const entry of custom) this.#addCustom(entry);
  }

  entries(): TaxonomyEntry[] {
    return [...this.#entries.values()];
  }

  get(key: string): TaxonomyEntry | undefined {
    return this.#entries.get(key);
  }

  lookup(key: string): TaxonomyLookup {
    const entry = this.#entries.get(key);
    if (!entry) return { status: 'unknown', suggestions: this.suggest(key) };
    if (entry.replacedBy) return { status: 'deprecated', entry, replacedBy: entry.replacedBy };
    return { status: 'known', entry };
  }

  /** True when `key` is `ancestor` or lies below it (`user.contact.email` is within `user.contact`). */
  isWithin(key: string, ancestor: string): boolean {
    return key === ancestor || key.startsWith(`${ancestor}.`);
  }

  /**
   * Up to three known keys close to a mistyped one: small edit distance on the whole key, or the
   * same last segment elsewhere in the tree (`user.email` → `user.contact.email`).
   */
  suggest(key: string): string[] {
    const last = key.split('.').at(-1) ?? key;
    const limit = Math.max(2, Math.floor(key.length / 5));
    const scored: { key: string; score: number }[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.replacedBy) continue;
      const whole = distance(key, entry.key);
      // A right leaf in the wrong branch ranks after a one-letter typo, before anything further off.
      const sameLeaf = entry.key.split('.').at(-1) === last ? 1.5 : Number.POSITIVE_INFINITY;
      const score = Math.min(whole <= limit ? whole : Number.POSITIVE_INFINITY, sameLeaf);
      if (score < Number.POSITIVE_INFINITY) scored.push({ key: entry.key, score });
    }
    scored.sort((a, b) => a.score - b.score || a.key.localeCompare(b.key));
    const best = scored[0]?.score ?? 0;
    return scored
      .filter((s) => s.score <= best + 0.25)
      .slice(0, 3)
      .map((s) => s.key);
  }

  #addCustom(entry: CustomTaxonomyEntry): void {
    if (this.#entries.has(entry.key)) {
      throw new InvalidInput(
        'taxonomy.duplicate',
        `taxonomy: ${this.kind} "${entry.key}" already exists (shipped with Steward or listed twice). Remove it from the taxonomy section of steward.yaml.`,
        { key: entry.key },
      );
    }
    const parent = parentOf(entry.key);
    if (parent && !this.#entries.has(parent)) {
      throw new InvalidInput(
        'taxonomy.missing_parent',
        `taxonomy: ${this.kind} "${entry.key}" extends "${parent}", which does not exist. Add "${parent}" first (parents before children) or fix the key.`,
        { key: entry.key, parent },
      );
    }
    this.#entries.set(entry.key, {
      key: entry.key,
      name: entry.name,
      description: entry.description ?? '',
      parent,
      custom: true,
    });
  }
}

function parentOf(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? undefined : key.slice(0, dot);
}
