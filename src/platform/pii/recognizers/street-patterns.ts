import type { Language } from '../pii-types.ts';

/**
 * Street types per language. English: the USPS street suffixes (Publication 28, C1) and common
 * British ones; German: the endings of compound street names and the prepositional forms ("Am …");
 * French: the "type de voie" words of the Base Adresse Nationale.
 */
const EN_SUFFIXES = (
  'Alley|Aly|Avenue|Ave|Bend|Boulevard|Blvd|Branch|Bridge|Brook|Brooks|Burg|Burgs|Bypass|' +
  'Byp|Camp|Canyon|Cape|Causeway|Center|Centers|Circle|Cir|Circles|Cliff|Cliffs|Club|Common|' +
  'Commons|Corner|Corners|Course|Court|Ct|Courts|Cove|Coves|Creek|Crescent|Cres|Crest|' +
  'Crossing|Crossroad|Curve|Dale|Dam|Divide|Drive|Dr|Drives|Estate|Estates|Expressway|Expy|' +
  'Extension|Extensions|Fall|Falls|Ferry|Field|Fields|Flat|Flats|Ford|Fords|Forest|Forge|' +
  'Forges|Fork|Forks|Fort|Freeway|Fwy|Garden|Gardens|Gateway|Glen|Glens|Green|Greens|Grove|' +
  'Groves|Harbor|Harbors|Harbour|Haven|Heights|Hts|Highway|Hwy|Hill|Hills|Hollow|Inlet|' +
  'Island|Islands|Isle|Junction|Junctions|Key|Keys|Knoll|Knolls|Lake|Lakes|Land|Landing|' +
  'Lane|Ln|Light|Lights|Loaf|Lock|Locks|Lodge|Loop|Mall|Manor|Manors|Meadow|Meadows|Mews|' +
  'Mill|Mills|Mission|Motorway|Mount|Mountain|Mountains|Neck|Orchard|Oval|Overpass|Park|' +
  'Parks|Parkway|Pkwy|Parkways|Pass|Passage|Path|Pike|Pine|Pines|Place|Pl|Plain|Plains|' +
  'Plaza|Plz|Point|Points|Port|Ports|Prairie|Radial|Ramp|Ranch|Rapid|Rapids|Rest|Ridge|' +
  'Ridges|River|Road|Rd|Roads|Route|Row|Rue|Run|Shoal|Shoals|Shore|Shores|Skyway|Spring|' +
  'Springs|Spur|Spurs|Square|Sq|Squares|Station|Stravenue|Stream|Street|St|Streets|Summit|' +
  'Terrace|Ter|Throughway|Trace|Track|Trafficway|Trail|Trl|Trailer|Tunnel|Turnpike|' +
  'Underpass|Union|Unions|Valley|Valleys|Via|Viaduct|View|Views|Village|Villages|Ville|' +
  'Vista|Walk|Walks|Wall|Way|Ways|Well|Wells|Close|Croft|Bank|Gate|End|Drove|Mead|Chase|' +
  'Yard|Garth|Fold|Wynd|Parade|Vale|Brae|Grange|Approach|Wood|Paddock|Brow|Lea|Side|Copse|' +
  'Glade|Rise'
).split('|');

const DE_ENDINGS = (
  'straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad|markt|' +
  'stieg|graben|kamp|garten|park|brücke|wall|zeile|promenade|hof|berg|feld|winkel|anger|' +
  'steg|tor|twiete|redder|kai|deich|höhe|grund'
).split('|');
const DE_STREET_WORDS = 'Straße|Strasse|Str\\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee|Markt'.split(
  '|',
);
const DE_PREPOSITIONS =
  'Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Unter den|Hinter der|Vor dem'.split('|');

const FR_TYPES = (
  'rue|avenue|av\\.|boulevard|bd|bld|place|pl\\.|chemin|allée|allee|impasse|quai|route|rte|' +
  'cours|square|passage|voie|rond-point|faubourg|fg|sentier|esplanade|parvis|promenade|' +
  'villa|cité|hameau|lieu-dit|résidence|montée|ruelle|traverse|mail|clos|quartier'
).split('|');

const alternatives = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length).join('|');

