import type { SeededFaker } from '../digest-random.ts';

/** A first and a last name of the run's locale, drawn from the seeded stream exactly as faker draws them. */
export interface PersonNameDraws {
  firstName(): string;
  lastName(): string;
  /** Whether names are drawn from the lists here (false: faker draws them, its data or code being other than expected). */
  readonly direct: boolean;
}

type BySex<T> = { generic?: T[]; female?: T[]; male?: T[] };
type Weighted = { weight: number; value: string };

/** Seeds on which the direct draws must equal faker's, names and draws consumed, before they replace it. */
const CHECKED_SEEDS = 256;

const draws = new WeakMap<SeededFaker, PersonNameDraws>();

/**
 * `faker.person.firstName()` and `lastName()` without faker's machinery: the same lists, the same
 * random draws in the same order (faker 10: a sex, then male, female or generic list by weight,
 * then an element; last names through their weighted patterns), so the names — and the masked
 * e-mails built from them — are exactly those earlier copies hold, at a fraction of the cost
 * (faker resolves every name through proxies and template parsing). Faker's code is not an API:
 * the direct draws are compared with faker's on 256 seeds when first built, and faker itself is
 * used for a locale whose data or behaviour they do not reproduce.
 */
export function personNameDraws(seeded: SeededFaker): PersonNameDraws {
  const existing = draws.get(seeded);
  if (existing) return existing;
  const viaFaker: PersonNameDraws = {
    firstName: () => seeded.faker.person.firstName(),
    lastName: () => seeded.faker.person.lastName(),
    direct: false,
  };
  const direct = directDraws(seeded);
  const chosen = direct && sameAsFaker(seeded, direct, viaFaker) ? direct : viaFaker;
  draws.set(seeded, chosen);
  return chosen;
}

function directDraws({ faker, random }: SeededFaker): PersonNameDraws | undefined {
  const person = faker.rawDefinitions.person as
    | { first_name?: BySex<string>; last_name?: BySex<string>; last_name_pattern?: BySex<Weighted> }
    | undefined;
  const firstNames = person?.first_name;
  const lastNames = person?.last_name;
  const patterns = person?.last_name_pattern;
  if (!isBySex(firstNames) || !isBySex(lastNames) || (patterns !== undefined && !isBySex(patterns)))
    return undefined;
  const element = <T>(list: readonly T[]): T =>
    list[list.length > 1 ? Math.floor(random.next() * list.length) : 0]!;
  // faker's weightedArrayElement: a float in [0, total), the first entry whose running sum passes it.
  // Total and running sums are added up once, in faker's order, so they are the very same floats.
  const weighted = <T>(entries: readonly { weight: number; value: T }[]): (() => T) => {
    const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
    const sums: number[] = [];
    let sum = 0;
    for (const entry of entries) sums.push((sum += entry.weight));
    const last = entries.at(-1)!.value;
    return () => {
      const draw = random.next() * total;
      for (let i = 0; i < sums.length; i++) if (draw < sums[i]!) return entries[i]!.value;
      return last;
    };
  };
  // faker's selectDefinition with no sex given: sexType() draws one (female first), then the sexed
  // list or the generic one by weight.
  const bySex = <T>(definition: BySex<T>): (() => T[]) => {
    const forSex = (sexed: T[] | undefined): (() => T[]) => {
      const generic = definition.generic;
      if (!sexed) return () => generic ?? [];
      if (!generic) return () => sexed;
      return weighted([
        { weight: 3 * Math.sqrt(sexed.length), value: sexed },
        { weight: Math.sqrt(generic.length), value: generic },
      ]);
    };
    const female = forSex(definition.female);
    const male = forSex(definition.male);
    return () => (Math.floor(random.next() * 2) === 0 ? female() : male());
  };
  const firstNameList = bySex(firstNames);
  if (!patterns) {
    const lastNameList = bySex(lastNames);
    return {
      firstName: () => element(firstNameList()),
      lastName: () => element(lastNameList()),
      direct: true,
    };
  }
  // Patterns such as `{{person.last_name.generic}}-{{person.last_name.generic}}`: each placeholder draws one name.
  const templates = new Map<string, (string | string[])[]>();
  for (const entry of [...(patterns.generic ?? []), ...(patterns.female ?? []), ...(patterns.male ?? [])]) {
    const parts = templateParts(entry.value, lastNames);
    if (!parts) return undefined;
    templates.set(entry.value, parts);
  }
  const patternList = bySex(patterns);
  const pattern = new Map(
    [...new Set([patterns.generic, patterns.female, patterns.male])]
      .filter((list) => list !== undefined)
      .map((list) => [list, weighted(list)]),
  );
  return {
    firstName: () => element(firstNameList()),
    lastName: () => {
      const parts = templates.get(pattern.get(patternList())!())!;
      let name = '';
      for (const part of parts) name += typeof part === 'string' ? part : element(part);
      return name;
    },
    direct: true,
  };
}

/** A pattern cut into literal text and the lists its placeholders draw from; undefined for what faker would resolve otherwise. */
function templateParts(template: string, lastNames: BySex<string>): (string | string[])[] | undefined {
  const parts: (string | string[])[] = [];
  let rest = template;
  for (let start = rest.search(/{{[a-z]/); start !== -1; start = rest.search(/{{[a-z]/)) {
    const end = rest.indexOf('}}', start);
    if (end === -1) break;
    const match = /^person\.last_name\.(generic|female|male)$/.exec(rest.slice(start + 2, end));
    const list = match ? lastNames[match[1] as keyof BySex<string>] : undefined;
    // faker fills the result again: a name that itself holds a placeholder would be expanded.
    if (!list?.length || list.some((name) => /{{[a-z]/.test(name))) return undefined;
    if (start) parts.push(rest.slice(0, start));
    parts.push(list);
    rest = rest.slice(end + 2);
  }
  if (/{{/.test(rest)) return undefined;
  if (rest) parts.push(rest);
  return parts;
}

function isBySex<T>(value: BySex<T> | undefined): value is BySex<T> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const lists = ['generic', 'female', 'male'].map((sex) => (value as Record<string, unknown>)[sex]);
  return (
    lists.some((list) => list !== undefined) &&
    lists.every((list) => list === undefined || (Array.isArray(list) && list.length > 0))
  );
}

/** Whether the direct draws give faker's names and leave the stream where faker leaves it. */
function sameAsFaker(seeded: SeededFaker, direct: PersonNameDraws, viaFaker: PersonNameDraws): boolean {
  const seed = Buffer.alloc(16);
  for (let i = 0; i < CHECKED_SEEDS; i++) {
    seed.writeUInt32LE(Math.imul(i + 1, 0x9e3779b1) >>> 0, 0);
    seed.writeUInt32LE(Math.imul(i + 7, 0x85ebca6b) >>> 0, 4);
    seed.writeUInt32LE(i, 8);
    const run = (names: PersonNameDraws) => {
      seeded.random.reseed(seed);
      return `${names.firstName()}\u0000${names.lastName()}\u0000${seeded.random.next()}`;
    };
    try {
      if (run(direct) !== run(viaFaker)) return false;
    } catch {
      return false; // a shape of data neither is meant for: faker decides (and reports)
    }
  }
  return true;
}
