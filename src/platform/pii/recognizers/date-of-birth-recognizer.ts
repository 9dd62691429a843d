import { hasContextWord } from '../context/context-scorer.ts';
import { BIRTH_WORDS } from '../context/context-words.ts';
import { wholeWordPattern } from '../context/word-pattern.ts';
import { DATE_IN_TEXT, isPlausibleBirthYear, parseCalendarDate } from '../validators/calendar-date.ts';
import type { Language } from '../pii-types.ts';
import type { Recognizer } from './recognizer.ts';

const birthPatterns = new Map<string, RegExp>();

function birthPattern(languages: readonly Language[], key: string): RegExp {
  let pattern = birthPatterns.get(key);
  if (!pattern) {
    pattern = wholeWordPattern(languages.flatMap((language) => BIRTH_WORDS[language]))!;
    birthPatterns.set(key, pattern);
  }
  return pattern;
}

export const dateOfBirthRecognizer: Recognizer = {
  types: ['date_of_birth'],
  mayMatch: (text) => /\d{2}/.test(text),
  find(text, scope, report) {
    const birth = birthPattern(scope.languages, scope.languageKey);
    for (const match of text.matchAll(DATE_IN_TEXT)) {
      const date = parseCalendarDate(match[0]);
      if (!date || !isPlausibleBirthYear(date)) continue;
      const start = match.index;
      const end = start + match[0].length;
      // A date alone is an event, an invoice, a log timestamp; only a birth word makes it personal.
      if (!hasContextWord(text, start, end, birth, 24)) continue;
      report({ type: 'date_of_birth', start, end, score: 0.85, detector: 'date-birth-context' });
    }
  },
};
