import validator from 'validator';
import type { Recognizer } from './recognizer.ts';

const URL_CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"'`{}|\\^\][]+/gi;
/** Sentence punctuation and closing brackets right after a URL belong to the sentence. */
const TRAILING_PUNCTUATION = /[.,;:!?)]+$/;

export const urlRecognizer: Recognizer = {
  types: ['url'],
  mayMatch: (text) => text.includes('://') || text.includes('www.'),
  find(text, _scope, report) {
    for (const match of text.matchAll(URL_CANDIDATE)) {
      const url = match[0].replace(TRAILING_PUNCTUATION, '');
      if (!validator.isURL(url, { require_tld: true, allow_underscores: true })) continue;
      // A URL names a person only sometimes (a profile, a query with an e-mail): a modest score.
      report({
        type: 'url',
        start: match.index,
        end: match.index + url.length,
        score: 0.6,
        detector: 'url-validator',
      });
    }
  },
};
