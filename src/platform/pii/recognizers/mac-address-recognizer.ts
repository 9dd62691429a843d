import type { Recognizer } from './recognizer.ts';

const MAC_CANDIDATE =
  /(?<![\w:.-])(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})(?![\w:.-])/gi;

export const macAddressRecognizer: Recognizer = {
  types: ['mac_address'],
  mayMatch: (text) => text.includes(':') || text.includes('-') || text.includes('.'),
  find(text, _scope, report) {
    for (const match of text.matchAll(MAC_CANDIDATE)) {
      // All-zero and broadcast addresses belong to no device.
      if (/^[0:.-]+$/.test(match[0]) || /^[f:.-]+$/i.test(match[0])) continue;
      report({
        type: 'mac_address',
        start: match.index,
        end: match.index + match[0].length,
        score: 0.7,
        detector: 'mac-pattern',
      });
    }
  },
};