const CAP = "\\p{Lu}[\\p{L}'’.-]*";
/** Postcode and town after a street (same line or the next): DE/FR/AT/CH, then US, then UK. */
const EUROPEAN_TOWN = `(?:,\\s*|\\s*\\n\\s*|\\s+)(?:(?:D|F|A|CH|L|B)-)?\\d{4,5}\\s+${CAP}(?:[ -](?:am|an der|im|sur|sous|en|lès|les|de|la|a\\. ?d\\.|\\(?\\p{Lu}[\\p{L}.)'-]*))*(?:\\s+(?:Cedex|CEDEX)(?:\\s\\d{1,2})?)?`;
const US_TOWN = `(?:,\\s*|\\s*\\n\\s*)${CAP}(?: ${CAP}){0,2},?\\s+[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?`;
const UK_TOWN = `(?:,\\s*|\\s*\\n\\s*)${CAP}(?: ${CAP}){0,2},?\\s+(?:[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2})`;

const UNIT = '(?:,?\\s*(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|Flat|Fl\\.?|Floor|#)\\s*[\\w-]+)';
const EN_STREET = `(?<![\\p{L}\\p{N}])(?:Flat \\d+[A-Z]?,\\s*)?\\d{1,5}[A-Za-z]?\\s+(?:(?:[NSEW]\\.?|North|South|East|West)\\s+)?(?:(?:\\d{1,3}(?:st|nd|rd|th)|${CAP})\\s+){1,3}(?:${alternatives(EN_SUFFIXES)})\\b\\.?${UNIT}?`;
const DE_STREET = `(?<![\\p{L}\\p{N}])(?:\\p{Lu}[\\p{L}.'’-]*?(?:${alternatives(DE_ENDINGS)}|-(?:${alternatives(DE_STREET_WORDS)}))|${CAP} (?:${alternatives(DE_STREET_WORDS)})|(?:${alternatives(DE_PREPOSITIONS)}) ${CAP}(?: ${CAP})?)\\s\\d{1,4}\\s?[a-zA-Z]?(?:\\s?[-/]\\s?\\d{1,4}[a-z]?)?(?![\\p{L}\\p{N}]|[-/.]\\d)(?:,?\\s*(?:Apt\\.?|Zimmer|Whg\\.?|Wohnung|App\\.?)\\s*\\d+|\\s\\d\\.?\\s?OG)?`;
const MONTH_NAMES =
  'Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|January|February|March|May|June|July|October|December';
/** A street of any name and a house number, then a German postcode: no month ("April 3, 1992"). */
const DE_ANY_STREET = `(?<![\\p{L}\\p{N}])(?!(?:${MONTH_NAMES})\\b)(?:${CAP} )?${CAP} \\d{1,4}\\s?[a-zA-Z]?(?![\\p{L}\\p{N}])`;
const GERMAN_TOWN = `(?:,\\s*|\\s*\\n\\s*)(?:D-)?\\d{5}\\s+${CAP}(?:[ -](?:am|an der|im|a\\. ?d\\.|\\(?\\p{Lu}[\\p{L}.)'-]*))*`;
const FR_STREET = `(?<![\\p{L}\\p{N}])\\d{1,4}(?:\\s?(?:bis|ter|quater|[A-D]))?,?\\s+(?:${alternatives(FR_TYPES)})\\s+(?:(?:de la|de l'|de l’|du|des|de|d'|d’|la|le|les|l'|l’|aux|au)\\s*)?\\p{Lu}[\\p{L}'’-]*(?:\\s+(?:(?:de la|de l'|de|du|des|d'|et|la|le|les|l'|sur|sous|en|aux|au)\\s*)?\\p{Lu}[\\p{L}'’-]*){0,4}(?:,?\\s*(?:Apt\\.?|Appartement|Bât\\.?|Bâtiment|Étage|Etage)\\s*[\\w-]+)?`;

/** One pattern per language: a street line, then optionally the postcode and town, as one span. */
export const STREET_PATTERNS: Readonly<Record<Language, RegExp>> = {
  en: new RegExp(`${EN_STREET}(?<town>${US_TOWN}|${UK_TOWN}|${EUROPEAN_TOWN})?`, 'gu'),
  // Any one- or two-word street name with a house number counts when a postcode and town follow it
  // ("Klief 87a, 80037 Hamburg"): German street names need not end in a street word.
  de: new RegExp(
    `${DE_STREET}(?<town>${EUROPEAN_TOWN})?|${DE_ANY_STREET}(?<townAfterAnyStreet>${GERMAN_TOWN})`,
    'gu',
  ),
  fr: new RegExp(`${FR_STREET}(?<town>${EUROPEAN_TOWN})?`, 'giu'),
};
