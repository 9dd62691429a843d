// Reads the hand-labelled PII fixture: one text per line, `lang| text`, PII marked inline as
// [[type:value]]; "\n" in a line stands for a line break; lines starting with # are comments.
import { readFileSync } from 'node:fs';
import { InvalidInput } from '../../src/kernel/errors/domain-error.ts';
import { LANGUAGES, PII_TYPES, type Language, type PiiType } from '../../src/platform/pii/index.ts';
import type { LabelledSpan, LabelledText } from './pii-corpus-generator.ts';

const MARK = /\[\[(\w+):([\s\S]+?)\]\]/g;

export function parseLabelledLine(line: string, where: string): LabelledText {
  const separator = line.indexOf('| ');
  const language = line.slice(0, separator) as Language;
  if (separator < 0 || !LANGUAGES.includes(language)) {
    throw new InvalidInput(
      'pii_fixture.invalid',
      `${where}: start the line with a language (${LANGUAGES.join(', ')}) and "| ".`,
    );
  }
  const source = line.slice(separator + 2).replace(/\\n/g, '\n');
  let text = '';
  let position = 0;
  const spans: LabelledSpan[] = [];
  for (const match of source.matchAll(MARK)) {
    const type = match[1] as PiiType;
    if (!PII_TYPES.includes(type))
      throw new InvalidInput('pii_fixture.invalid', `${where}: unknown type "${match[1]}".`);
    text += source.slice(position, match.index);
    spans.push({ type, start: text.length, end: text.length + match[2]!.length });
    text += match[2];
    position = match.index + match[0].length;
  }
  text += source.slice(position);
  return { language, text, spans };
}

export function readLabelledTexts(path: string): LabelledText[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trimEnd(), number: index + 1 }))
    .filter(({ line }) => line && !line.startsWith('#'))
    .map(({ line, number }) => parseLabelledLine(line, `${path}:${number}`));
}
