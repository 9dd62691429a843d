// A seeded generator of labelled texts for the PII detector: realistic templates filled with faker
// values, every PII span's exact offsets recorded as it is written. Same seed, same corpus.
import type { Language, PiiType } from '../../src/platform/pii/index.ts';
import { TEMPLATES } from './pii-corpus-templates.ts';
import { SLOT_MAKERS, fakerFor } from './pii-corpus-values.ts';

export interface LabelledSpan {
  type: PiiType;
  start: number;
  end: number;
}

export interface LabelledText {
  language: Language;
  text: string;
  spans: LabelledSpan[];
}

const SLOT = /\{(\w+)\}/g;

/** `count` texts, cycling through the languages, from templates chosen by the seeded faker. */
export function generatePiiCorpus(options: {
  seed: number;
  count: number;
  languages?: readonly Language[];
}): LabelledText[] {
  const languages = options.languages ?? (['en', 'de', 'fr'] as const);
  const fakers = new Map(
    languages.map((language, index) => [language, fakerFor(language, options.seed * 31 + index)]),
  );
  const corpus: LabelledText[] = [];
  for (let index = 0; index < options.count; index++) {
    const language = languages[index % languages.length]!;
    const faker = fakers.get(language)!;
    const template = faker.helpers.arrayElement(TEMPLATES[language]);
    let text = '';
    const spans: LabelledSpan[] = [];
    let position = 0;
    for (const match of template.matchAll(SLOT)) {
      text += template.slice(position, match.index);
      const maker = SLOT_MAKERS[match[1]!];
      if (!maker) throw new Error(`template slot {${match[1]}} has no maker`);
      const value = maker(faker, language);
      if (value.type) {
        const [start, end] = value.span ?? [0, value.text.length];
        spans.push({ type: value.type, start: text.length + start, end: text.length + end });
      }
      text += value.text;
      position = match.index + match[0].length;
    }
    text += template.slice(position);
    corpus.push({ language, text, spans });
  }
  return corpus;
}
