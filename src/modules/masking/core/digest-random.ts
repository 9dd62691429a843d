import { Faker, allLocales, base, en, type Randomizer } from '@faker-js/faker';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';

/**
 * A small PRNG (sfc32) seeded from a keyed digest: every random choice a transformer makes (faker's
 * included) follows from the HMAC of the input, so the output is a pure function of key and value.
 */
export class DigestRandom implements Randomizer {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 1;

  /** Starts the stream from a digest (32 bytes of HMAC-SHA256). */
  reseed(digest: Uint8Array): this {
    // Little-endian words 0–3 of the digest (as readUInt32LE reads them), without Buffer's checked readers.
    this.#a = (digest[0]! | (digest[1]! << 8) | (digest[2]! << 16) | (digest[3]! << 24)) >>> 0;
    this.#b = (digest[4]! | (digest[5]! << 8) | (digest[6]! << 16) | (digest[7]! << 24)) >>> 0;
    this.#c = (digest[8]! | (digest[9]! << 8) | (digest[10]! << 16) | (digest[11]! << 24)) >>> 0;
    this.#d = (digest[12]! | (digest[13]! << 8) | (digest[14]! << 16) | (digest[15]! << 24) | 1) >>> 0;
    // A few rounds mix the seed words before the first output (sfc32's recommended warm-up).
    for (let i = 0; i < 12; i++) this.#step();
    return this;
  }

  seed(seed: number | number[]): void {
    const words = Array.isArray(seed) ? seed : [seed];
    const buffer = Buffer.alloc(16);
    words.slice(0, 4).forEach((word, i) => buffer.writeUInt32LE(word >>> 0, i * 4));
    this.reseed(buffer);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.#step() / 4294967296;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  #step(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }
}

/** A faker of one locale drawing from a DigestRandom: reseed it, then ask for a name. */
export interface SeededFaker {
  faker: Faker;
  random: DigestRandom;
}

const fakers = new Map<string, SeededFaker>();

/**
 * The faker for a locale (`de`, `en_US`, `fr`, …; faker's own locale names), falling back to
 * English then faker's base data for what the locale lacks. One per locale per process: reseeding
 * before each use makes sharing it safe within the single JavaScript thread.
 */
export function seededFaker(locale: string): SeededFaker {
  const existing = fakers.get(locale);
  if (existing) return existing;
  const definitions = (allLocales as Record<string, (typeof allLocales)['en']>)[locale];
  if (!definitions) {
    throw new InvalidInput(
      'masking.unknown_locale',
      `Locale "${locale}" is not one faker knows. Use a faker locale name such as en, en_US, de, fr, es, it or nl.`,
      { locale },
    );
  }
  const random = new DigestRandom();
  // faker calls the randomizer's methods unbound, hence the closures.
  const randomizer: Randomizer = { next: () => random.next(), seed: (seed) => random.seed(seed) };
  const created = { faker: new Faker({ locale: [definitions, en, base], randomizer }), random };
  fakers.set(locale, created);
  return created;
}
